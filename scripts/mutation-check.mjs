#!/usr/bin/env node
// Tests must be able to fail. This script breaks the engine on purpose, one rule at a time — a rounding
// rule, an accumulator width, a saturation step, a float32 rounding, a padding bound — runs the tests
// that guard it, and expects them to fail ("the mutant is killed"). A mutant that survives means a rule
// of the engine is untested. Every file is restored afterwards, also on errors and Ctrl-C.
// Writes test-results/mutants.json ({ killed, survived, mutants: [...] }); exits 1 if any survived.
import { spawnSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'

const root = resolve(import.meta.dirname, '..')
const K = 'simulators/kernels/'
const C = 'simulators/core/'
const A = 'simulators/training/algorithms/'
const N = 'simulators/training/network/'
const H = 'simulators/hardware/'

const W = 'simulators/kernels/wasm/'

/**
 * [description, file, original text (must occur exactly once), mutated text, test files that must fail,
 *  optional: true to rebuild the WASM module (scripts/build-wasm.mjs) from the mutated kernels.wat]
 */
const MUTANTS = [
  ['half-away ties always round up', C + 'rounding.ts', 'return q >= 0 ? q + 1 : q // value', 'return q + 1 // value', [C + 'rounding.prop.test.ts']],
  ['half-even ties round to odd', C + 'rounding.ts', 'return q % 2 === 0 ? q : q + 1\n    }', 'return q % 2 === 0 ? q + 1 : q\n    }', [C + 'rounding.prop.test.ts', K + 'onnxruntime-parity.test.ts']],
  ['stochastic rounding compares with <=', C + 'rounding.ts', 'return rng.next() / TWO32 < r / d ? q + 1 : q', 'return rng.next() / TWO32 <= r / d ? q + 1 : q', [C + 'rounding.prop.test.ts']],
  ['fixed-point product drops its low 16 bits', C + 'rounding.ts', 'const r = (t - q * p.d) * TWO16 + (b - bq * TWO16)', 'const r = (t - q * p.d) * TWO16', [C + 'rounding.prop.test.ts', K + 'elementwise.test.ts']],
  ['accumulator range one too wide', C + 'accumulator.ts', 'return 2 ** (f.bits - 1) - 1\n}', 'return 2 ** (f.bits - 1)\n}', [C + 'accumulator.prop.test.ts', K + 'mac-kernels.prop.test.ts']],
  ['wrap uses one bit less', C + 'accumulator.ts', 'return wrapBits(v, f.bits, true)', 'return wrapBits(v, f.bits - 1, true)', [C + 'accumulator.prop.test.ts', K + 'mac-kernels.prop.test.ts']],
  ['saturating accumulator skips the per-MAC clamp', K + 'mac-core.ts', 'const stepwise = acc.overflow === \'saturate\' && b.sum > accMax(acc)', 'const stepwise = acc.overflow === \'saturate\' && b.sum > 2 * accMax(acc)', [K + 'mac-kernels.prop.test.ts']],
  ['float requantization multiplies in double', C + 'requantize.ts', 'return Math.fround(Math.fround(acc) * scale32)', 'return Math.fround(acc) * scale32', [K + 'onnxruntime-parity.test.ts']],
  ['onnxruntime output scale computed in double', C + 'requantize.ts', 'return f(f(f(aScale) * f(bScale)) / f(yScale))', 'return f(aScale * bScale / yScale)', [K + 'onnxruntime-parity.test.ts']],
  ['quantized multiplier truncates', C + 'requantize.ts', 'let m = Math.round(f * 2 ** 31)', 'let m = Math.floor(f * 2 ** 31)', [C + 'rounding.prop.test.ts', K + 'elementwise.test.ts']],
  ['dense ignores its bias', K + 'dense.ts', 'K, bias ? bias[m] : 0, out.format, work)', 'K, 0, out.format, work)', [K + 'mac-kernels.prop.test.ts']],
  ['window walk (conv2d and depthwise generic paths, depthwise fast path) reads one row past the bottom edge', K + 'geometry.ts', 'if (iy < 0 || iy >= H) continue', 'if (iy < 0 || iy > H) continue', [K + 'mac-kernels.prop.test.ts', K + 'onnxruntime-parity.test.ts']],
  ['conv2d (fast path) reads one column past the right edge', K + 'conv2d.ts', 'if (iy < 0 || iy >= H || ix < 0 || ix >= W) {', 'if (iy < 0 || iy >= H || ix < 0 || ix > W) {', [K + 'mac-kernels.prop.test.ts', K + 'onnxruntime-parity.test.ts']],
  ['blocked GEMM pairs the last input row with the wrong weight row', K + 'fast-dot.ts', 's13 += v * x3', 's13 += v * x2', [K + 'mac-kernels.prop.test.ts', K + 'onnxruntime-parity.test.ts']],
  ['depthwise (fast path) maps output channels to the wrong input channel', K + 'depthwise-conv2d.ts', 'channelOf[oc] = Math.floor(oc / mult)', 'channelOf[oc] = oc % C', [K + 'mac-kernels.prop.test.ts', K + 'onnxruntime-parity.test.ts']],
  ['depthwise (generic path) maps output channels to the wrong input channel', K + 'depthwise-conv2d.ts', 'const c = Math.floor(oc / mult)', 'const c = oc % C', [K + 'mac-kernels.prop.test.ts']],
  ['average pooling rounds half to even by default', K + 'pool2d.ts', "const mode = a.rounding ?? 'half-away'", "const mode = a.rounding ?? 'half-even'", [K + 'elementwise.test.ts']],
  ['ReLU6 bound off by one code', K + 'activation.ts', 'zp + Math.round(6 / t.quant.scales[0])', 'zp + Math.round(6 / t.quant.scales[0]) + 1', [K + 'elementwise.test.ts']],
  ['add rescales with the wrong headroom', K + 'add.ts', 'const shift = 2 ** plan.leftShift', 'const shift = 2 ** (plan.leftShift - 1)', [K + 'elementwise.test.ts']],
  ['Philox skips one key bump', C + 'rng.ts', 'if (round > 0) {', 'if (round > 1) {', [C + 'rng.test.ts']],
  ['backward pass lets gradients through clamped activations', N + 'int-backward.ts', 'if (y[k] <= c[0] || y[k] >= c[1]) dy.codes[k] = 0', 'if (y[k] < c[0] || y[k] > c[1]) dy.codes[k] = 0', [A + 'backprop.test.ts']],
  ['QAS scales the gradient the wrong way', N + 'update.ts', 'const toCode = (j: number) => (r.qas ? 1 / unit(j) : unit(j))', 'const toCode = (j: number) => (r.qas ? unit(j) : 1 / unit(j))', [A + 'backprop.test.ts']],
  ['zo-spsa perturbs and updates weights outside a biases-only scope', A + 'zo-spsa.ts', 'if (trainable.weights) tensors.push({ node: i, bias: false', 'if (true) tensors.push({ node: i, bias: false', [A + 'contract.test.ts']],
  ['mcu-simd prices MAC work faster than its own peak rate', H + 'compute/mcu-simd.ts', 'return { cycles, utilization: Math.min(1, op.macs / (cycles * peak)) }', 'return { cycles: cycles / 4, utilization: Math.min(1, op.macs / (cycles * peak)) }', [H + 'compute/contract.test.ts']],
  ['WASM dot GEMM stores the last row\'s second output from the wrong accumulator', W + 'kernels.wat', '(i32.store offset=4 (local.get $pc) (call $hsum (local.get $s31)))', '(i32.store offset=4 (local.get $pc) (call $hsum (local.get $s30)))', [W + 'wasm-kernels.prop.test.ts', K + 'onnxruntime-parity.test.ts'], true],
  ['WASM broadcast GEMM stores the last row\'s upper outputs from the wrong accumulator', W + 'kernels.wat', '(v128.store offset=16 (local.get $pc) (local.get $s31))\n            (local.set $m (i32.add (local.get $m)', '(v128.store offset=16 (local.get $pc) (local.get $s30))\n            (local.set $m (i32.add (local.get $m)', [W + 'wasm-kernels.prop.test.ts', K + 'onnxruntime-parity.test.ts'], true],
  ['WASM im2col lets a tap one row past the bottom edge through', W + 'kernels.wat', '(i32.ge_s (local.get $iy) (local.get $H)))', '(i32.gt_s (local.get $iy) (local.get $H)))', [W + 'wasm-kernels.prop.test.ts', K + 'onnxruntime-parity.test.ts'], true],
  ['WASM fast path accepts sums that may pass 2^31 (int32 wraps uncounted)', W + 'mac.ts', 'if (Math.min(nm[ni] * nm[ni + 3], nm[ni + 1] * nm[ni + 2]) > limit)', 'if (Math.min(nm[ni] * nm[ni + 3], nm[ni + 1] * nm[ni + 2]) > 2 * limit)', [W + 'wasm-kernels.prop.test.ts']],
  ['WASM max pooling takes the minimum in the 4-channel SIMD lanes', W + 'kernels.wat', '(i32x4.max_s (v128.load', '(i32x4.min_s (v128.load', [W + 'pool.prop.test.ts'], true],
  ['WASM max pooling keeps the smaller value in the scalar channel tail', W + 'kernels.wat', '(select (local.get $b) (local.get $a) (i32.gt_s (local.get $b) (local.get $a)))', '(select (local.get $b) (local.get $a) (i32.lt_s (local.get $b) (local.get $a)))', [W + 'pool.prop.test.ts'], true],
  ['WASM max pooling starts each output at 0 instead of the format minimum', W + 'kernels.wat', '(local.set $vlo (i32x4.splat (local.get $lo)))', '(local.set $vlo (i32x4.splat (i32.const 0)))', [W + 'pool.prop.test.ts'], true],
  ['WASM max pooling lets a tap one column past the right edge through', W + 'kernels.wat', '(i32.lt_s (local.get $ix) (local.get $W)))\n                    (then\n                      (local.set $taps', '(i32.le_s (local.get $ix) (local.get $W)))\n                    (then\n                      (local.set $taps', [W + 'pool.prop.test.ts'], true],
  ['WASM max pooling counts taps, not tap×channel element operations', W + 'pool.ts', 'work.elementOps += taps * C', 'work.elementOps += taps', [W + 'pool.prop.test.ts']],
  ['WASM depthwise takes the low half of the last 8 of 16 channels twice', W + 'kernels.wat', '(local.set $a3 (i32x4.add (local.get $a3) (i32x4.extmul_high_i16x8_s (local.get $x1) (local.get $w1))))', '(local.set $a3 (i32x4.add (local.get $a3) (i32x4.extmul_low_i16x8_s (local.get $x1) (local.get $w1))))', [W + 'depthwise.prop.test.ts'], true],
  ['WASM depthwise 8-channel tail stores its low half twice', W + 'kernels.wat', '(v128.store offset=16 (local.get $pc) (local.get $a1))\n              (local.set $pc', '(v128.store offset=16 (local.get $pc) (local.get $a0))\n              (local.set $pc', [W + 'depthwise.prop.test.ts'], true],
  ['WASM depthwise accepts sums that may pass 2^31', W + 'depthwise.ts', 'if (xInf * wL1 > limit)', 'if (xInf * wL1 > 2 * limit)', [W + 'depthwise.prop.test.ts']],
  ['WASM depthwise expands the wrong input channel for a channel multiplier', W + 'depthwise.ts', 'channelOf[oc] = Math.floor(oc / mult)', 'channelOf[oc] = oc % C', [W + 'depthwise.prop.test.ts']],
  ['WASM depthwise centres every channel with the first weight zero point', W + 'depthwise.ts', 'const v = w[t * OC + oc] - zpAt(zws, oc)', 'const v = w[t * OC + oc] - zpAt(zws, 0)', [W + 'depthwise.prop.test.ts']],
  ['WASM 1-channel conv reads the 4th pixel of a block at the 3rd', W + 'kernels.wat', '(local.set $x3 (v128.load32_splat (i32.add (local.get $b3) (local.get $off))))', '(local.set $x3 (v128.load32_splat (i32.add (local.get $b2) (local.get $off))))', [W + 'conv-c1.prop.test.ts'], true],
  ['WASM 1-channel conv ignores vertical dilation in its tap offsets', W + 'conv-c1.ts', '(ky * g.dh * Wp + 2 * j) * 2', '(ky * Wp + 2 * j) * 2', [W + 'conv-c1.prop.test.ts']],
  ['WASM 1-channel conv gives an odd last tap a non-zero partner weight', W + 'conv-c1.ts', 'kx < KW ? w.data[(co * KH + ky) * KW + kx] : z', 'kx < KW ? w.data[(co * KH + ky) * KW + kx] : z + 1', [W + 'conv-c1.prop.test.ts']],
  ['WASM 1-channel conv counts a tap one column past the edge as a MAC', W + 'conv-c1.ts', 'if (i >= 0 && i < n) v++', 'if (i >= 0 && i <= n) v++', [W + 'conv-c1.prop.test.ts']],
  ['WASM average pooling never rounds a half-even tie up', W + 'kernels.wat', '(else (i32.and (local.get $q) (i32.const 1)))', '(else (i32.and (local.get $q) (i32.const 0)))', [W + 'pool.prop.test.ts'], true],
  ['WASM average pooling floors an exact quotient one too low', W + 'kernels.wat', '(if (i32.lt_s (local.get $r) (i32.const 0))', '(if (i32.le_s (local.get $r) (i32.const 0))', [W + 'pool.prop.test.ts'], true],
  ['WASM average pooling counts padding past the right edge by the left padding', W + 'kernels.wat', '(i32.lt_s (local.get $ix) (i32.add (local.get $W) (local.get $pr)))', '(i32.lt_s (local.get $ix) (i32.add (local.get $W) (local.get $pl)))', [W + 'pool.prop.test.ts'], true],
  ['WASM average pooling counts taps, not tap×channel element operations', W + 'pool.ts', 'work.elementOps += ops * C', 'work.elementOps += ops', [W + 'pool.prop.test.ts']],
  ['perturbation kernel rounds ε·z half away from zero', K + 'perturb.ts', "const k = roundReal(a.epsilonLsb * draw(a.draws, j), 'half-even')", "const k = roundReal(a.epsilonLsb * draw(a.draws, j), 'half-away')", [K + 'perturb.test.ts']],
  ['perturbation kernel clamps K one LSB too wide', K + 'perturb.ts', 'const lim = 2 ** (a.zBits - 1) - 1', 'const lim = 2 ** (a.zBits - 1)', [K + 'perturb.test.ts']],
  ['zeroth-order estimate uses the wrong sign of the loss difference', A + 'zo-spsa.ts', "s.push(hp.estimate === 'sign' ? Math.sign(diff) : diff / (2 * hp.epsilonLsb))", "s.push(hp.estimate === 'sign' ? Math.sign(-diff) : -diff / (2 * hp.epsilonLsb))", [A + 'zo-spsa.test.ts']],
]

const originals = new Map()
const WASM_OUTPUTS = [W + 'kernels.wasm', W + 'kernels-wasm.ts'].map((f) => resolve(root, f))
function restoreAll() {
  for (const [file, text] of originals) writeFileSync(file, text)
  originals.clear()
}
process.on('SIGINT', () => { restoreAll(); process.exit(130) })
process.on('SIGTERM', () => { restoreAll(); process.exit(143) })

const results = []
try {
  // `--match TEXT`: only the mutants whose description contains TEXT (to check new mutants without the whole set)
  const m = process.argv.indexOf('--match')
  const only = m > 0 ? process.argv[m + 1] : undefined
  // every mutant's original text must occur exactly once: checked for all of them before anything is mutated, so an
  // edit that duplicates a line names every mutant it made ambiguous at once
  const ambiguous = MUTANTS.filter(([, rel, from]) => { const t = readFileSync(resolve(root, rel), 'utf8'), at = t.indexOf(from); return at < 0 || t.indexOf(from, at + 1) >= 0 })
  if (ambiguous.length) throw new Error(`the original text must occur exactly once in its file, and does not for: ${ambiguous.map(([w, r]) => `"${w}" (${r})`).join('; ')}`)
  for (const [what, rel, from, to, tests, rebuild] of MUTANTS.filter(([what]) => !only || what.includes(only))) {
    const file = resolve(root, rel)
    const text = readFileSync(file, 'utf8')
    const at = text.indexOf(from)
    if (at < 0 || text.indexOf(from, at + 1) >= 0) throw new Error(`mutant "${what}": the original text must occur exactly once in ${rel}`)
    originals.set(file, text)
    writeFileSync(file, text.slice(0, at) + to + text.slice(at + from.length))
    if (rebuild) {
      // the tests load the generated module, so build it from the mutated source (restored byte for byte after)
      for (const f of WASM_OUTPUTS) originals.set(f, readFileSync(f))
      const b = spawnSync('node', ['scripts/build-wasm.mjs'], { cwd: root, encoding: 'utf8' })
      if (b.status !== 0) throw new Error(`mutant "${what}": the mutated kernels.wat does not build\n${b.stderr}`)
    }
    const t0 = Date.now()
    // LASTMILE_MUTANTS=1: failing properties stop at the first counterexample (vitest.setup.ts);
    // a run that still exceeds the time limit has not passed, so the mutant counts as killed
    const r = spawnSync('npx', ['vitest', 'run', '--reporter=dot', ...tests], { cwd: root, encoding: 'utf8', timeout: 180_000, env: { ...process.env, LASTMILE_MUTANTS: '1' } })
    restoreAll()
    const killed = r.status !== 0
    results.push({ what, file: rel, killed, seconds: (Date.now() - t0) / 1000 })
    console.log(`${killed ? 'killed  ' : 'SURVIVED'}  ${what}  (${rel}, ${((Date.now() - t0) / 1000).toFixed(1)} s)`)
  }
} finally {
  restoreAll()
}

const killed = results.filter((r) => r.killed).length
const survived = results.length - killed
mkdirSync(resolve(root, 'test-results'), { recursive: true })
writeFileSync(resolve(root, 'test-results/mutants.json'), JSON.stringify({ killed, survived, mutants: results }, null, 2))
console.log(`${killed} mutants killed, ${survived} survived`)
process.exit(survived === 0 ? 0 : 1)
