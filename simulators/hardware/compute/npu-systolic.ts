/**
 * npu-systolic — an NPU whose MAC engine is an R × C systolic array (TPU-style, Eyeriss, the MAC arrays of
 * edge NPUs), priced as SCALE-Sim v2 prices it: the GEMM is cut into folds that fit the array, and every
 * fold costs a fixed pipeline fill/drain plus its temporal length.
 *
 * Mapping of a GEMM (M output rows = positions · batch, N output columns = filters, K reduction = window)
 * onto the array: Sr spreads over the R rows, Sc over the C columns, T streams through in time.
 *   ws (weight stationary): Sr = K, Sc = N, T = M   cycles per fold = 2R + C + T − 2
 *   is (input stationary):  Sr = K, Sc = M, T = N   cycles per fold = 2R + C + T − 2
 *   os (output stationary): Sr = M, Sc = N, T = K   cycles per fold = R + C + T − 2
 *   cycles = cycles per fold · ceil(Sr / R) · ceil(Sc / C)
 * The fold lengths are the lengths of SCALE-Sim's demand matrices: WS/IS preload the stationary operand
 * (R cycles), stream T rows skewed over the R rows (R − 1) and drain through the C columns (C − 1); OS has
 * no preload. SCALE-Sim's reported "Total Cycles" is one less (the 0-based index of the last serviced
 * cycle); the golden tests check both (npu-systolic.test.ts, __golden__/scale-sim-v2-compute-reports.json).
 *
 * Depthwise convolution (gemm M = positions · batch, N = channels, K = taps): channels share no inputs,
 * so the rows' broadcast input stream serves one channel at a time. Priced as N independent GEMMs of
 * M × 1 × K run one after another, each mapped like any GEMM with the array's dataflow (on WS/OS it
 * occupies one column: utilisation ≤ 1/C). Vela's depthwise rule belongs to Ethos-U's dot-product engine,
 * not to a systolic array, and is not used.
 *
 * Backward forms (transposed input gradient, outer-product weight gradient) are mapped by their own gemm
 * shape like forward GEMMs; whether the NPU may run them at all is the profile's `operations` decision.
 *
 * Operand widths: when max(a, w) bits exceed `nativeBits`, MAC cycles are multiplied by
 * `wideOperandSlowdown` if the profile gives it (Vela doubles several 16-bit cycle counts on Ethos-U),
 * otherwise by ceil(bits / nativeBits) (a wide operand is fed as that many native-width slices), and
 * rounded up. peakMacsPerCycle divides R · C by the same factor, and utilisation = macs / (cycles · peak
 * for the op's width), so a wide op that fills the array still reads 100 %.
 *
 * Element-wise work (pool, eltwise, requantize, update read-modify-write, rng, loss) runs on the NPU's
 * vector/output stage: cycles = ceil(elementOps / vectorOpsPerCycle), utilisation 0. A MAC op's own
 * elementOps (bias, requantization of its outputs) run in that stage alongside the array, as Vela overlaps
 * its DPU and output stages: cycles = max(array cycles, vector cycles).
 *
 * Ignores: stalls inside compute. Memory traffic is priced separately from the profile's memory levels and
 * combined as max(compute, memory) per op, as Vela combines NPU and memory cycles per pass; SCALE-Sim's
 * stall cycles (scratchpad bandwidth) are therefore not reproduced here. Also ignores sparsity, multiple
 * cores, and fold pipelining across layers.
 *
 * Sources: SCALE-Sim v2 (github.com/scalesim-project/scale-sim-v2) scalesim/compute/systolic_compute_os.py,
 * systolic_compute_ws.py, systolic_compute_is.py (Sr/Sc/T per dataflow, per-fold demand matrices, mapping
 * efficiency and compute utilisation per fold), scalesim/compute/operand_matrix.py (ifmap matrix = ofmap
 * pixels × window, filter matrix = window × filters), scalesim/memory/double_buffered_scratchpad_mem.py
 * (total cycles); Arm Vela ethosu/vela/npu_performance.py (16-bit doubling, max(NPU, memory) per pass);
 * research notes cost-models.md §2.1–2.2.
 */
import { int, num, obj, oneOf, opt, req, type Schema } from '../../core/schema'
import type { CostModel, ComputeCost } from './cost-model'
import type { Op } from '../../core/op'
import { macBits } from './width'

export type Dataflow = 'os' | 'ws' | 'is'

export interface NpuSystolicCompute {
  rows: number
  cols: number
  dataflow: Dataflow
  /** operand width the multipliers take natively (default 8) */
  nativeBits: number
  /** cycle factor for MACs with an operand wider than nativeBits; absent: ceil(bits / nativeBits) */
  wideOperandSlowdown?: number
  /** element-wise operations per cycle of the vector/output stage */
  vectorOpsPerCycle: number
}

export interface Gemm {
  M: number
  N: number
  K: number
}

/** How SCALE-Sim spreads a GEMM over the array: Sr over the rows, Sc over the columns, T in time. */
export function systolicMapping(g: Gemm, dataflow: Dataflow): { Sr: number; Sc: number; T: number } {
  switch (dataflow) {
    case 'ws': return { Sr: g.K, Sc: g.N, T: g.M }
    case 'is': return { Sr: g.K, Sc: g.M, T: g.N }
    case 'os': return { Sr: g.M, Sc: g.N, T: g.K }
  }
}

export interface FoldStats {
  Sr: number
  Sc: number
  T: number
  rowFolds: number
  colFolds: number
  cyclesPerFold: number
  /** cyclesPerFold · rowFolds · colFolds (native-width operands, no stalls) */
  cycles: number
  /** SCALE-Sim's "Mapping Efficiency": mean over folds of (rows used · cols used) / (R · C) */
  mappingEfficiency: number
  /**
   * SCALE-Sim's "Compute Util": mean over folds of used MACs · T / (R · C · fold window), where its fold
   * window is the demand matrix's rows + columns − 1 (R + C + T − 2 for OS, 2R + 2C + T − 3 for WS/IS).
   * Reported for the golden checks; the cost model's utilisation is macs / (cycles · R · C).
   */
  scaleSimComputeUtil: number
}

/** Folds, cycles and SCALE-Sim's efficiency figures of one GEMM on an R × C array. */
export function systolicFolds(g: Gemm, a: { rows: number; cols: number; dataflow: Dataflow }): FoldStats {
  const { Sr, Sc, T } = systolicMapping(g, a.dataflow)
  const R = a.rows
  const C = a.cols
  const rowFolds = Math.ceil(Sr / R)
  const colFolds = Math.ceil(Sc / C)
  const folds = rowFolds * colFolds
  const stationaryPreload = a.dataflow === 'os' ? 0 : R
  const cyclesPerFold = stationaryPreload + R + C + T - 2
  // Σ over folds of rows used is Sr per column fold, of cols used Sc per row fold: Σ used = Sr · Sc
  const usedOverFolds = folds > 0 ? (Sr * Sc) / (folds * R * C) : 0
  const utilWindow = a.dataflow === 'os' ? cyclesPerFold : cyclesPerFold + C - 1
  return {
    Sr, Sc, T, rowFolds, colFolds, cyclesPerFold,
    cycles: folds > 0 ? cyclesPerFold * folds : 0,
    mappingEfficiency: usedOverFolds,
    scaleSimComputeUtil: folds > 0 ? (usedOverFolds * T) / utilWindow : 0,
  }
}

/** Depthwise work (N channels of M × K taps): N single-column GEMMs of M × 1 × K, one after another. */
export function depthwiseCycles(g: Gemm, a: { rows: number; cols: number; dataflow: Dataflow }): number {
  return g.N * systolicFolds({ M: g.M, N: 1, K: g.K }, a).cycles
}

/** The cycle factor for operands of `bits` (1 at or below nativeBits). */
export function wideSlowdown(c: Pick<NpuSystolicCompute, 'nativeBits' | 'wideOperandSlowdown'>, bits: number): number {
  if (bits <= c.nativeBits) return 1
  return c.wideOperandSlowdown ?? Math.ceil(bits / c.nativeBits)
}

const MAC_KINDS: ReadonlySet<Op['kind']> = new Set(['matmul', 'conv', 'depthwise'])

const positive: Schema<number> = (v, path, ctx) => {
  const n = num()(v, path, ctx)
  if (n === undefined) return undefined
  if (!(n > 0)) {
    ctx.errors.push({ path, message: `must be greater than 0, got ${n}` })
    return undefined
  }
  return n
}

const vectorCycles = (elementOps: number, c: NpuSystolicCompute) => (elementOps > 0 ? Math.ceil(elementOps / c.vectorOpsPerCycle) : 0)

export const npuSystolic: CostModel<NpuSystolicCompute> = {
  kind: 'npu-systolic',
  label: 'NPU systolic MAC array (OS / WS / IS)',
  description:
    'A rows × cols systolic array priced by SCALE-Sim v2\'s fold arithmetic (per-fold fill and drain, ceil(Sr/R)·ceil(Sc/C) folds) for '
    + 'output-, weight- or input-stationary dataflow; depthwise as one channel at a time; wide operands slowed by a factor; '
    + 'element-wise work on a vector stage. No stalls inside compute: memory is priced separately and combined as max(compute, memory), as in Arm Vela.',
  computeSchema: obj({
    rows: req(int(1, 65536)),
    cols: req(int(1, 65536)),
    dataflow: req(oneOf(['os', 'ws', 'is'] as const)),
    nativeBits: opt(int(2, 32), 8),
    wideOperandSlowdown: opt(num({ min: 1 })),
    vectorOpsPerCycle: req(positive),
  }) as Schema<NpuSystolicCompute>,
  peakMacsPerCycle: (c, bits) => (c.rows * c.cols) / wideSlowdown(c, bits),
  computeCycles(op: Op, c: NpuSystolicCompute): ComputeCost {
    if (!MAC_KINDS.has(op.kind)) return { cycles: vectorCycles(op.elementOps, c), utilization: 0 }
    if (!op.gemm) throw new RangeError(`npu-systolic: a ${op.kind} op (node ${op.node}, ${op.phase}) has no gemm shape to map onto the array`)
    const base = op.kind === 'depthwise' ? depthwiseCycles(op.gemm, c) : systolicFolds(op.gemm, c).cycles
    const slowdown = wideSlowdown(c, macBits(op))
    const cycles = Math.max(Math.ceil(base * slowdown), vectorCycles(op.elementOps, c))
    const peak = (c.rows * c.cols) / slowdown
    const utilization = cycles > 0 && op.macs > 0 ? Math.min(1, Math.max(0, op.macs / (cycles * peak))) : 0
    return { cycles, utilization }
  },
}
