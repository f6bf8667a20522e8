/**
 * Pooling, activations, residual add, requantization and the loss, against the float64 references
 * and against exact integer definitions.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { avgPool2d, maxPool2d } from './pool2d'
import { activate, activationBounds } from './activation'
import { addPlan, addRescaled } from './add'
import { fixedPlan, floatPlan, requantize } from './requantize'
import { softmaxCrossEntropy } from './loss'
import { flatten } from './flatten'
import { accTensor, qtensor } from '../core/tensor'
import { dequantize, perTensor } from '../core/quant'
import { newWork } from '../core/work'
import { intFormat } from '../core/int-format'
import { applyMultiplier, quantizeMultiplier } from '../core/requantize'
import { pool2dF, relu6F, reluF, softmaxCrossEntropyF, addF } from '../reference/float-kernels'
import { oracleRound } from '../testing/oracles'
import { stream } from '../core/rng'

const i8 = intFormat(8, true)
const u8 = intFormat(8, false)

const poolCase = fc.record({
  N: fc.integer({ min: 1, max: 2 }), H: fc.integer({ min: 2, max: 8 }), W: fc.integer({ min: 2, max: 8 }), C: fc.integer({ min: 1, max: 3 }),
  k: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })), s: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })),
  p: fc.tuple(fc.integer({ min: 0, max: 1 }), fc.integer({ min: 0, max: 1 }), fc.integer({ min: 0, max: 1 }), fc.integer({ min: 0, max: 1 })),
  zp: fc.integer({ min: -20, max: 20 }), pad: fc.boolean(),
}).filter((c) => c.H + c.p[0] + c.p[2] >= c.k[0] && c.W + c.p[1] + c.p[3] >= c.k[1] && c.p[0] < c.k[0] && c.p[2] < c.k[0] && c.p[1] < c.k[1] && c.p[3] < c.k[1])

describe('pooling', () => {
  it('max pooling equals the float reference on raw codes', () => {
    fc.assert(fc.property(poolCase.chain((c) => fc.record({ c: fc.constant(c), x: fc.array(fc.integer({ min: -128, max: 127 }), { minLength: c.N * c.H * c.W * c.C, maxLength: c.N * c.H * c.W * c.C }) })), ({ c, x }) => {
      const ref = pool2dF('max', Float64Array.from(x), [c.N, c.H, c.W, c.C], { kernel: c.k, stride: c.s, padding: c.p })
      const out = qtensor(ref.shape, i8, perTensor(1, c.zp))
      maxPool2d({ x: qtensor([c.N, c.H, c.W, c.C], i8, perTensor(1, c.zp), Int32Array.from(x)), out, kernel: c.k, stride: c.s, padding: c.p }, newWork())
      expect(Array.from(out.data)).toEqual(Array.from(ref.y))
    }), { numRuns: 200 })
  })

  it('average pooling is the exactly rounded mean (every mode), padded taps holding the zero point when counted', () => {
    fc.assert(fc.property(poolCase.chain((c) => fc.record({ c: fc.constant(c), x: fc.array(fc.integer({ min: -128, max: 127 }), { minLength: c.N * c.H * c.W * c.C, maxLength: c.N * c.H * c.W * c.C }) })),
      fc.constantFrom('half-away', 'half-even', 'floor' as const), ({ c, x }, mode) => {
        // oracle by definition: materialise the padded input (padding = null), slide the window over it
        const PH = c.H + c.p[0] + c.p[2]
        const PW = c.W + c.p[1] + c.p[3]
        const padded = (n: number, i: number, j: number, ch: number): number | null => {
          const y = i - c.p[0], xx = j - c.p[1]
          return y < 0 || y >= c.H || xx < 0 || xx >= c.W ? null : x[((n * c.H + y) * c.W + xx) * c.C + ch]
        }
        const OH = Math.floor((PH - c.k[0]) / c.s[0]) + 1
        const OW = Math.floor((PW - c.k[1]) / c.s[1]) + 1
        const out = qtensor([c.N, OH, OW, c.C], i8, perTensor(1, c.zp))
        avgPool2d({ x: qtensor([c.N, c.H, c.W, c.C], i8, perTensor(1, c.zp), Int32Array.from(x)), out, kernel: c.k, stride: c.s, padding: c.p, rounding: mode, countIncludePad: c.pad }, newWork())
        const ref = pool2dF('avg', Float64Array.from(x), [c.N, c.H, c.W, c.C], { kernel: c.k, stride: c.s, padding: c.p }, false)
        for (let n = 0; n < c.N; n++) for (let oy = 0; oy < OH; oy++) for (let ox = 0; ox < OW; ox++) for (let ch = 0; ch < c.C; ch++) {
          let sum = 0, count = 0
          for (let a = 0; a < c.k[0]; a++) for (let b = 0; b < c.k[1]; b++) {
            const v = padded(n, oy * c.s[0] + a, ox * c.s[1] + b, ch)
            if (v !== null) { sum += v; count++ } else if (c.pad) { sum += c.zp; count++ }
          }
          const i = ((n * OH + oy) * OW + ox) * c.C + ch
          expect(out.data[i]).toBe(Number(oracleRound(BigInt(sum), BigInt(count), mode)))
          if (!c.pad) expect(Math.abs(out.data[i] - ref.y[i])).toBeLessThanOrEqual(mode === 'floor' ? 1 : 0.5) // and near the float mean
        }
      }), { numRuns: 200 })
  })

  it('average pooling of 1,2 is 2 (half away), 1 (half to even) or 1 (floor): rounding mode is honoured', () => {
    const x = qtensor([1, 1, 2, 1], i8, perTensor(1, 0), Int32Array.of(1, 2))
    for (const [mode, want] of [['half-away', 2], ['half-even', 2], ['floor', 1]] as const) {
      const out = qtensor([1, 1, 1, 1], i8, perTensor(1, 0))
      avgPool2d({ x, out, kernel: [1, 2], rounding: mode }, newWork())
      expect(out.data[0]).toBe(want)
    }
    const y = qtensor([1, 1, 2, 1], i8, perTensor(1, 0), Int32Array.of(-1, -2))
    for (const [mode, want] of [['half-away', -2], ['half-even', -2], ['floor', -2]] as const) {
      const out = qtensor([1, 1, 1, 1], i8, perTensor(1, 0))
      avgPool2d({ x: y, out, kernel: [1, 2], rounding: mode }, newWork())
      expect(out.data[0]).toBe(want)
    }
    const half = qtensor([1, 1, 2, 1], i8, perTensor(1, 0), Int32Array.of(2, 3)) // 2.5
    const dflt = qtensor([1, 1, 1, 1], i8, perTensor(1, 0))
    avgPool2d({ x: half, out: dflt, kernel: [1, 2] }, newWork())
    expect(dflt.data[0]).toBe(3) // the default is TFLite's: half away from zero
    const z = qtensor([1, 1, 2, 1], i8, perTensor(1, 0), Int32Array.of(2, 3)) // 2.5
    const out = qtensor([1, 1, 1, 1], i8, perTensor(1, 0))
    avgPool2d({ x: z, out, kernel: [1, 2], rounding: 'half-even' }, newWork())
    expect(out.data[0]).toBe(2)
  })
})

describe('activations', () => {
  it('ReLU and ReLU6 on codes equal the float functions on dequantized values, to the nearest code', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 50 }), fc.integer({ min: 0, max: 255 }), fc.double({ min: 0.01, max: 0.2, noNaN: true }), (codes, zp, scale) => {
      const x = qtensor([codes.length], u8, perTensor(scale, zp), Int32Array.from(codes))
      const real = dequantize(x.data, x.shape, x.quant)
      for (const [kind, f] of [['relu', reluF], ['relu6', relu6F]] as const) {
        const out = qtensor([codes.length], u8, perTensor(scale, zp))
        activate(kind, x, out, newWork())
        const got = dequantize(out.data, out.shape, out.quant)
        const want = f(real)
        for (let i = 0; i < codes.length; i++) {
          // exact where the bound is representable; otherwise the format's own limit
          const [lo, hi] = activationBounds(kind, x)
          const limit = Math.min(want[i], scale * (hi - zp))
          expect(Math.abs(got[i] - Math.max(limit, scale * (lo - zp)))).toBeLessThanOrEqual(scale / 2 + 1e-12)
        }
      }
    }), { numRuns: 300 })
  })
})

describe('residual add with rescaling', () => {
  it('equals the exact composition of its three single-rounded multipliers', () => {
    fc.assert(fc.property(
      fc.array(fc.tuple(fc.integer({ min: -128, max: 127 }), fc.integer({ min: -128, max: 127 })), { minLength: 1, maxLength: 30 }),
      fc.double({ min: 0.001, max: 1, noNaN: true }), fc.double({ min: 0.001, max: 1, noNaN: true }), fc.double({ min: 0.001, max: 2, noNaN: true }),
      fc.integer({ min: -10, max: 10 }), fc.integer({ min: -10, max: 10 }), fc.integer({ min: -10, max: 10 }),
      fc.constantFrom('half-away', 'half-even', 'floor' as const),
      (pairs, sa, sb, sy, za, zb, zy, mode) => {
        const a = qtensor([pairs.length], i8, perTensor(sa, za), Int32Array.from(pairs, (p) => p[0]))
        const b = qtensor([pairs.length], i8, perTensor(sb, zb), Int32Array.from(pairs, (p) => p[1]))
        const out = qtensor([pairs.length], i8, perTensor(sy, zy))
        const plan = addPlan(sa, sb, sy, i8, mode)
        addRescaled({ a, b, out, plan }, newWork())
        const r = (v: bigint, m: { multiplier: number; shift: number }) => {
          const s = 31 - m.shift
          return s >= 0 ? oracleRound(v * BigInt(m.multiplier), 2n ** BigInt(s), mode) : v * BigInt(m.multiplier) * 2n ** BigInt(-s)
        }
        pairs.forEach(([x, y], i) => {
          const L = 2n ** BigInt(plan.leftShift)
          const sum = r(BigInt(x - za) * L, plan.a) + r(BigInt(y - zb) * L, plan.b)
          const want = Math.min(127, Math.max(-128, Number(r(sum, plan.out)) + zy))
          expect(out.data[i]).toBe(want)
          // and it is within one output LSB of the float sum
          const real = addF(Float64Array.of(sa * (x - za)), Float64Array.of(sb * (y - zb)))[0]
          if (want > -128 && want < 127) expect(Math.abs(sy * (out.data[i] - zy) - real)).toBeLessThanOrEqual(sy * 1.01)
        })
      },
    ), { numRuns: 300 })
  })
})

describe('requantize kernel', () => {
  it('fixed plans equal the exactly rounded acc·M·2^(shift−31) + z, saturated, for every mode (BigInt oracle)', () => {
    fc.assert(fc.property(
      fc.array(fc.oneof(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.integer({ min: -(2 ** 40), max: 2 ** 40 })), { minLength: 6, maxLength: 6 }),
      fc.array(fc.double({ min: 1e-7, max: 4, noNaN: true }), { minLength: 3, maxLength: 3 }), fc.integer({ min: -100, max: 100 }),
      fc.constantFrom('half-away', 'half-even', 'floor' as const), fc.constantFrom(intFormat(8, true), intFormat(16, true), intFormat(4, false)),
      (accs, reals, zy, mode, fmt) => {
        const acc = accTensor([2, 3], { bits: 48, overflow: 'wrap' })
        ;(acc.data as Float64Array).set(accs)
        const out = qtensor([2, 3], fmt, perTensor(1, zy))
        const plan = fixedPlan(reals, mode)
        requantize({ acc, plan, out }, newWork())
        accs.forEach((v, i) => {
          const q = plan.kind === 'fixed' ? plan.multipliers[i % 3] : undefined
          const s = 31 - q!.shift
          const exact = s >= 0 ? oracleRound(BigInt(v) * BigInt(q!.multiplier), 2n ** BigInt(s), mode) : BigInt(v) * BigInt(q!.multiplier) * 2n ** BigInt(-s)
          const y = exact + BigInt(zy)
          const lo = BigInt(fmt.signed ? -(2 ** (fmt.bits - 1)) : 0), hi = BigInt(fmt.signed ? 2 ** (fmt.bits - 1) - 1 : 2 ** fmt.bits - 1)
          expect(BigInt(out.data[i])).toBe(y < lo ? lo : y > hi ? hi : y)
        })
      },
    ), { numRuns: 1000 })
  })

  it('fixed plans use one multiplier per output channel (last axis) and count clipping', () => {
    const acc = accTensor([2, 2], { bits: 32, overflow: 'wrap' })
    ;(acc.data as Float64Array).set([1000, 1000, -1000, 200000])
    const out = qtensor([2, 2], i8, perTensor(1, 3))
    const work = newWork()
    requantize({ acc, plan: fixedPlan([0.01, 0.001], 'half-even'), out }, work)
    expect(Array.from(out.data)).toEqual([10 + 3, 1 + 3, -10 + 3, 127])
    expect(work.clipped).toBe(1)
    expect(work.requantizations).toBe(4)
  })

  it('a zero point at the format minimum (a fused ReLU) counts only high-side clipping', () => {
    const acc = accTensor([4], { bits: 32, overflow: 'wrap' })
    ;(acc.data as Float64Array).set([-5000, -1, 500, 200000])
    const out = qtensor([4], i8, perTensor(1, -128))
    const work = newWork()
    requantize({ acc, plan: fixedPlan([0.01], 'half-even'), out }, work)
    expect(Array.from(out.data)).toEqual([-128, -128, -128 + 5, 127])
    expect(work.clipped).toBe(1) // 200000 · 0.01 lost range; −5000 · 0.01 is a negative made 0
  })

  it('float plans follow float32 arithmetic and round half to even', () => {
    const acc = accTensor([1, 3], { bits: 32, overflow: 'wrap' })
    ;(acc.data as Float64Array).set([5, 7, -5])
    const out = qtensor([1, 3], i8, perTensor(1, 0))
    requantize({ acc, plan: floatPlan([0.5]), out }, newWork())
    expect(Array.from(out.data)).toEqual([2, 4, -2]) // 2.5 → 2, 3.5 → 4, −2.5 → −2
  })

  it('stochastic plans draw one number per value and reproduce from the seed', () => {
    const acc = accTensor([1, 64], { bits: 32, overflow: 'wrap' })
    ;(acc.data as Float64Array).fill(3)
    const run = () => {
      const out = qtensor([1, 64], i8, perTensor(1, 0))
      requantize({ acc, plan: fixedPlan([0.5], 'stochastic'), out, rng: stream({ seed: 9, step: 0, tensor: 1 }) }, newWork())
      return Array.from(out.data)
    }
    const a = run()
    expect(new Set(a)).toEqual(new Set([1, 2]))
    expect(run()).toEqual(a)
  })

  it('applyMultiplier with a left shift (multiplier > 1) is exact', () => {
    const q = quantizeMultiplier(3.0)
    expect(applyMultiplier(-7, q, 'half-even')).toBe(-21)
  })
})

describe('softmax cross-entropy on integer logits', () => {
  it('equals the float reference on dequantized logits, with its gradient', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 2, max: 10 }), fc.double({ min: 0.01, max: 0.5, noNaN: true }), fc.integer({ min: -20, max: 20 }), fc.infiniteStream(fc.integer({ min: -128, max: 127 })), fc.infiniteStream(fc.nat()), (N, K, s, z, vals, labs) => {
      const codes = Int32Array.from({ length: N * K }, () => vals.next().value)
      const labels = Array.from({ length: N }, () => labs.next().value % K)
      const logits = qtensor([N, K], i8, perTensor(s, z), codes)
      const grad = new Float64Array(N * K)
      const r = softmaxCrossEntropy(logits, labels, newWork(), grad)
      const ref = softmaxCrossEntropyF(dequantize(codes, [N, K], logits.quant), labels, N, K)
      expect(Math.abs(r.loss - ref.loss)).toBeLessThan(1e-12 * Math.max(1, ref.loss))
      for (let i = 0; i < grad.length; i++) expect(Math.abs(grad[i] - ref.grad[i])).toBeLessThan(1e-13)
      let correct = 0
      for (let n = 0; n < N; n++) {
        const row = Array.from(codes.subarray(n * K, n * K + K))
        if (row.indexOf(Math.max(...row)) === labels[n]) correct++
      }
      expect(r.correct).toBe(correct)
    }), { numRuns: 300 })
  })

  it('rejects a label outside the classes', () => {
    expect(() => softmaxCrossEntropy(qtensor([1, 3], i8, perTensor(1)), [3], newWork())).toThrow(/label 3 of sample 0 is not a class index in \[0, 3\)/)
  })
})

describe('flatten', () => {
  it('is a view of NHWC data', () => {
    const x = qtensor([2, 2, 2, 3], i8, perTensor(1), Int32Array.from({ length: 24 }, (_, i) => i))
    const f = flatten(x)
    expect(f.shape).toEqual([2, 12])
    expect(f.data).toBe(x.data)
  })
})
