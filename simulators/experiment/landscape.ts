/**
 * Loss landscape slice: L(w0 + a·d1 + b·d2) on a grid (a, b) around a training's start point w0, with
 * training trajectories projected onto the plane span(d1, d2).
 *
 * Method: Li, Xu, Taylor, Studer, Goldstein, "Visualizing the Loss Landscape of Neural Nets", NeurIPS 2018
 * (arXiv:1712.09913) — random directions with *filter normalisation*: each filter (output channel) of a random
 * Gaussian direction is rescaled to the norm of the same filter of w0, so that the slice is comparable across
 * layers whose weights have different scales. Trajectory projection as in their §7 (there onto PCA directions;
 * here onto the chosen directions by least squares, with the residual reported because a 2-D plane cannot hold a
 * high-dimensional path exactly).
 *
 * Integer arithmetic: directions and coordinates are real (in the units of the dequantized weights); at every grid
 * point the weights are requantized to the run's integer format with the tensor's own per-channel scales:
 * code = clamp(roundReal(w / scale) + zeroPoint, qmin, qmax), rounding half-away-from-zero (the run's default
 * weight rounding), so the loss is that of a network the device could actually hold. Grid points whose weights
 * clip are counted.
 *
 * The engine is model-agnostic: the caller supplies the loss of a set of weight codes (for a QNetwork: a forward
 * pass over a fixed evaluation batch with those codes as overrides).
 */
import { roundReal } from '../core/quant'
import { fill } from '../core/rng'

/**
 * One weight tensor in the run's integer format. Element k belongs to channel floor(k / inner) mod channels
 * (`inner` = product of the dimensions after the channel axis; default: channel axis 0).
 */
export interface LandscapeTensor {
  name: string
  inner?: number
  /** start-point codes w0 */
  codes: ArrayLike<number>
  /** per-channel scales (real units per code); length = number of channels */
  scales: ArrayLike<number>
  /** per-channel zero points (0 for symmetric weights); length = channels */
  zeroPoints: ArrayLike<number>
  qmin: number
  qmax: number
}

/** A direction or a weight offset, per tensor, in real (dequantized) units. */
export type RealVector = Float64Array[]

export interface GridSpec {
  /** coordinate range along d1 and d2, e.g. [-1, 1] */
  aRange: [number, number]
  bRange: [number, number]
  /** points per axis, 2 … MAX_GRID_POINTS */
  aPoints: number
  bPoints: number
}

/** Bound on points per axis: each point is a forward pass of the evaluation batch (51 × 51 = 2601 passes). */
export const MAX_GRID_POINTS = 51

export interface Slice {
  a: number[]
  b: number[]
  /** loss[j][i] at (a[i], b[j]) */
  loss: number[][]
  /** grid points where at least one weight hit qmin/qmax */
  clippedPoints: number
}

export interface ProjectedPoint {
  step: number
  a: number
  b: number
  /** ‖x − a·d1 − b·d2‖ (real units), the part of the offset outside the plane */
  residual: number
  /** ‖x‖, for reading the residual as a fraction */
  norm: number
}

export type LossOfCodes = (codes: Int32Array[]) => number

function channelOf(t: LandscapeTensor, k: number): number {
  return Math.floor(k / (t.inner ?? t.codes.length / t.scales.length)) % t.scales.length
}

/** Rejects malformed tensors with the field and the reason. */
export function validateTensors(tensors: LandscapeTensor[]): void {
  if (tensors.length === 0) throw new RangeError('tensors: at least one weight tensor is needed')
  for (const t of tensors) {
    const ch = t.scales.length
    if (ch === 0 || t.codes.length % ch !== 0) throw new RangeError(`${t.name}.scales: ${ch} channels do not divide ${t.codes.length} weights`)
    if (t.zeroPoints.length !== ch) throw new RangeError(`${t.name}.zeroPoints: expected ${ch}, got ${t.zeroPoints.length}`)
    for (let c = 0; c < ch; c++) if (!(t.scales[c] > 0) || !Number.isFinite(t.scales[c])) throw new RangeError(`${t.name}.scales[${c}]: must be a finite positive number, got ${t.scales[c]}`)
    if (t.inner !== undefined && (!Number.isInteger(t.inner) || t.inner < 1 || t.codes.length % (t.inner * ch) !== 0)) throw new RangeError(`${t.name}.inner: ${t.inner} × ${ch} channels does not divide ${t.codes.length} weights`)
    if (!Number.isInteger(t.qmin) || !Number.isInteger(t.qmax) || t.qmin >= t.qmax) throw new RangeError(`${t.name}: qmin/qmax must be integers with qmin < qmax`)
  }
}

export function validateGrid(g: GridSpec): void {
  for (const [field, r] of [['aRange', g.aRange], ['bRange', g.bRange]] as const) {
    if (!Array.isArray(r) || r.length !== 2 || !Number.isFinite(r[0]) || !Number.isFinite(r[1]) || r[0] >= r[1]) throw new RangeError(`grid.${field}: must be two finite numbers [lo, hi] with lo < hi`)
  }
  for (const [field, n] of [['aPoints', g.aPoints], ['bPoints', g.bPoints]] as const) {
    if (!Number.isInteger(n) || n < 2 || n > MAX_GRID_POINTS) throw new RangeError(`grid.${field}: must be an integer in [2, ${MAX_GRID_POINTS}], got ${n}`)
  }
}

function checkVector(tensors: LandscapeTensor[], v: RealVector, field: string): void {
  if (v.length !== tensors.length) throw new RangeError(`${field}: expected ${tensors.length} tensors, got ${v.length}`)
  v.forEach((x, i) => {
    if (x.length !== tensors[i].codes.length) throw new RangeError(`${field}[${i}] (${tensors[i].name}): expected ${tensors[i].codes.length} values, got ${x.length}`)
    for (let k = 0; k < x.length; k++) if (!Number.isFinite(x[k])) throw new RangeError(`${field}[${i}] (${tensors[i].name}): value ${k} is not finite`)
  })
}

/** Dequantized weights (code − zeroPoint)·scale of each tensor. */
export function realWeights(tensors: LandscapeTensor[], codes?: ArrayLike<number>[]): RealVector {
  return tensors.map((t, i) => {
    const src = codes ? codes[i] : t.codes
    const out = new Float64Array(t.codes.length)
    for (let k = 0; k < out.length; k++) {
      const c = channelOf(t, k)
      out[k] = (src[k] - t.zeroPoints[c]) * t.scales[c]
    }
    return out
  })
}

/** Net parameter change of a run (end codes − start codes) in real units: the "update direction" of that run. */
export function updateDirection(tensors: LandscapeTensor[], endCodes: ArrayLike<number>[]): RealVector {
  const w0 = realWeights(tensors)
  return realWeights(tensors, endCodes).map((w, i) => w.map((x, k) => x - w0[i][k]))
}

/**
 * Random Gaussian direction (Philox, addressed by seed and `which`), filter-normalised: for each tensor and
 * output channel c, ‖d_c‖ = ‖w0_c‖ (Li et al. 2018 §4). A channel whose w0 is all zero gets a zero direction.
 */
export function filterNormalisedDirection(tensors: LandscapeTensor[], seed: number, which: number): RealVector {
  validateTensors(tensors)
  const w0 = realWeights(tensors)
  return tensors.map((t, i) => {
    const d = fill({ seed, step: which, tensor: i }, 'gaussian', new Float64Array(t.codes.length))
    const nd = new Float64Array(t.scales.length)
    const nw = new Float64Array(t.scales.length)
    for (let k = 0; k < d.length; k++) { const c = channelOf(t, k); nd[c] += d[k] * d[k]; nw[c] += w0[i][k] * w0[i][k] }
    for (let k = 0; k < d.length; k++) { const c = channelOf(t, k); d[k] *= nd[c] > 0 ? Math.sqrt(nw[c] / nd[c]) : 0 }
    return d
  })
}

function linspace(lo: number, hi: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => lo + ((hi - lo) * i) / (n - 1))
}

/** Codes of w0 + a·d1 + b·d2, requantized per channel (half-away); returns whether any weight clipped. */
export function codesAt(tensors: LandscapeTensor[], w0: RealVector, d1: RealVector, d2: RealVector, a: number, b: number, out: Int32Array[]): boolean {
  let clipped = false
  tensors.forEach((t, i) => {
    for (let k = 0; k < t.codes.length; k++) {
      const c = channelOf(t, k)
      const q = roundReal((w0[i][k] + a * d1[i][k] + b * d2[i][k]) / t.scales[c], 'half-away') + t.zeroPoints[c]
      const v = Math.min(t.qmax, Math.max(t.qmin, q))
      if (v !== q) clipped = true
      out[i][k] = v
    }
  })
  return clipped
}

export interface SliceProgress { done: number; total: number }

/**
 * Loss at every grid point. `onProgress` is called after each row; `shouldStop` is polled between points and
 * aborts with an Error('cancelled') (the worker's cancellation).
 */
export function computeSlice(tensors: LandscapeTensor[], d1: RealVector, d2: RealVector, grid: GridSpec, loss: LossOfCodes, onProgress?: (p: SliceProgress) => void, shouldStop?: () => boolean): Slice {
  validateTensors(tensors)
  validateGrid(grid)
  checkVector(tensors, d1, 'd1')
  checkVector(tensors, d2, 'd2')
  const w0 = realWeights(tensors)
  const a = linspace(grid.aRange[0], grid.aRange[1], grid.aPoints)
  const b = linspace(grid.bRange[0], grid.bRange[1], grid.bPoints)
  const codes = tensors.map((t) => new Int32Array(t.codes.length))
  const total = a.length * b.length
  let clippedPoints = 0
  const rows: number[][] = []
  for (let j = 0; j < b.length; j++) {
    const row: number[] = []
    for (let i = 0; i < a.length; i++) {
      if (shouldStop?.()) throw new Error('cancelled')
      if (codesAt(tensors, w0, d1, d2, a[i], b[j], codes)) clippedPoints++
      const l = loss(codes)
      if (!Number.isFinite(l)) throw new RangeError(`loss at (a=${a[i]}, b=${b[j]}) is not finite (${l})`)
      row.push(l)
    }
    rows.push(row)
    onProgress?.({ done: (j + 1) * a.length, total })
  }
  return { a, b, loss: rows, clippedPoints }
}

function dot(x: RealVector, y: RealVector): number {
  let s = 0
  for (let i = 0; i < x.length; i++) for (let k = 0; k < x[i].length; k++) s += x[i][k] * y[i][k]
  return s
}

/**
 * Least-squares coordinates of offsets x (weights − w0, real units) in span(d1, d2): solves the 2×2 normal
 * equations G·[a b]ᵀ = [d1·x d2·x]ᵀ with G the Gram matrix. Rejects collinear directions (det G ≈ 0).
 */
export function projectOffsets(d1: RealVector, d2: RealVector, offsets: { step: number; x: RealVector }[]): ProjectedPoint[] {
  const g11 = dot(d1, d1)
  const g12 = dot(d1, d2)
  const g22 = dot(d2, d2)
  const det = g11 * g22 - g12 * g12
  // relative test: det/(g11·g22) = sin²(angle between d1 and d2)
  if (!(g11 > 0) || !(g22 > 0) || det <= 1e-12 * g11 * g22) throw new RangeError('directions: d1 and d2 must be non-zero and not parallel (the plane is undefined)')
  return offsets.map(({ step, x }) => {
    const r1 = dot(d1, x)
    const r2 = dot(d2, x)
    const a = (g22 * r1 - g12 * r2) / det
    const b = (g11 * r2 - g12 * r1) / det
    let res = 0
    let norm = 0
    for (let i = 0; i < x.length; i++) {
      for (let k = 0; k < x[i].length; k++) {
        const e = x[i][k] - a * d1[i][k] - b * d2[i][k]
        res += e * e
        norm += x[i][k] * x[i][k]
      }
    }
    return { step, a, b, residual: Math.sqrt(res), norm: Math.sqrt(norm) }
  })
}

/** Trajectory (code snapshots at recorded steps) projected onto the plane through w0. */
export function projectTrajectory(tensors: LandscapeTensor[], d1: RealVector, d2: RealVector, snapshots: { step: number; codes: ArrayLike<number>[] }[]): ProjectedPoint[] {
  validateTensors(tensors)
  checkVector(tensors, d1, 'd1')
  checkVector(tensors, d2, 'd2')
  return projectOffsets(d1, d2, snapshots.map((s) => ({ step: s.step, x: updateDirection(tensors, s.codes) })))
}
