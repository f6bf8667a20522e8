/**
 * The zeroth-order perturbation arithmetic as one kernel call per tensor: dst_j = clamp(src_j + sign·K_j,
 * lo, hi) with K_j = clamp(round_half_even(ε·z_j), ±(2^(zBits−1) − 1)) weight LSBs (rescaled by
 * `unitsPerLsb` and rounded again for biases), z_j regenerated from its Philox address (MeZO's trick,
 * Malladi et al. 2023: never stored), and only parameters whose mask draw u_j < density when density < 1.
 * Same semantics, value for value, as training/network/perturbation.ts (active, drawZ, quantizeZ) applied
 * per element; this version builds its two addresses once per call instead of once per element, so a
 * perturbed forward pass allocates nothing per parameter. Momentum-guided z and sharpness offsets are not
 * covered (the caller keeps its per-element path for them).
 */
import { gaussianAt, rademacherAt, uniformAt, type Address } from '../core/rng'
import { roundReal } from '../core/quant'

export interface PerturbArgs {
  /** stored codes (weights) or bias values */
  readonly src: ArrayLike<number>
  /** perturbed values, same length as src (may be src itself: in-place perturbation) */
  readonly dst: Int32Array | Float64Array
  readonly lo: number
  readonly hi: number
  readonly sign: 1 | -1
  /** address of the draws z_j */
  readonly draws: Address
  /** address of the sparse-update mask draws u_j (used only when density < 1) */
  readonly mask: Address
  readonly distribution: 'gaussian' | 'rademacher'
  /** ε in weight LSBs */
  readonly epsilonLsb: number
  readonly zBits: number
  /** fraction of parameters perturbed (1 = all) */
  readonly density: number
  /** 1 for weights, 1/s_x for biases */
  readonly unitsPerLsb: number
}

/** Writes the perturbed tensor; returns the element operations (draw + add per parameter, as zo-spsa counts). */
export function perturb(a: PerturbArgs): number {
  const n = a.src.length
  if (a.dst.length !== n) throw new RangeError(`perturb: dst has ${a.dst.length} values, src ${n}`)
  if (!Number.isInteger(a.zBits) || a.zBits < 2 || a.zBits > 31) throw new RangeError(`perturb: zBits must be an integer in [2, 31], got ${a.zBits}`)
  const lim = 2 ** (a.zBits - 1) - 1
  const draw = a.distribution === 'gaussian' ? gaussianAt : rademacherAt
  const sparse = a.density < 1
  for (let j = 0; j < n; j++) {
    let v = a.src[j]
    if (!sparse || uniformAt(a.mask, j) < a.density) {
      const k = roundReal(a.epsilonLsb * draw(a.draws, j), 'half-even')
      const c = k > lim ? lim : k < -lim ? -lim : k
      v += a.sign * (a.unitsPerLsb === 1 ? c : roundReal(c * a.unitsPerLsb, 'half-even'))
    }
    a.dst[j] = v < a.lo ? a.lo : v > a.hi ? a.hi : v
  }
  return 2 * n
}
