/**
 * Weight perturbations on the integer grid, regenerated from their address instead of stored: the
 * memory trick of MeZO (Malladi et al. 2023) that zeroth-order training relies on. For perturbation k
 * of step t, parameter j of node i draws z from (seed, t, tensor = i·1024 + 2k (+1 for biases), j),
 * then K = clamp(round(ε·z), ±(2^(zBits−1) − 1)) weight LSBs. A bias moves by the same real amount:
 * ε·z·s_w = (ε·z / s_x) bias codes.
 */
import { gaussianAt, rademacherAt, uniformAt, type Address } from '../../core/rng'
import { roundReal } from '../../core/quant'

export interface PerturbationSpec {
  distribution: 'gaussian' | 'rademacher'
  /** perturbation size in weight LSBs */
  epsilonLsb: number
  /** bit-width of the quantized perturbation K */
  zBits: number
  /** fraction of parameters perturbed and updated per step (1 = all) */
  density: number
}

export function address(seed: number, step: number, node: number, k: number, bias: boolean): Address {
  if (k > 510) throw new RangeError(`perturbation index ${k} exceeds the 511 addressable per step and node`)
  return { seed, step, tensor: node * 1024 + 2 * k + (bias ? 1 : 0) }
}

/** Address of the sparse-update mask draws u_j of step t (tensor ids 1023 and 1022 of the node's block). */
export function maskAddress(seed: number, step: number, node: number, bias: boolean): Address {
  return { seed, step, tensor: node * 1024 + 1023 - (bias ? 1 : 0) }
}

/** Whether parameter j takes part in step t (sparse updates); regenerated, never stored. */
export function active(p: PerturbationSpec, seed: number, step: number, node: number, bias: boolean, j: number): boolean {
  return p.density >= 1 || uniformAt(maskAddress(seed, step, node, bias), j) < p.density
}

/** `active` with the mask's address given (a caller that plans its addresses once per run). */
export function activeAt(p: PerturbationSpec, mask: Address, j: number): boolean {
  return p.density >= 1 || uniformAt(mask, j) < p.density
}

/** The standard draw z of parameter j. */
export function drawZ(p: PerturbationSpec, a: Address, j: number): number {
  return p.distribution === 'gaussian' ? gaussianAt(a, j) : rademacherAt(a, j)
}

/** K in LSBs (integer, clamped to zBits) for a draw z, scaled by `unitsPerLsb` (1 for weights, 1/s_x for biases). */
export function quantizeZ(p: PerturbationSpec, z: number, unitsPerLsb = 1): number {
  const lim = 2 ** (p.zBits - 1) - 1
  const k = roundReal(p.epsilonLsb * z, 'half-even')
  const c = k > lim ? lim : k < -lim ? -lim : k
  return unitsPerLsb === 1 ? c : roundReal(c * unitsPerLsb, 'half-even')
}
