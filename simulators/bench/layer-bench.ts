/**
 * One MAC layer of bench-shapes.ts timed three ways on the same int8 values: the TypeScript reference
 * backend, the WASM SIMD backend and onnxruntime-web (its wasm backend, one thread). onnxruntime gets
 * the values as uint8 with zero points 128 (q + 128 − 128 = q), its fastest exact path: `MatMulInteger`
 * for dense, `ConvInteger` for conv2d, `ConvInteger` with group = C for depthwise (ONNX has no separate
 * depthwise op). Layouts are converted once outside the timed calls (engine NHWC / OHWI / [KH, KW, C],
 * ONNX NCHW / OIHW). Also reports whether onnxruntime's int32 sums equal ours element for element.
 *
 * onnxruntime is timed through the project's test harness (testing/onnx/ort.ts): each call also copies
 * its inputs into ORT tensors and awaits session.run, so its figures include that per-call overhead.
 */
import { accTensor, qtensor, type AccTensor, type QTensor } from '../core/tensor'
import { perTensor } from '../core/quant'
import { intFormat } from '../core/int-format'
import { newWork } from '../core/work'
import type { KernelBackend } from '../kernels/backend'
import { ortConvInteger, ortMatMulInteger } from '../testing/onnx/ort'
import { measure } from './measure'
import type { BenchShape } from './bench-shapes'

const i8 = intFormat(8, true)
/** 32-bit wrapping accumulator: int8 sums over these K fit, so every backend's sums are exact */
const ACC32 = { bits: 32, overflow: 'wrap' } as const

/** uint8 codes (a fixed LCG, so runs are comparable), and the same values as int8 codes with zero point 0. */
export function codes(n: number, seed: number): { u8: Uint8Array; i8: Int32Array } {
  const u8 = new Uint8Array(n)
  let s = seed
  for (let i = 0; i < n; i++) { s = (Math.imul(s, 1103515245) + 12345) >>> 0; u8[i] = s >>> 24 }
  return { u8, i8: Int32Array.from(u8, (v) => v - 128) }
}

/** Median seconds of an async call, warm-up first (as measure() does for synchronous calls). */
export async function measureAsync(fn: () => Promise<unknown>, budgetMs: number): Promise<number> {
  const warm = performance.now()
  while (performance.now() - warm < budgetMs / 3) await fn()
  const times: number[] = []
  const start = performance.now()
  while (performance.now() - start < budgetMs || times.length < 5) {
    const t0 = performance.now()
    await fn()
    times.push((performance.now() - t0) / 1000)
  }
  times.sort((a, b) => a - b)
  return times[Math.floor(times.length / 2)]
}

export interface LayerResult {
  label: string
  source: string
  kind: string
  macs: number
  /** median seconds per call */
  seconds: { typescript: number; wasm: number; onnxruntime: number }
  /** onnxruntime's int32 outputs equal the engine's, every element */
  ortEqual: boolean
}

/** NHWC → NCHW (or OHWI → OIHW: the same permutation of a 4-D array). */
function toChannelsFirst(a: Uint8Array, [N, H, W, C]: readonly number[]): Uint8Array {
  const out = new Uint8Array(a.length)
  for (let n = 0; n < N; n++) for (let h = 0; h < H; h++) for (let w = 0; w < W; w++) for (let c = 0; c < C; c++) out[((n * C + c) * H + h) * W + w] = a[((n * H + h) * W + w) * C + c]
  return out
}

function transpose2d(a: Uint8Array, rows: number, cols: number): Uint8Array {
  const out = new Uint8Array(a.length)
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = a[r * cols + c]
  return out
}

interface Prepared {
  run: (b: KernelBackend) => void
  ort: () => Promise<Int32Array>
  /** the engine's output in ONNX layout, for the equality check */
  oursChannelsFirst: () => Float64Array
  out: AccTensor
}

function prepare(s: BenchShape): Prepared {
  const n = s.node, B = s.batch
  const xs = [B, ...n.inShape], ws = n.weightShape!
  const x = codes(xs.reduce((a, d) => a * d, 1), 1), w = codes(ws.reduce((a, d) => a * d, 1), 2)
  const xt: QTensor = qtensor(xs, i8, perTensor(1, 0), x.i8), wt: QTensor = qtensor(ws, i8, perTensor(1, 0), w.i8)
  const out = accTensor([B, ...n.outShape], ACC32)
  const work = newWork()
  if (n.kind === 'dense') {
    const [M, K] = ws
    const bT = transpose2d(w.u8, M, K) // ONNX B is [K, M]
    return {
      out,
      run: (b) => b.dense({ x: xt, w: wt, out }, work),
      ort: () => ortMatMulInteger({ a: x.u8, aShape: [B, K], aType: 'uint8', b: bT, bShape: [K, M], bType: 'uint8', aZeroPoint: 128, bZeroPoint: 128 }),
      oursChannelsFirst: () => out.data as Float64Array,
    }
  }
  const g = n.window!
  const win = { stride: [g.sh, g.sw] as const, padding: [g.pt, g.pl, g.pb, g.pr] as const, dilation: [g.dh, g.dw] as const }
  const geometry = { strides: [g.sh, g.sw], pads: [g.pt, g.pl, g.pb, g.pr], dilations: [g.dh, g.dw] }
  const [H, W, C] = n.inShape
  const xn = toChannelsFirst(x.u8, xs)
  const depthwise = n.kind === 'depthwise'
  // depthwise [KH, KW, C·mult] is OHWI with O = C·mult, I = 1 taken as the last axis: [1, KH, KW, C·mult] → [C·mult, 1, KH, KW]
  const wn = depthwise ? toChannelsFirst(w.u8, [1, ws[0], ws[1], ws[2]]) : toChannelsFirst(w.u8, ws)
  const wShape = depthwise ? [ws[2], 1, ws[0], ws[1]] : [ws[0], ws[3], ws[1], ws[2]]
  const [OH, OW, OC] = n.outShape
  return {
    out,
    run: (b) => (depthwise ? b.depthwiseConv2d({ x: xt, w: wt, out, ...win }, work) : b.conv2d({ x: xt, w: wt, out, ...win }, work)),
    ort: async () => (await ortConvInteger({ x: xn, xShape: [B, C, H, W], xType: 'uint8', w: wn, wShape, wType: 'uint8', xZeroPoint: 128, wZeroPoint: 128, ...geometry, group: depthwise ? C : 1 })).data,
    oursChannelsFirst: () => {
      const o = out.data as Float64Array, r = new Float64Array(o.length)
      for (let b = 0; b < B; b++) for (let h = 0; h < OH; h++) for (let w2 = 0; w2 < OW; w2++) for (let c = 0; c < OC; c++) r[((b * OC + c) * OH + h) * OW + w2] = o[((b * OH + h) * OW + w2) * OC + c]
      return r
    },
  }
}

export async function benchLayer(s: BenchShape, backends: { typescript: KernelBackend; wasm: KernelBackend }, budgetMs: number): Promise<LayerResult> {
  const p = prepare(s)
  const time = (b: KernelBackend) => measure('', 0, '', () => p.run(b), budgetMs).seconds
  const typescript = time(backends.typescript)
  const wasm = time(backends.wasm)
  const onnxruntime = await measureAsync(p.ort, budgetMs)
  const ref = await p.ort()
  p.run(backends.wasm)
  const ours = p.oursChannelsFirst()
  let ortEqual = ref.length === ours.length
  for (let i = 0; ortEqual && i < ref.length; i++) ortEqual = ref[i] === ours[i]
  return { label: s.label, source: s.source, kind: s.node.kind, macs: s.node.macsPerSample * s.batch, seconds: { typescript, wasm, onnxruntime }, ortEqual }
}
