/**
 * Applying a gradient to integer weights: SGD, SGD with momentum, or Adam, with or without
 * quantization-aware scaling (QAS, Lin et al. 2022, "On-Device Training Under 256KB Memory" §3.2).
 *
 * The integer weight W̄ stands for s_w·W̄. Plain integer training treats W̄ itself as the parameter:
 * its gradient is G_W̄ = s_w·G_W, and W̄ ← W̄ − η·G_W̄ moves the real weight by η·s_w²·G_W — a step
 * size that differs per layer with s_w². QAS rescales G_W̄ by s_w^−2 (and bias gradients by
 * (s_w·s_x)^−2), which makes the step η·G_W in real units whatever the scales. Both are offered.
 *
 * SGD stays integer: Δ = acc·M with M = η·s_dy·s_x/s_w (QAS) as a fixed-point multiplier, rounded to the
 * weight grid (nearest or stochastic). Momentum and Adam keep float32 state on the companion core
 * (4 or 8 bytes per trained parameter, declared as optimizer state) and round their step to the grid.
 * Weights saturate to their format.
 */
import { maxValue, minValue } from '../../core/int-format'
import { applyMultiplier, quantizeMultiplier } from '../../core/requantize'
import { roundReal } from '../../core/quant'
import { stream } from '../../core/rng'
import type { RoundingMode, UniformSource } from '../../core/rounding'
import type { Work } from '../../core/work'
import { shapeSize } from '../../model/graph'
import type { NodeGrads } from './int-backward'
import type { MemoryTracker } from './memory'
import type { QNetwork } from './qnetwork'
import { trainedWeightCount, type Trainable } from './trainable'

export interface UpdateRule {
  optimizer: 'sgd' | 'momentum' | 'adam'
  /** learning rate η, in real units per unit gradient */
  lr: number
  momentum: number
  beta1: number
  beta2: number
  epsilon: number
  qas: boolean
  rounding: 'nearest' | 'stochastic'
}

interface State {
  m?: Float32Array
  v?: Float32Array
  bm?: Float32Array
  bv?: Float32Array
}

/** Output channel of weight element j, for per-channel scales. */
export function channelOfWeight(net: QNetwork, i: number): (j: number) => number {
  const n = net.model.graph[i]
  const channels = n.outShape[n.outShape.length - 1]
  if (net.model.nodes[i].w!.quant.scales.length === 1) return () => 0
  if (n.kind === 'depthwise') return (j) => j % channels
  const inner = shapeSize(n.weightShape!.slice(1))
  return (j) => Math.floor(j / inner)
}

export class Updater {
  private readonly state = new Map<number, State>()
  private t = 0

  constructor(private readonly net: QNetwork, trainable: Trainable, private readonly rule: UpdateRule, private readonly seed: number, tracker: MemoryTracker) {
    const slots = rule.optimizer === 'sgd' ? 0 : rule.optimizer === 'momentum' ? 1 : 2
    for (const i of trainable.nodes) {
      const p = net.model.nodes[i]
      const s: State = {}
      const nw = trainedWeightCount(net, trainable, i)
      const nb = trainable.biases && p.b ? p.b.length : 0
      if (slots >= 1) { s.m = new Float32Array(nw); s.bm = new Float32Array(nb) }
      if (slots >= 2) { s.v = new Float32Array(nw); s.bv = new Float32Array(nb) }
      this.state.set(i, s)
      if (slots) tracker.alloc(`opt:${i}`, 'optimizerState', slots * 4 * (nw + nb))
    }
  }

  private rng(step: number, tensor: number): UniformSource | undefined {
    return this.rule.rounding === 'stochastic' ? stream({ seed: this.seed, step, tensor }) : undefined
  }

  /** Applies node i's gradients; returns how many parameters changed and how many were eligible. */
  apply(i: number, g: NodeGrads, step: number, work: Work): { changed: number; eligible: number } {
    const r = this.rule
    if ((g.dW || g.dB) && r.optimizer === 'adam') this.t = step + 1
    const p = this.net.model.nodes[i]
    const n = this.net.model.graph[i]
    const s = this.state.get(i) ?? {}
    const mode: RoundingMode = r.rounding === 'nearest' ? 'half-even' : 'stochastic'
    const sw = p.w!.quant.scales
    const sx = (n.inputs[0] < 0 ? this.net.model.input : this.net.model.nodes[n.inputs[0]].out).scales[0]
    let changed = 0, eligible = 0
    if (g.dW) {
      const chan = channelOfWeight(this.net, i)
      // a sliced gradient (sparse update) names the weight element of each entry
      const at = g.dWIndex
      const w = at ? new IndexedWeights(p.w!.data, at) : p.w!.data
      const res = this.applyTo(w, g.dW, g.dWScale!, at ? (j) => sw[chan(at[j])] : (j) => sw[chan(j)], s.m, s.v, mode, this.rng(step, 2 * i), work, minValue(p.w!.format), maxValue(p.w!.format), `layer ${i} (${n.kind}) weights`)
      changed += res; eligible += g.dW.length
    }
    if (g.dB && p.b) {
      const res = this.applyTo(p.b, g.dB, g.dBScale!, (c) => sx * sw[sw.length === 1 ? 0 : c], s.bm, s.bv, mode, this.rng(step, 2 * i + 1), work, -(2 ** 31), 2 ** 31 - 1, `layer ${i} (${n.kind}) biases`)
      changed += res; eligible += g.dB.length
    }
    return { changed, eligible }
  }

  /**
   * w[j] ← sat(w[j] − Δ[j]) for a tensor whose code unit is unit(j) (real value per code). `acc` holds
   * gradient accumulators, real gradient = acc·accScale.
   */
  private applyTo(w: Int32Array | Float64Array | IndexedWeights, acc: Float64Array, accScale: number, unit: (j: number) => number, m: Float32Array | undefined, v: Float32Array | undefined, mode: RoundingMode, rng: UniformSource | undefined, work: Work, lo: number, hi: number, what: string): number {
    const r = this.rule
    // the factor from a real gradient to the gradient of the integer code: QAS divides by unit, plain multiplies
    const toCode = (j: number) => (r.qas ? 1 / unit(j) : unit(j))
    let changed = 0
    const multipliers = new Map<number, ReturnType<typeof quantizeMultiplier>>()
    for (let j = 0; j < acc.length; j++) {
      let delta: number
      if (r.optimizer === 'sgd') {
        const u = unit(j)
        let q = multipliers.get(u)
        if (!q) multipliers.set(u, (q = quantizeMultiplier(r.lr * accScale * toCode(j))))
        delta = applyMultiplier(acc[j], q, mode, rng)
      } else if (r.optimizer === 'momentum') {
        m![j] = Math.fround(r.momentum * m![j] + acc[j] * accScale * toCode(j))
        delta = roundReal(onGrid(scaled(r.lr, m![j])), mode, rng)
      } else {
        const gr = acc[j] * accScale
        m![j] = Math.fround(r.beta1 * m![j] + (1 - r.beta1) * gr)
        v![j] = Math.fround(r.beta2 * v![j] + (1 - r.beta2) * gr * gr)
        const mh = m![j] / (1 - powInt(r.beta1, this.t))
        const vh = v![j] / (1 - powInt(r.beta2, this.t))
        // Adam normalises the gradient; QAS then converts the real step to codes, plain uses it as codes
        const step = scaled(r.lr, adamRatio(mh, vh, r.epsilon))
        delta = roundReal(onGrid(r.qas ? step / unit(j) : step), mode, rng)
      }
      // a NaN written here would reach the integer kernels (BigInt(NaN) in the wide tier, a silent 0 in an Int32Array)
      if (Number.isNaN(delta)) throw new Error(`the ${r.optimizer} update of ${what} gave NaN at element ${j} (gradient ${acc[j] * accScale})`)
      if (delta !== 0) {
        const old = w instanceof IndexedWeights ? w.get(j) : w[j]
        let nw = old - delta
        if (nw < lo) { nw = lo; work.clipped++ } else if (nw > hi) { nw = hi; work.clipped++ }
        if (nw !== old) changed++
        if (w instanceof IndexedWeights) w.set(j, nw)
        else w[j] = nw
      }
    }
    work.elementOps += acc.length
    work.requantizations += acc.length
    return changed
  }
}

/** The trained entries of a weight tensor, entry j being element at[j] (a sparse update's slice). */
class IndexedWeights {
  constructor(private readonly data: Int32Array | Float64Array, private readonly at: Int32Array) {}
  get(j: number): number { return this.data[this.at[j]] }
  set(j: number, v: number): void { this.data[this.at[j]] = v }
}

/**
 * Adam's m̂ / (√v̂ + ε), defined where the formula is not. ε = 0 is allowed (hyperparameter docs), so with no
 * gradient yet (m̂ = v̂ = 0) the quotient is 0/0: no first moment means no step, 0. v̂ can also be 0 with m̂ ≠ 0
 * (g² underflows float32 below ~1.4e-45 while g does not) or ∞ (g² overflows): m̂/0 is ±∞ (the weight
 * saturates, as float32 Adam on a device would) and ±∞/∞, NaN in IEEE arithmetic, is taken as ±1 (|m̂| ≤ √v̂
 * in exact arithmetic once β1² ≤ β2, and both overflowing means the gradient is far beyond the grid).
 */
export function adamRatio(mh: number, vh: number, epsilon: number): number {
  if (mh === 0) return 0
  const d = Math.sqrt(vh) + epsilon
  if (!Number.isFinite(mh) && !Number.isFinite(d)) return Math.sign(mh)
  return mh / d
}

/** η·x with η = 0 a zero step even where x overflowed to ±∞ (IEEE 0·∞ is NaN). */
const scaled = (lr: number, x: number): number => (lr === 0 || x === 0 ? 0 : lr * x)

/**
 * A real step bounded to ±2^53 codes before rounding: beyond any weight format (at most 32 bits) it saturates
 * the same, and roundReal needs a finite input (∞ − ⌊∞⌋ is NaN).
 */
const onGrid = (step: number): number => Math.max(-(2 ** 53), Math.min(2 ** 53, step))

/** b^t by repeated multiplication: the same bits in every runtime (Math.pow may differ). */
function powInt(b: number, t: number): number {
  let r = 1
  for (let k = 0; k < t; k++) r *= b
  return r
}
