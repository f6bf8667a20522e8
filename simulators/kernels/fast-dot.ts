/**
 * The fast path of the MAC kernels, for the `number` tier (no partial sum can reach 2^53 and no
 * per-MAC clamping is needed): operands are centred once per call (q − z) into scratch buffers, and
 * outputs are computed four at a time so that each loaded input value feeds four MACs (register
 * blocking). Results are identical to the generic tap loop in mac-core.ts — exact integer sums — only
 * faster; the generic loop remains for the saturating and BigInt tiers.
 */
import type { IntStorage } from '../core/storage'
import { f64Scratch } from './scratch'

/** dst[r·len + i] = src[r·len + i] − zp(r), for `rows` rows (zp per row, or one for all). */
export function centerRows(src: IntStorage, rows: number, len: number, zps: Float64Array, slot: string): Float64Array {
  const dst = f64Scratch(slot, rows * len)
  for (let r = 0; r < rows; r++) {
    const z = zps.length === 1 ? zps[0] : zps[r]
    const base = r * len
    for (let i = 0; i < len; i++) dst[base + i] = src[base + i] - z
  }
  return dst
}

/**
 * sums[r·M + m] = init[m] + Σ_k a[r·K + k] · w[m·K + k] for r < R, m < M: exact integer sums (double
 * arithmetic on integers whose partial sums stay below 2^53), before the accumulator rule. Blocked 2 rows
 * × 4 outputs, so each loaded value feeds four (inputs) or two (weights) MACs.
 */
export function gemm(a: Float64Array, R: number, w: Float64Array, K: number, M: number, init: ArrayLike<number> | undefined, sums: Float64Array): void {
  let r = 0
  for (; r + 1 < R; r += 2) {
    const a0 = r * K, a1 = a0 + K
    let m = 0
    for (; m + 3 < M; m += 4) {
      const w0 = m * K, w1 = w0 + K, w2 = w1 + K, w3 = w2 + K
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0
      for (let k = 0; k < K; k++) {
        const u = a[a0 + k], v = a[a1 + k]
        const x0 = w[w0 + k], x1 = w[w1 + k], x2 = w[w2 + k], x3 = w[w3 + k]
        s00 += u * x0; s01 += u * x1; s02 += u * x2; s03 += u * x3
        s10 += v * x0; s11 += v * x1; s12 += v * x2; s13 += v * x3
      }
      const o0 = r * M + m, o1 = o0 + M
      const b0 = init ? init[m] : 0, b1 = init ? init[m + 1] : 0, b2 = init ? init[m + 2] : 0, b3 = init ? init[m + 3] : 0
      sums[o0] = s00 + b0; sums[o0 + 1] = s01 + b1; sums[o0 + 2] = s02 + b2; sums[o0 + 3] = s03 + b3
      sums[o1] = s10 + b0; sums[o1 + 1] = s11 + b1; sums[o1 + 2] = s12 + b2; sums[o1 + 3] = s13 + b3
    }
    for (; m < M; m++) {
      const w0 = m * K
      let s0 = 0, s1 = 0
      for (let k = 0; k < K; k++) { const x = w[w0 + k]; s0 += a[a0 + k] * x; s1 += a[a1 + k] * x }
      const b = init ? init[m] : 0
      sums[r * M + m] = s0 + b
      sums[(r + 1) * M + m] = s1 + b
    }
  }
  for (; r < R; r++) {
    const a0 = r * K
    for (let m = 0; m < M; m++) {
      const w0 = m * K
      let s = 0
      for (let k = 0; k < K; k++) s += a[a0 + k] * w[w0 + k]
      sums[r * M + m] = s + (init ? init[m] : 0)
    }
  }
}
