import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { validate } from '../../core/schema'
import type { Op } from '../../core/op'
import { getCostModel } from './registry'
import { depthwiseCycles, npuSystolic, systolicFolds, systolicMapping, type Dataflow, type Gemm, type NpuSystolicCompute } from './npu-systolic'
import golden from './__golden__/scale-sim-v2-compute-reports.json'

const RUNS = { numRuns: 500 }

function array(rows: number, cols: number, dataflow: Dataflow, more: Partial<NpuSystolicCompute> = {}): NpuSystolicCompute {
  return { rows, cols, dataflow, nativeBits: 8, vectorOpsPerCycle: 16, ...more }
}

function macOp(kind: 'matmul' | 'conv' | 'depthwise', gemm: Gemm, more: Partial<Op> = {}): Op {
  return {
    phase: 'forward', node: 0, kind, form: 'forward', gemm, macs: gemm.M * gemm.N * gemm.K, elementOps: 0,
    bytesRead: 0, bytesWritten: 0, weightBytesRead: 0, bits: { a: 8, w: 8, acc: 32 }, ...more,
  }
}

function vectorOp(kind: Op['kind'], elementOps: number): Op {
  return { phase: 'update', node: 1, kind, form: 'forward', macs: 0, elementOps, bytesRead: 0, bytesWritten: 0, weightBytesRead: 0, bits: { a: 8, w: 8, acc: 32 } }
}

/** SCALE-Sim's im2col view of a convolution (scalesim/compute/operand_matrix.py, no padding). */
function convGemm(l: { ifmapH: number; ifmapW: number; filterH: number; filterW: number; channels: number; filters: number; stride: number }): Gemm {
  const oh = Math.ceil((l.ifmapH - l.filterH + l.stride) / l.stride)
  const ow = Math.ceil((l.ifmapW - l.filterW + l.stride) / l.stride)
  return { M: oh * ow, N: l.filters, K: l.filterH * l.filterW * l.channels }
}

interface GoldenCase {
  name: string
  source: { repo: string; path: string; commit: string }
  array: { rows: number; cols: number; dataflow: string }
  layer?: Parameters<typeof convGemm>[0]
  gemm?: Gemm
  report: { totalCycles: number; stallCycles: number; overallUtilPercent: number; mappingEfficiencyPercent: number; computeUtilPercent: number }
}
const cases = golden.cases as GoldenCase[]

describe('golden: SCALE-Sim v2 COMPUTE_REPORT.csv', () => {
  it('AlexNet Conv1 on a 32×32 WS array: 112,284 cycles by the fold formula, SCALE-Sim reports 112,283; mapping efficiency 94.53125 %', () => {
    const g = cases[0]
    expect(g.source.path).toBe('test/golden_trace/COMPUTE_REPORT.csv')
    const gemm = convGemm(g.layer!)
    expect(gemm).toEqual({ M: 55 * 55, N: 96, K: 363 })
    const c = array(32, 32, 'ws')
    const f = systolicFolds(gemm, c)
    expect([f.Sr, f.Sc, f.T, f.rowFolds, f.colFolds, f.cyclesPerFold]).toEqual([363, 96, 3025, 12, 3, 3119])
    expect(f.cycles).toBe((2 * 32 + 32 + 3025 - 2) * 12 * 3)
    expect(f.cycles).toBe(112_284)
    expect(Math.abs(f.cycles - g.report.totalCycles)).toBeLessThanOrEqual(1)
    expect(f.mappingEfficiency * 100).toBe(94.53125)
    expect(f.scaleSimComputeUtil * 100).toBeCloseTo(g.report.computeUtilPercent, 10)

    const cost = npuSystolic.computeCycles(macOp('conv', gemm), c)
    expect(cost.cycles).toBe(112_284)
    const macs = 3025 * 96 * 363
    expect(cost.utilization).toBe(macs / (112_284 * 1024))
    // SCALE-Sim's Overall Util % is the same ratio over its (0-based) total cycle count
    expect((macs / (g.report.totalCycles * 1024)) * 100).toBeCloseTo(g.report.overallUtilPercent, 10)
    expect(cost.utilization * 100).toBeCloseTo(g.report.overallUtilPercent, 2)
  })

  it.each(cases.slice(1).map((g) => [g.name, g] as const))('%s: stall-free cycles = SCALE-Sim total − stall + 1; mapping and compute utilisation match', (_, g) => {
    const c = array(g.array.rows, g.array.cols, g.array.dataflow as Dataflow)
    const gemm = g.gemm!
    const f = systolicFolds(gemm, c)
    expect(f.cycles).toBe(f.cyclesPerFold * f.rowFolds * f.colFolds)
    expect(f.cycles - 1).toBe(g.report.totalCycles - g.report.stallCycles)
    expect(f.mappingEfficiency * 100).toBeCloseTo(g.report.mappingEfficiencyPercent, 10)
    expect(f.scaleSimComputeUtil * 100).toBeCloseTo(g.report.computeUtilPercent, 10)
    // the report's Overall Util % is M·N·K over its stalled total: confirms SCALE-Sim read the GEMM as M·N·K MACs
    expect(((gemm.M * gemm.N * gemm.K) / (g.report.totalCycles * 1024)) * 100).toBeCloseTo(g.report.overallUtilPercent, 10)
    expect(npuSystolic.computeCycles(macOp('matmul', gemm), c).cycles).toBe(f.cycles)
  })

  it('the three GEMM goldens pin the per-dataflow mapping: OS 10,176, WS 11,200, IS 14,208 cycles', () => {
    const gemm = { M: 256, N: 128, K: 256 }
    expect(systolicFolds(gemm, array(32, 32, 'os')).cycles).toBe((32 + 32 + 256 - 2) * 8 * 4)
    expect(systolicFolds(gemm, array(32, 32, 'ws')).cycles).toBe((64 + 32 + 256 - 2) * 8 * 4)
    expect(systolicFolds(gemm, array(32, 32, 'is')).cycles).toBe((64 + 32 + 128 - 2) * 8 * 8)
    expect(systolicMapping(gemm, 'is')).toEqual({ Sr: 256, Sc: 256, T: 128 })
  })

  it("non-square: the mapping is SCALE-Sim's set_params (ifmap matrix M × K, filter matrix K × N)", () => {
    // the goldens have M = K, so they cannot tell Sr = K from Sr = M; systolic_compute_{os,ws,is}.py can:
    // os: Sr = ifmap rows, Sc = filter cols, T = ifmap cols; ws: Sr = ifmap cols, Sc = filter cols, T = ifmap rows;
    // is: Sr = ifmap cols, Sc = ifmap rows, T = filter cols
    const g = { M: 3, N: 5, K: 7 }
    expect(systolicMapping(g, 'os')).toEqual({ Sr: 3, Sc: 5, T: 7 })
    expect(systolicMapping(g, 'ws')).toEqual({ Sr: 7, Sc: 5, T: 3 })
    expect(systolicMapping(g, 'is')).toEqual({ Sr: 7, Sc: 3, T: 5 })
    expect(systolicFolds({ M: 300, N: 50, K: 70 }, array(32, 16, 'is')).cycles).toBe((64 + 16 + 50 - 2) * 3 * 19)
  })
})

describe('pricing rules', () => {
  it('depthwise: N single-column GEMMs of M × 1 × K, utilisation ≤ 1/C on WS and OS', () => {
    const gemm = { M: 28 * 28, N: 64, K: 9 }
    for (const df of ['ws', 'os', 'is'] as const) {
      const c = array(16, 16, df)
      const cost = npuSystolic.computeCycles(macOp('depthwise', gemm), c)
      expect(cost.cycles).toBe(64 * systolicFolds({ M: 784, N: 1, K: 9 }, c).cycles)
      expect(cost.cycles).toBe(depthwiseCycles(gemm, c))
      if (df !== 'is') expect(cost.utilization).toBeLessThanOrEqual(1 / 16)
      expect(cost.cycles).toBeGreaterThan(npuSystolic.computeCycles(macOp('conv', gemm), c).cycles)
    }
    // WS: ceil(9/16) = 1 row fold per channel, fold = 2·16 + 16 + 784 − 2
    expect(depthwiseCycles(gemm, array(16, 16, 'ws'))).toBe(64 * (32 + 16 + 784 - 2))
  })

  it('wide operands: the given factor, or ceil(bits / nativeBits); peak divides by the same factor', () => {
    const gemm = { M: 100, N: 40, K: 70 }
    const base = systolicFolds(gemm, array(32, 32, 'ws')).cycles
    const a16 = macOp('matmul', gemm, { bits: { a: 16, w: 8, acc: 32 } })
    expect(npuSystolic.computeCycles(a16, array(32, 32, 'ws')).cycles).toBe(2 * base)
    expect(npuSystolic.computeCycles(macOp('matmul', gemm, { bits: { a: 8, w: 32, acc: 48 } }), array(32, 32, 'ws')).cycles).toBe(4 * base)
    expect(npuSystolic.computeCycles(a16, array(32, 32, 'ws', { wideOperandSlowdown: 1.5 })).cycles).toBe(Math.ceil(1.5 * base))
    expect(npuSystolic.computeCycles(a16, array(32, 32, 'ws', { nativeBits: 16 })).cycles).toBe(base)
    expect(npuSystolic.peakMacsPerCycle(array(32, 32, 'ws'), 8)).toBe(1024)
    expect(npuSystolic.peakMacsPerCycle(array(32, 32, 'ws'), 16)).toBe(512)
    expect(npuSystolic.peakMacsPerCycle(array(32, 32, 'ws', { wideOperandSlowdown: 2 }), 32)).toBe(512)
    // utilisation is measured against the width's peak: a wide op keeps its mapping's utilisation
    const u8 = npuSystolic.computeCycles(macOp('matmul', gemm), array(32, 32, 'ws')).utilization
    expect(npuSystolic.computeCycles(a16, array(32, 32, 'ws')).utilization).toBeCloseTo(u8, 12)
  })

  it('non-MAC ops: ceil(elementOps / vectorOpsPerCycle) cycles, utilisation 0', () => {
    const c = array(8, 8, 'os', { vectorOpsPerCycle: 16 })
    for (const kind of ['pool', 'eltwise', 'requantize', 'update', 'rng', 'loss'] as const) {
      expect(npuSystolic.computeCycles(vectorOp(kind, 1000), c)).toEqual({ cycles: 63, utilization: 0 })
      expect(npuSystolic.computeCycles(vectorOp(kind, 0), c)).toEqual({ cycles: 0, utilization: 0 })
    }
    expect(npuSystolic.computeCycles(vectorOp('eltwise', 10), array(8, 8, 'os', { vectorOpsPerCycle: 0.5 })).cycles).toBe(20)
  })

  it("a MAC op's own element-wise work overlaps the array (Vela's DPU/output overlap): max of the two", () => {
    const c = array(8, 8, 'os', { vectorOpsPerCycle: 1 })
    const gemm = { M: 8, N: 8, K: 8 }
    expect(npuSystolic.computeCycles(macOp('matmul', gemm, { elementOps: 10 }), c).cycles).toBe(22)
    expect(npuSystolic.computeCycles(macOp('matmul', gemm, { elementOps: 64 }), c).cycles).toBe(64)
  })

  it('backward forms are mapped by their gemm shape like forward ones', () => {
    const c = array(16, 16, 'ws')
    const gemm = { M: 9, N: 32, K: 200 }
    const fwd = npuSystolic.computeCycles(macOp('conv', gemm), c)
    expect(npuSystolic.computeCycles(macOp('conv', gemm, { form: 'transposed', phase: 'backward' }), c)).toEqual(fwd)
    expect(npuSystolic.computeCycles(macOp('matmul', gemm, { form: 'outer-product', phase: 'backward' }), c)).toEqual(fwd)
  })

  it('a MAC op without a gemm shape is an error naming the op; empty GEMMs cost nothing', () => {
    const op = macOp('conv', { M: 1, N: 1, K: 1 })
    delete op.gemm
    expect(() => npuSystolic.computeCycles(op, array(4, 4, 'ws'))).toThrow(/conv op \(node 0, forward\) has no gemm/)
    expect(npuSystolic.computeCycles(macOp('matmul', { M: 0, N: 5, K: 5 }), array(4, 4, 'os'))).toEqual({ cycles: 0, utilization: 0 })
  })

  it('a taller array can be slower: with T = 1 the 2R weight preload dominates (WS, C = 1)', () => {
    const gemm = { M: 1, N: 1, K: 96 }
    expect(systolicFolds(gemm, array(32, 1, 'ws')).cycles).toBe(64 * 3)
    expect(systolicFolds(gemm, array(64, 1, 'ws')).cycles).toBe(128 * 2)
  })

  it('is registered under its kind', () => {
    expect(getCostModel('npu-systolic')).toBe(npuSystolic)
  })
})

const dataflows = fc.constantFrom<Dataflow>('os', 'ws', 'is')
const dim = fc.integer({ min: 1, max: 3000 })
const gemmArb = fc.record({ M: dim, N: dim, K: dim })
const side = fc.integer({ min: 1, max: 128 })
const macKind = fc.constantFrom('matmul' as const, 'conv' as const, 'depthwise' as const)
const cycles = (kind: 'matmul' | 'conv' | 'depthwise', g: Gemm, c: NpuSystolicCompute, bits = 8) =>
  npuSystolic.computeCycles(macOp(kind, g, { bits: { a: bits, w: 8, acc: 32 } }), c).cycles

describe('properties', () => {
  it('cycles never decrease when M, N or K grow', () => {
    fc.assert(fc.property(macKind, gemmArb, side, side, dataflows, fc.constantFrom('M', 'N', 'K'), fc.integer({ min: 1, max: 500 }), (kind, g, R, C, df, d, grow) => {
      const c = array(R, C, df)
      expect(cycles(kind, { ...g, [d]: g[d as keyof Gemm] + grow }, c)).toBeGreaterThanOrEqual(cycles(kind, g, c))
    }), RUNS)
  })

  it('utilisation is in [0, 1] for any shape, width, slowdown and element-wise load', () => {
    fc.assert(fc.property(
      macKind, gemmArb, side, side, dataflows, fc.integer({ min: 2, max: 32 }), fc.integer({ min: 2, max: 32 }), fc.integer({ min: 2, max: 16 }),
      fc.option(fc.double({ min: 1, max: 8, noNaN: true }), { nil: undefined }), fc.integer({ min: 0, max: 1e7 }),
      (kind, g, R, C, df, a, w, nativeBits, wideOperandSlowdown, elementOps) => {
        const c = array(R, C, df, { nativeBits, wideOperandSlowdown })
        const { cycles: n, utilization } = npuSystolic.computeCycles(macOp(kind, g, { bits: { a, w, acc: 32 }, elementOps }), c)
        expect(Number.isInteger(n) && n > 0).toBe(true)
        expect(utilization).toBeGreaterThanOrEqual(0)
        expect(utilization).toBeLessThanOrEqual(1)
      },
    ), RUNS)
  })

  it('a GEMM that fits one fold on OS (M ≤ R, N ≤ C) takes R + C + T − 2 cycles', () => {
    fc.assert(fc.property(side, side, dim, fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (R, C, K, fm, fn) => {
      const M = 1 + Math.floor(fm * (R - 1))
      const N = 1 + Math.floor(fn * (C - 1))
      expect(cycles('matmul', { M, N, K }, array(R, C, 'os'))).toBe(R + C + K - 2)
    }), RUNS)
  })

  it('doubling the rows never increases cycles when every GEMM dimension is at least 2R + 2', () => {
    // "GEMM ≥ array": at least two row folds and T long enough to amortise the doubled fill and preload
    // (without it a taller array can be slower, see 'a taller array can be slower' above)
    fc.assert(fc.property(fc.integer({ min: 1, max: 64 }), side, dataflows, fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 0, max: 2000 }), (R, C, df, m, n, k) => {
      const min = 2 * R + 2
      const g = { M: min + m, N: min + n, K: min + k }
      expect(cycles('matmul', g, array(2 * R, C, df))).toBeLessThanOrEqual(cycles('matmul', g, array(R, C, df)))
    }), RUNS)
  })

  it('wide operands are never faster', () => {
    fc.assert(fc.property(
      macKind, gemmArb, side, side, dataflows, fc.integer({ min: 2, max: 16 }), fc.integer({ min: 0, max: 16 }),
      fc.option(fc.double({ min: 1, max: 8, noNaN: true }), { nil: undefined }),
      (kind, g, R, C, df, nativeBits, extra, wideOperandSlowdown) => {
        const c = array(R, C, df, { nativeBits, wideOperandSlowdown })
        const native = cycles(kind, g, c, nativeBits)
        const wide = cycles(kind, g, c, nativeBits + extra)
        expect(wide).toBeGreaterThanOrEqual(native)
        expect(npuSystolic.peakMacsPerCycle(c, nativeBits + extra)).toBeLessThanOrEqual(npuSystolic.peakMacsPerCycle(c, nativeBits))
      },
    ), RUNS)
  })

  it("mapping efficiency is SCALE-Sim's per-fold mean, and lies in (0, 1]", () => {
    fc.assert(fc.property(gemmArb, fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40 }), dataflows, (g, R, C, df) => {
      const f = systolicFolds(g, array(R, C, df))
      let sum = 0
      for (let fr = 0; fr < f.rowFolds; fr++) for (let fcol = 0; fcol < f.colFolds; fcol++) {
        sum += (Math.min(R, f.Sr - fr * R) * Math.min(C, f.Sc - fcol * C)) / (R * C)
      }
      expect(f.mappingEfficiency).toBeCloseTo(sum / (f.rowFolds * f.colFolds), 12)
      expect(f.mappingEfficiency).toBeGreaterThan(0)
      expect(f.mappingEfficiency).toBeLessThanOrEqual(1)
    }), { numRuns: 200 })
  })
})

describe('compute schema', () => {
  const ok = { rows: 32, cols: 32, dataflow: 'ws', vectorOpsPerCycle: 16 }

  it('accepts a minimal block and fills nativeBits = 8', () => {
    const r = validate(npuSystolic.computeSchema, ok)
    expect(r.ok).toBe(true)
    if (r.ok) {
      expect(r.value).toEqual({ rows: 32, cols: 32, dataflow: 'ws', nativeBits: 8, vectorOpsPerCycle: 16 })
      expect(r.value.wideOperandSlowdown).toBeUndefined()
    }
    expect(validate(npuSystolic.computeSchema, { ...ok, nativeBits: 16, wideOperandSlowdown: 2 }).ok).toBe(true)
  })

  it('an unknown field is an error naming it', () => {
    const r = validate(npuSystolic.computeSchema, { ...ok, rowz: 4 })
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.errors).toEqual([expect.objectContaining({ path: 'rowz', message: expect.stringMatching(/^unknown field/) })])
  })

  it.each([
    ['rows', 0, /at least 1/],
    ['rows', 2.5, /integer/],
    ['cols', '32', /number/],
    ['dataflow', 'rs', /one of "os", "ws", "is"/],
    ['nativeBits', 1, /at least 2/],
    ['wideOperandSlowdown', 0.5, /at least 1/],
    ['vectorOpsPerCycle', 0, /greater than 0/],
    ['vectorOpsPerCycle', -3, /greater than 0/],
  ] as const)('%s = %j is an error naming the field', (field, value, message) => {
    const r = validate(npuSystolic.computeSchema, { ...ok, [field]: value })
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.errors).toEqual([{ path: field, message: expect.stringMatching(message) }])
  })

  it('missing required fields are each reported', () => {
    const r = validate(npuSystolic.computeSchema, {})
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.errors.map((e) => e.path).sort()).toEqual(['cols', 'dataflow', 'rows', 'vectorOpsPerCycle'])
  })
})
