/**
 * In-place weight perturbation with an exact integer restore (MeZO, Malladi et al. 2023, Algorithm 1:
 * perturb θ by +εz, forward, by −2εz, forward, by +εz back; z regenerated from the seed, never stored).
 * No perturbed copy of any layer exists: the stored codes themselves move.
 *
 * Saturation. On the integer grid w + K is clamped to the format's range [lo, hi]; once clamped, the
 * sequence +K, −2K, +K no longer returns to w (w = hi − 1, K = 3: hi, hi − 6, hi − 3). So every element
 * whose perturbed value would leave the range keeps its original code in a sparse saturation log
 * (index → code, 8 bytes an entry: int32 index + int32 code), and every move is computed from the
 * original code: orig = logged ? log : current − offset. The restore is then exact by construction;
 * the log holds only the clamped elements (none while |w| stays K below the limits).
 */
export interface InPlaceTensor {
  data: Int32Array | Float64Array
  lo: number
  hi: number
}

/** Integer offset of element j in a perturbation state (0 = unperturbed). */
export type ElementOffset = (j: number) => number

export class InPlacePerturbation {
  /** per tensor: index → original code, only for elements that saturated */
  private readonly log: Map<number, number>[]
  private peakEntries = 0

  constructor(private readonly tensors: readonly InPlaceTensor[]) {
    this.log = tensors.map(() => new Map())
  }

  /** Move tensor ti from offset `from` to offset `to` (both integer, per element); clamps and logs. */
  move(ti: number, from: ElementOffset, to: ElementOffset, only?: (j: number) => boolean): void {
    const t = this.tensors[ti]
    const log = this.log[ti]
    for (let j = 0; j < t.data.length; j++) {
      if (only && !only(j)) continue
      const saved = log.get(j)
      const orig = saved ?? t.data[j] - from(j)
      const target = orig + to(j)
      if (target < t.lo || target > t.hi) {
        if (saved === undefined) log.set(j, orig)
        t.data[j] = target < t.lo ? t.lo : t.hi
      } else t.data[j] = target
    }
    this.peakEntries = Math.max(this.peakEntries, this.entries())
  }

  /**
   * The same move for the three states of a ±K perturbation (MeZO's +K, −2K, back), with base_j and K_j
   * evaluated once per element instead of once in `from` and again in `to`: a state is 0 (unperturbed,
   * offset 0) or ±1 (offset base_j ± K_j; base_j 0 without `base`). `k(j)` is K_j, 0 for a parameter that
   * is not perturbed; the offsets are formed exactly as `move`'s callers form them (base + sign·K), so the
   * codes are the same. Allocates nothing.
   */
  shift(ti: number, k: ElementOffset, from: -1 | 0 | 1, to: -1 | 0 | 1, base?: ElementOffset): void {
    const t = this.tensors[ti]
    const log = this.log[ti]
    const data = t.data
    for (let j = 0; j < data.length; j++) {
      const kj = k(j)
      const bj = base ? base(j) : 0
      // the log is empty until a perturbed code saturates: skip its lookup then
      const saved = log.size ? log.get(j) : undefined
      const orig = saved ?? data[j] - (from === 0 ? 0 : bj + from * kj)
      const target = orig + (to === 0 ? 0 : bj + to * kj)
      if (target < t.lo || target > t.hi) {
        if (saved === undefined) log.set(j, orig)
        data[j] = target < t.lo ? t.lo : t.hi
      } else data[j] = target
    }
    this.peakEntries = Math.max(this.peakEntries, this.entries())
    if (to === 0) log.clear()
  }

  /** Restore tensor ti exactly from offset `from`; clears its log. */
  restore(ti: number, from: ElementOffset, only?: (j: number) => boolean): void {
    this.move(ti, from, () => 0, only)
    this.log[ti].clear()
  }

  entries(): number {
    return this.log.reduce((a, m) => a + m.size, 0)
  }

  /** bytes the saturation log held at its largest (int32 index + int32 code per entry) */
  peakLogBytes(): number {
    return 8 * this.peakEntries
  }
}
