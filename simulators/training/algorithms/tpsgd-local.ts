/**
 * tpSGD's local learning signal for one hidden layer, in the integer network: the projected target
 * t_l = P_l·onehot(y) on the layer's output grid, and the local gradient (h_l − t_l) ⊙ σ'(a_l) / B of
 * J_l = (1/2B) Σ_n ‖h_l,n − t_l,n‖² (sum over units, mean over the batch), quantized to the gradient
 * format with a per-tensor dynamic scale.
 *
 * P_l ∈ R^{C_l × classes} has N(0, 1) entries regenerated from (seed, node) — fixed for the whole run,
 * never stored. Conv and depthwise layers project to channels and broadcast over H, W (our
 * reconstruction: the paper's conv targets are not public, papers.md §2.4). The target is scaled to
 * the layer's output range and lies on its grid, so h − t is an exact integer difference of codes:
 *   t_code[c, y] = clamp(z_out + round(τ · (hi − lo)/2 · P[c, y]), lo, hi)
 * with [lo, hi] the fused activation's integer clamp (or the format's range) — for ReLU layers the
 * negative half of the targets lands on 0, inside σ's range (papers.md §2.2's "squashing").
 */
import { gaussianAt } from '../../core/rng'
import { roundReal } from '../../core/quant'
import { maxValue, minValue } from '../../core/int-format'
import type { RoundingMode, UniformSource } from '../../core/rounding'
import type { Work } from '../../core/work'
import { f64Scratch } from '../../kernels/scratch'
import { shapeSize } from '../../model/graph'
import type { QNetwork } from '../network/qnetwork'
import { maskByClamp } from '../network/int-backward'
import { requantDynamic, type Grad } from '../network/int-grad'

/** Integer targets of node i, [C × classes] (row c, column y), regenerated from the seed. */
export function targetTable(net: QNetwork, i: number, seed: number, targetScale: number, classes: number): Int32Array {
  const n = net.model.graph[i]
  const C = n.outShape[n.outShape.length - 1]
  const f = net.model.formats.activation
  const zp = net.model.nodes[i].out.zeroPoints[0]
  const [lo, hi] = net.clamps[i] ?? [minValue(f), maxValue(f)]
  const half = (maxValue(f) - minValue(f)) / 2
  const a = { seed, step: 0, tensor: 0x50000000 + i }
  const t = new Int32Array(C * classes)
  for (let k = 0; k < C * classes; k++) {
    const v = zp + roundReal(targetScale * half * gaussianAt(a, k), 'half-even')
    t[k] = v < lo ? lo : v > hi ? hi : v
  }
  return t
}

/** δ = (h − t) ⊙ σ'(a) / B for node i after a forward pass, in the gradient format (real = codes·scale). */
export function localGradient(net: QNetwork, i: number, B: number, labels: ArrayLike<number>, table: Int32Array, classes: number, mode: RoundingMode, work: Work, rng?: UniformSource): Grad {
  const n = net.model.graph[i]
  const per = shapeSize(n.outShape)
  const C = n.outShape[n.outShape.length - 1]
  const count = B * per
  const y = net.acts[i]
  const e = f64Scratch('tp.err', count)
  for (let b = 0; b < B; b++) {
    const base = b * per
    for (let k = 0; k < per; k++) e[base + k] = y[base + k] - table[(k % C) * classes + labels[b]]
  }
  work.elementOps += count
  const s = net.model.nodes[i].out.scales[0]
  const err: Grad = { codes: e, scale: s / B, count }
  maskByClamp(net, i, B, err, work) // σ'(a): zero where the fused activation clamped
  return requantDynamic(e, count, s / B, net.model.formats.gradient, mode, work, f64Scratch('tp.delta', count), rng)
}
