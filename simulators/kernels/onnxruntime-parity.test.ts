/**
 * Bit-exactness against onnxruntime's own integer kernels (the CPU kernels compiled to wasm, run by
 * onnxruntime-web in Node): MatMulInteger and ConvInteger for int32 accumulators, QLinearMatMul and
 * QLinearConv for requantized int8/uint8 outputs, MaxPool on int8/uint8. Random shapes and values,
 * weighted towards the range ends so that requantized outputs saturate.
 *
 * Layout bridge: ONNX is NCHW/OIHW and MatMul B is [K, N]; the engine is NHWC/OHWI and dense W is
 * [M, K]. The transpositions below are the only glue.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { kernelBackends } from './registry'
import { floatPlan } from './requantize'
import { accTensor, qtensor, type AccTensor } from '../core/tensor'
import { perChannel, perTensor } from '../core/quant'
import { newWork } from '../core/work'
import { intFormat, type IntFormat } from '../core/int-format'
import { ortOutputScale } from '../core/requantize'
import { ortConvInteger, ortMatMulInteger, ortMaxPool, ortQLinearConv, ortQLinearMatMul, type QType } from '../testing/onnx/ort'

const RUNS = { numRuns: 150 }
const ACC32 = { bits: 32, overflow: 'wrap' } as const
const fmt = (t: QType): IntFormat => intFormat(8, t === 'int8')
const range = (t: QType) => (t === 'int8' ? { min: -128, max: 127 } : { min: 0, max: 255 })
/** values weighted towards the ends of the range, where products and sums are largest */
const qvals = (t: QType, n: number) => fc.array(fc.oneof(fc.integer(range(t)), fc.constantFrom(range(t).min, range(t).max)), { minLength: n, maxLength: n })
const qtype = fc.constantFrom<QType>('int8', 'uint8')
// float32-representable scales, as ONNX stores them
const scale = fc.double({ min: 1e-4, max: 0.5, noNaN: true }).map(Math.fround)

/** [K, N] → [N, K] */
function transpose(b: ArrayLike<number>, K: number, N: number): Float64Array {
  const t = new Float64Array(N * K)
  for (let k = 0; k < K; k++) for (let n = 0; n < N; n++) t[n * K + k] = b[k * N + n]
  return t
}
/** NCHW → NHWC (also OIHW → OHWI) */
function toChannelsLast(x: ArrayLike<number>, [N, C, H, W]: number[]): Float64Array {
  const y = new Float64Array(N * C * H * W)
  for (let n = 0; n < N; n++) for (let c = 0; c < C; c++) for (let h = 0; h < H; h++) for (let w = 0; w < W; w++) y[((n * H + h) * W + w) * C + c] = x[((n * C + c) * H + h) * W + w]
  return y
}
/** NHWC → NCHW */
function toChannelsFirst(y: ArrayLike<number | bigint>, [N, H, W, C]: readonly number[]): number[] {
  const out = new Array<number>(N * C * H * W)
  for (let n = 0; n < N; n++) for (let c = 0; c < C; c++) for (let h = 0; h < H; h++) for (let w = 0; w < W; w++) out[((n * C + c) * H + h) * W + w] = Number(y[((n * H + h) * W + w) * C + c])
  return out
}
const zp = (t: QType) => fc.integer(range(t))

// every registered kernel backend (all-backends.ts) must pass the same checks
for (const backend of kernelBackends.values()) {
  describe(`${backend.id}: dense ≡ onnxruntime MatMulInteger / QLinearMatMul`, () => {
    it('MatMulInteger: all int8/uint8 combinations, scalar and per-column zero points', async () => {
      await fc.assert(fc.asyncProperty(
        fc.record({ M: fc.integer({ min: 1, max: 8 }), K: fc.integer({ min: 1, max: 300 }), N: fc.integer({ min: 1, max: 8 }), at: qtype, bt: qtype, perCol: fc.boolean() })
          .chain((c) => fc.record({ c: fc.constant(c), a: qvals(c.at, c.M * c.K), b: qvals(c.bt, c.K * c.N), za: zp(c.at), zb: fc.array(zp(c.bt), { minLength: c.perCol ? c.N : 1, maxLength: c.perCol ? c.N : 1 }) })),
        async ({ c, a, b, za, zb }) => {
          const want = await ortMatMulInteger({ a, aShape: [c.M, c.K], aType: c.at, b, bShape: [c.K, c.N], bType: c.bt, aZeroPoint: za, bZeroPoint: c.perCol ? zb : zb[0] })
          const out = accTensor([c.M, c.N], ACC32)
          backend.dense({
            x: qtensor([c.M, c.K], fmt(c.at), perTensor(1, za), Float64Array.from(a)),
            w: qtensor([c.N, c.K], fmt(c.bt), c.perCol ? perChannel(zb.map(() => 1), zb, 0) : perTensor(1, zb[0]), transpose(b, c.K, c.N)),
            out,
          }, newWork())
          expect(Array.from(out.data as Float64Array)).toEqual(Array.from(want))
        },
      ), RUNS)
    })

    it('QLinearMatMul: float-scale requantization, half to even, saturating (u8×u8, u8×s8, s8×s8)', async () => {
      const combos: [QType, QType, QType][] = [['uint8', 'uint8', 'uint8'], ['uint8', 'int8', 'uint8'], ['int8', 'int8', 'int8']]
      await fc.assert(fc.asyncProperty(
        fc.record({ M: fc.integer({ min: 1, max: 6 }), K: fc.integer({ min: 1, max: 200 }), N: fc.integer({ min: 1, max: 6 }), types: fc.constantFrom(...combos), perCol: fc.boolean() })
          .chain((c) => fc.record({
            c: fc.constant(c), a: qvals(c.types[0], c.M * c.K), b: qvals(c.types[1], c.K * c.N), za: zp(c.types[0]), zy: zp(c.types[2]),
            zb: fc.array(zp(c.types[1]), { minLength: c.perCol ? c.N : 1, maxLength: c.perCol ? c.N : 1 }),
            sa: scale, sy: scale, sb: fc.array(scale, { minLength: c.perCol ? c.N : 1, maxLength: c.perCol ? c.N : 1 }),
          })),
        async ({ c, a, b, za, zb, zy, sa, sb, sy }) => {
          const [at, bt, yt] = c.types
          const want = await ortQLinearMatMul({ a, aShape: [c.M, c.K], aType: at, aScale: sa, aZeroPoint: za, b, bShape: [c.K, c.N], bType: bt, bScale: c.perCol ? sb : sb[0], bZeroPoint: c.perCol ? zb : zb[0], yScale: sy, yZeroPoint: zy, yType: yt })
          const acc = accTensor([c.M, c.N], ACC32)
          backend.dense({
            x: qtensor([c.M, c.K], fmt(at), perTensor(sa, za), Float64Array.from(a)),
            w: qtensor([c.N, c.K], fmt(bt), c.perCol ? perChannel(sb, zb, 0) : perTensor(sb[0], zb[0]), transpose(b, c.K, c.N)),
            out: acc,
          }, newWork())
          const out = qtensor([c.M, c.N], fmt(yt), perTensor(sy, zy))
          backend.requantize({ acc, plan: floatPlan(sb.map((s) => ortOutputScale(sa, s, sy)), 'half-even'), out }, newWork())
          expect(Array.from(out.data)).toEqual(Array.from(want))
        },
      ), RUNS)
    })
  })

  const geometry = fc.record({
    N: fc.integer({ min: 1, max: 2 }), C: fc.integer({ min: 1, max: 4 }), H: fc.integer({ min: 1, max: 9 }), W: fc.integer({ min: 1, max: 9 }),
    KH: fc.integer({ min: 1, max: 3 }), KW: fc.integer({ min: 1, max: 3 }),
    stride: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
    pad: fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 })),
    dil: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })),
  }).filter((g) => g.H + g.pad[0] + g.pad[2] >= g.dil[0] * (g.KH - 1) + 1 && g.W + g.pad[1] + g.pad[3] >= g.dil[1] * (g.KW - 1) + 1)

  describe(`${backend.id}: conv2d / depthwise ≡ onnxruntime ConvInteger / QLinearConv`, () => {
    it('ConvInteger group 1: random geometry, all type combinations', async () => {
      await fc.assert(fc.asyncProperty(
        fc.record({ g: geometry, CO: fc.integer({ min: 1, max: 5 }), xt: qtype, wt: qtype }).chain((c) => fc.record({
          c: fc.constant(c), x: qvals(c.xt, c.g.N * c.g.C * c.g.H * c.g.W), w: qvals(c.wt, c.CO * c.g.C * c.g.KH * c.g.KW), zx: zp(c.xt), zw: zp(c.wt),
        })),
        async ({ c, x, w, zx, zw }) => {
          const { g } = c
          const want = await ortConvInteger({ x, xShape: [g.N, g.C, g.H, g.W], xType: c.xt, w, wShape: [c.CO, g.C, g.KH, g.KW], wType: c.wt, xZeroPoint: zx, wZeroPoint: zw, strides: g.stride, pads: g.pad, dilations: g.dil })
          const out: AccTensor = accTensor([want.shape[0], want.shape[2], want.shape[3], want.shape[1]], ACC32)
          backend.conv2d({
            x: qtensor([g.N, g.H, g.W, g.C], fmt(c.xt), perTensor(1, zx), toChannelsLast(x, [g.N, g.C, g.H, g.W])),
            w: qtensor([c.CO, g.KH, g.KW, g.C], fmt(c.wt), perTensor(1, zw), toChannelsLast(w, [c.CO, g.C, g.KH, g.KW])),
            out, stride: g.stride, padding: g.pad, dilation: g.dil,
          }, newWork())
          expect(toChannelsFirst(out.data, out.shape)).toEqual(Array.from(want.data))
        },
      ), RUNS)
    })

    it('ConvInteger with group = C is depthwise conv (channel multiplier 1–3)', async () => {
      await fc.assert(fc.asyncProperty(
        fc.record({ g: geometry, mult: fc.integer({ min: 1, max: 3 }), xt: qtype, wt: qtype }).chain((c) => fc.record({
          c: fc.constant(c), x: qvals(c.xt, c.g.N * c.g.C * c.g.H * c.g.W), w: qvals(c.wt, c.g.C * c.mult * c.g.KH * c.g.KW), zx: zp(c.xt), zw: zp(c.wt),
        })),
        async ({ c, x, w, zx, zw }) => {
          const { g } = c
          const OC = g.C * c.mult
          const want = await ortConvInteger({ x, xShape: [g.N, g.C, g.H, g.W], xType: c.xt, w, wShape: [OC, 1, g.KH, g.KW], wType: c.wt, xZeroPoint: zx, wZeroPoint: zw, strides: g.stride, pads: g.pad, dilations: g.dil, group: g.C })
          // ONNX depthwise weights [OC, 1, KH, KW] → engine [KH, KW, OC]
          const wl = new Float64Array(OC * g.KH * g.KW)
          for (let oc = 0; oc < OC; oc++) for (let i = 0; i < g.KH * g.KW; i++) wl[i * OC + oc] = w[oc * g.KH * g.KW + i]
          const out = accTensor([want.shape[0], want.shape[2], want.shape[3], want.shape[1]], ACC32)
          backend.depthwiseConv2d({
            x: qtensor([g.N, g.H, g.W, g.C], fmt(c.xt), perTensor(1, zx), toChannelsLast(x, [g.N, g.C, g.H, g.W])),
            w: qtensor([g.KH, g.KW, OC], fmt(c.wt), perTensor(1, zw), wl),
            out, stride: g.stride, padding: g.pad, dilation: g.dil,
          }, newWork())
          expect(toChannelsFirst(out.data, out.shape)).toEqual(Array.from(want.data))
        },
      ), RUNS)
    })

    it('QLinearConv: bias in the accumulator, per-channel weight scales and zero points, saturating output', async () => {
      const combos: [QType, QType, QType][] = [['uint8', 'uint8', 'uint8'], ['uint8', 'int8', 'uint8'], ['int8', 'int8', 'int8']]
      await fc.assert(fc.asyncProperty(
        fc.record({ g: geometry, CO: fc.integer({ min: 1, max: 4 }), types: fc.constantFrom(...combos), perCh: fc.boolean() }).chain((c) => fc.record({
          c: fc.constant(c), x: qvals(c.types[0], c.g.N * c.g.C * c.g.H * c.g.W), w: qvals(c.types[1], c.CO * c.g.C * c.g.KH * c.g.KW),
          zx: zp(c.types[0]), zy: zp(c.types[2]), sx: scale, sy: scale,
          zw: fc.array(zp(c.types[1]), { minLength: c.perCh ? c.CO : 1, maxLength: c.perCh ? c.CO : 1 }),
          sw: fc.array(scale, { minLength: c.perCh ? c.CO : 1, maxLength: c.perCh ? c.CO : 1 }),
          bias: fc.array(fc.integer({ min: -50000, max: 50000 }), { minLength: c.CO, maxLength: c.CO }),
        })),
        async ({ c, x, w, zx, zy, sx, sy, zw, sw, bias }) => {
          const { g } = c
          const [xt, wt, yt] = c.types
          const want = await ortQLinearConv({ x, xShape: [g.N, g.C, g.H, g.W], xType: xt, xScale: sx, xZeroPoint: zx, w, wShape: [c.CO, g.C, g.KH, g.KW], wType: wt, wScale: c.perCh ? sw : sw[0], wZeroPoint: c.perCh ? zw : zw[0], yScale: sy, yZeroPoint: zy, yType: yt, bias, strides: g.stride, pads: g.pad, dilations: g.dil })
          const accShape = [want.shape[0], want.shape[2], want.shape[3], want.shape[1]]
          const acc = accTensor(accShape, ACC32)
          backend.conv2d({
            x: qtensor([g.N, g.H, g.W, g.C], fmt(xt), perTensor(sx, zx), toChannelsLast(x, [g.N, g.C, g.H, g.W])),
            w: qtensor([c.CO, g.KH, g.KW, g.C], fmt(wt), c.perCh ? perChannel(sw, zw, 0) : perTensor(sw[0], zw[0]), toChannelsLast(w, [c.CO, g.C, g.KH, g.KW])),
            bias: Int32Array.from(bias), out: acc, stride: g.stride, padding: g.pad, dilation: g.dil,
          }, newWork())
          const out = qtensor(accShape, fmt(yt), perTensor(sy, zy))
          const work = newWork()
          backend.requantize({ acc, plan: floatPlan(sw.map((s) => ortOutputScale(sx, s, sy)), 'half-even'), out }, work)
          expect(toChannelsFirst(out.data, out.shape)).toEqual(Array.from(want.data))
        },
      ), RUNS)
    })

    it('the output multiplier is a·b/y in float32 steps: cases where computing it in double would differ', async () => {
      // Find scale triples where fround(fround(a·b)/y) ≠ fround(a·b/y) and a single product acc = p·q whose
      // rounded output differs between the two multipliers; onnxruntime must agree with the float32 steps.
      const f = Math.fround
      let state = 7
      const rand = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32)
      const rne = (v: number) => { const r = Math.round(v); return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r }
      let checked = 0
      for (let trial = 0; trial < 20000 && checked < 12; trial++) {
        const a = f(0.001 + rand()), b = f(0.001 + rand()), y = f(1 + rand() * 100) // multipliers around 0.01: outputs stay in int8
        const steps = ortOutputScale(a, b, y)
        const double = f((a * b) / y)
        if (steps === double) continue
        for (let p = -128; p <= 127 && checked < 12; p++) {
          for (const q of [127, -128, 113, -97]) {
            const acc = p * q
            const want = rne(f(acc * steps))
            if (want === rne(f(acc * double)) || Math.abs(want) > 127) continue
            const got = await ortQLinearMatMul({ a: [p], aShape: [1, 1], aType: 'int8', aScale: a, aZeroPoint: 0, b: [q], bShape: [1, 1], bType: 'int8', bScale: b, bZeroPoint: 0, yScale: y, yZeroPoint: 0, yType: 'int8' })
            const out = qtensor([1, 1], fmt('int8'), perTensor(y, 0))
            const accT = accTensor([1, 1], ACC32)
            accT.data[0] = acc
            backend.requantize({ acc: accT, plan: floatPlan([steps]), out }, newWork())
            expect(out.data[0]).toBe(got[0])
            checked++
            break
          }
        }
      }
      expect(checked).toBe(12)
    })

    it('the saturating cases are really exercised (clipped outputs occur)', async () => {
      // one fixed, large case: many outputs must clip at both ends
      const K = 64
      const a = Array.from({ length: 4 * K }, (_, i) => (i * 37) % 256)
      const b = Array.from({ length: K * 4 }, (_, i) => ((i * 53) % 256) - 128)
      const want = await ortQLinearMatMul({ a, aShape: [4, K], aType: 'uint8', aScale: 0.05, aZeroPoint: 128, b, bShape: [K, 4], bType: 'int8', bScale: 0.05, bZeroPoint: 0, yScale: 0.01, yZeroPoint: 128, yType: 'uint8' })
      const acc = accTensor([4, 4], ACC32)
      backend.dense({ x: qtensor([4, K], fmt('uint8'), perTensor(0.05, 128), Float64Array.from(a)), w: qtensor([4, K], fmt('int8'), perTensor(0.05, 0), transpose(b, K, 4)), out: acc }, newWork())
      const out = qtensor([4, 4], fmt('uint8'), perTensor(0.01, 128))
      const work = newWork()
      backend.requantize({ acc, plan: floatPlan([ortOutputScale(0.05, 0.05, 0.01)]), out }, work)
      expect(Array.from(out.data)).toEqual(Array.from(want))
      expect(work.clipped).toBeGreaterThan(4)
      expect(Array.from(want)).toContain(0)
      expect(Array.from(want)).toContain(255)
    })
  })

  describe(`${backend.id}: maxPool2d ≡ onnxruntime MaxPool (int8/uint8)`, () => {
    it('random geometry', async () => {
      await fc.assert(fc.asyncProperty(
        fc.record({ g: geometry, t: qtype }).filter(({ g }) => g.pad[0] < g.KH && g.pad[2] < g.KH && g.pad[1] < g.KW && g.pad[3] < g.KW).chain((c) => fc.record({ c: fc.constant(c), x: qvals(c.t, c.g.N * c.g.C * c.g.H * c.g.W) })),
        async ({ c, x }) => {
          const { g } = c
          const want = await ortMaxPool({ x, xShape: [g.N, g.C, g.H, g.W], xType: c.t, kernelShape: [g.KH, g.KW], strides: g.stride, pads: g.pad, dilations: g.dil })
          const outShape = [want.shape[0], want.shape[2], want.shape[3], want.shape[1]]
          const out = qtensor(outShape, fmt(c.t), perTensor(1))
          backend.maxPool2d({ x: qtensor([g.N, g.H, g.W, g.C], fmt(c.t), perTensor(1), toChannelsLast(x, [g.N, g.C, g.H, g.W])), out, kernel: [g.KH, g.KW], stride: g.stride, padding: g.pad, dilation: g.dil }, newWork())
          expect(toChannelsFirst(out.data, out.shape)).toEqual(Array.from(want.data))
        },
      ), RUNS)
    })
  })
}
