/**
 * forward-ad — forward gradients by forward-mode automatic differentiation in fixed point (Baydin,
 * Pearlmutter, Syme, Wood & Torr 2022, "Gradients without Backpropagation", arXiv 2202.08587).
 *
 * Coordinates: θ_j is parameter j in weight LSBs of its output channel (a weight's integer code; a
 * bias's real value / s_w[c], as zo-spsa's bias perturbations). Per step, for k = 1..m:
 *   K_k = clamp(round(ε·z_k), ±(2^(zBits−1) − 1)),  z_k ~ N(0, I) or Rademacher, regenerated from
 *         (seed, step, node, k) — never stored
 *   one forward pass carrying a tangent ẏ = ∂y/∂θ·K_k beside the activations (forward-ad-tangent.ts),
 *   dL_k = Σ_{n,c} (softmax − onehot)_{n,c} / B · ẏ_logits[n, c]   (host, float64)
 * Forward gradient, then the update (real units, the Updater of backprop; QAS by default):
 *   ĝ_θ = (1/m) Σ_k dL_k · K_k / ε²      (E[K Kᵀ] ≈ ε² I: ĝ is an unbiased estimate of ∇_θ L)
 *   G_real[j] = ĝ_θ[j] / s_w[c(j)], quantized to the gradient format (per-tensor dynamic scale), and
 *   applied by update.ts: with QAS (default) SGD moves W̄ ← sat(W̄ − round(η·G_real/s_w)), i.e. η in real units;
 *   momentum or Adam, nearest or stochastic rounding, as backprop.
 * ε only sets the resolution of the integer direction (ĝ divides by ε²).
 *
 * Passes: m forward passes per step, each computing the primal and its tangent together (the primal
 * is recomputed for every direction — keeping it would mean saving activations). Tangent MACs in a
 * trained layer are twice the primal's (W·ẋ and V·x). Work: primal and tangent arithmetic in
 * `forward`, regenerating K in `perturbation`, the update in `update`; reported backwardPasses 0.
 *
 * Memory: no saved activations. Beside every live activation a tangent of the same shape at the
 * gradient width (declared as activationGradients, named tan:*), so the working set is about
 * (1 + gradientBits/activationBits) × inference; one layer's direction K at zBits (perturbationState)
 * while that layer runs; m seeds and dL scalars; one layer's weight gradient during the update.
 * Accumulators are not declared (as in QNetwork.forward).
 *
 * Reconstruction: the paper works in float32 with one direction; the fixed-point tangent arithmetic,
 * integer directions on the weight grid, m directions and the QAS update are ours. Directions use
 * their own RNG addresses (not perturbation.ts's `address`, whose 64 slots per node alias for m > 31).
 */
import { stream, type Address } from '../../core/rng'
import { softmaxCrossEntropy } from '../../kernels/loss'
import { f64Scratch } from '../../kernels/scratch'
import { memoryReport, type StepReport, type TrainContext, type Trainer, type TrainingAlgorithm } from './algorithm'
import { newPhaseWork } from '../../core/op'
import { backpropDefaults, updateRuleDocs, type GradientSink } from './backprop'
import { shapeSize } from '../../model/graph'
import { declareForward } from '../network/forward-plan'
import { tangentNode, type Direction } from '../network/forward-ad-tangent'
import { quantizeRealGrad, type Grad } from '../network/int-grad'
import type { NodeGrads } from '../network/int-backward'
import { drawZ, quantizeZ, type PerturbationSpec } from '../network/perturbation'
import { Updater, channelOfWeight, type UpdateRule } from '../network/update'

export interface ForwardAdHyperparameters extends UpdateRule {
  /** m: directions per step */
  directions: number
  distribution: 'gaussian' | 'rademacher'
  epsilonLsb: number
  zBits: number
  perturbBiases: boolean
}

export const forwardAdDefaults: ForwardAdHyperparameters = {
  ...backpropDefaults, lr: 0.02, directions: 4, distribution: 'gaussian', epsilonLsb: 32, zBits: 8, perturbBiases: true,
}

export const forwardAdDocs = [
  { name: 'directions', kind: 'number', min: 1, max: 4096, integer: true, description: 'm: directions averaged per step, one forward pass with tangent each.' },
  { name: 'distribution', kind: 'enum', values: ['gaussian', 'rademacher'], description: 'Distribution of the direction z before quantization.' },
  { name: 'epsilonLsb', kind: 'number', min: 0.5, max: 1e6, description: 'Direction K = round(ε·z) in weight LSBs; sets only its resolution (the estimate divides by ε²).' },
  { name: 'zBits', kind: 'number', min: 2, max: 24, integer: true, description: 'Bit-width of the integer direction K.' },
  { name: 'perturbBiases', kind: 'boolean', description: 'Include biases in the direction (and train them).' },
  ...updateRuleDocs,
] as const

/** RNG address of node i's direction (all k: index k·size + j). */
export function directionAddress(seed: number, step: number, node: number, bias: boolean): Address {
  return { seed, step, tensor: 0x40000000 + 2 * node + (bias ? 1 : 0) }
}

/** K_kj in weight LSBs: the integer direction of parameter j of a tensor of `size` entries. */
export function directionCode(hp: ForwardAdHyperparameters, a: Address, size: number, k: number, j: number): number {
  const spec: PerturbationSpec = { distribution: hp.distribution, epsilonLsb: hp.epsilonLsb, zBits: hp.zBits, density: 1 }
  return quantizeZ(spec, drawZ(spec, a, k * size + j))
}

/**
 * The trainer, with the gradient estimate sent to `sink` (the Updater, or a test's recorder);
 * `observe` receives each step's directional derivatives dL_k (for tests).
 */
export function forwardAdTrainer(ctx: TrainContext, hp: ForwardAdHyperparameters, sink: GradientSink, observe?: (dL: readonly number[]) => void): Trainer {
  const { net, trainable, tracker, seed } = ctx
  const g = net.model.graph
  const f = net.model.formats
  const m = hp.directions
  const perturbW = trainable.weights
  const perturbB = trainable.biases && hp.perturbBiases
  const trained = new Set(trainable.nodes.filter((i) => perturbW || (perturbB && net.model.nodes[i].b)))
  // which outputs carry a (non-zero) tangent: trained nodes and everything downstream of them
  const hasTangent: boolean[] = []
  for (const n of g) hasTangent.push(trained.has(n.index) || n.inputs.some((k) => k >= 0 && hasTangent[k]))
  const classes = shapeSize(g[g.length - 1].outShape)
  const sizes = (i: number) => ({ w: perturbW ? net.model.nodes[i].w!.data.length : 0, b: perturbB ? (net.model.nodes[i].b?.length ?? 0) : 0 })

  const fillDirection = (slot: string, a: Address, size: number, k: number): Float64Array => {
    const K = f64Scratch(slot, size)
    for (let j = 0; j < size; j++) K[j] = directionCode(hp, a, size, k, j)
    return K
  }

  return {
    step(images, labels, B, stepIndex): StepReport {
      const work = newPhaseWork()
      tracker.resetPeak()
      tracker.setPhase('forward')
      tracker.alloc('fad:scalars', 'perturbationState', m * (8 + 4)) // a seed and a dL per direction
      const dReal = f64Scratch('fad.dLogits', B * classes)
      const dL: number[] = []
      let loss = 0, correct = 0
      for (let k = 0; k < m; k++) {
        const logits = net.forward(images, B, work.forward)
        const r = softmaxCrossEntropy(logits, labels, work.forward, dReal)
        if (k === 0) ({ loss, correct } = r)
        const tangents = new Map<number, Grad>()
        const rng = f.spec.rounding === 'stochastic' ? stream({ seed, step: stepIndex, tensor: 0x48000000 + k }) : undefined
        declareForward(net, B, tracker, {
          companion: { prefix: 'tan', category: 'activationGradients', bits: f.gradient.bits, has: (i) => i >= 0 && hasTangent[i] },
          node: (n) => {
            if (!hasTangent[n.index]) return
            const i = n.index
            const s = trained.has(i) ? sizes(i) : { w: 0, b: 0 }
            const Kw = s.w ? fillDirection('fad.K', directionAddress(seed, stepIndex, i, false), s.w, k) : undefined
            const Kb = s.b ? fillDirection('fad.Kb', directionAddress(seed, stepIndex, i, true), s.b, k) : undefined
            work.perturbation.elementOps += s.w + s.b
            if (s.w + s.b) tracker.alloc('fad:direction', 'perturbationState', ((s.w + s.b) * hp.zBits) / 8)
            const dir: Direction = { weights: (j) => (j === i ? Kw : undefined), bias: (j) => (j === i ? Kb : undefined) }
            const t = tangentNode(net, i, B, (j) => tangents.get(j), dir, f64Scratch(`fad.tan.${i}`, B * shapeSize(n.outShape)), f.spec.rounding, work.forward, rng)
            tracker.free('fad:direction')
            if (t) tangents.set(i, t)
          },
        })
        const tl = tangents.get(g.length - 1)
        let d = 0
        if (tl) for (let j = 0; j < B * classes; j++) d += dReal[j] * tl.codes[j]
        dL.push(tl ? d * tl.scale : 0)
        work.forward.macs += B * classes
      }

      observe?.(dL)
      tracker.setPhase('update')
      let changed = 0, eligible = 0
      for (const i of trainable.nodes) {
        if (!trained.has(i)) continue
        const s = sizes(i)
        const sw = net.model.nodes[i].w!.quant.scales
        const chan = channelOfWeight(net, i)
        const grads: NodeGrads = {}
        // ĝ_θ = (1/m) Σ_k dL_k K_k / ε², then G_real = ĝ_θ / s_w[c], quantized for the Updater
        const estimate = (bias: boolean, size: number, unit: (j: number) => number): Grad => {
          const a = directionAddress(seed, stepIndex, i, bias)
          const gr = f64Scratch('fad.g', size)
          gr.fill(0, 0, size)
          for (let k = 0; k < m; k++) if (dL[k] !== 0) for (let j = 0; j < size; j++) gr[j] += dL[k] * directionCode(hp, a, size, k, j)
          for (let j = 0; j < size; j++) gr[j] /= m * hp.epsilonLsb * hp.epsilonLsb * unit(j)
          work.perturbation.elementOps += m * size
          work.update.elementOps += (m + 1) * size
          return quantizeRealGrad(gr, size, f.gradient, f64Scratch(bias ? 'fad.gb' : 'fad.gw', size))
        }
        if (s.w) { const q = estimate(false, s.w, (j) => sw[chan(j)]); grads.dW = q.codes.subarray(0, s.w); grads.dWScale = q.scale }
        if (s.b) { const q = estimate(true, s.b, (c) => sw[sw.length === 1 ? 0 : c]); grads.dB = q.codes.subarray(0, s.b); grads.dBScale = q.scale }
        tracker.alloc(`wgrad:${i}`, 'weightGradients', ((s.w + s.b) * f.gradient.bits) / 8)
        const u = sink.apply(i, grads, stepIndex, work.update)
        tracker.free(`wgrad:${i}`)
        changed += u.changed; eligible += u.eligible
      }
      tracker.free('fad:scalars')
      return { loss, correct, batch: B, forwardPasses: m, backwardPasses: 0, work, memory: memoryReport(tracker), updated: { changed, eligible } }
    },
  }
}

export const forwardAd: TrainingAlgorithm<ForwardAdHyperparameters> = {
  id: 'forward-ad',
  label: 'Forward gradient (forward-mode AD, fixed point)',
  reference: 'Baydin et al., "Gradients without Backpropagation", arXiv 2202.08587 (2022). Reconstruction: fixed-point tangents, integer directions on the weight grid, m directions, QAS update.',
  defaults: forwardAdDefaults,
  usesGradientFormat: true,
  hyperparameters: forwardAdDocs,
  create(ctx: TrainContext, hp: ForwardAdHyperparameters): Trainer {
    return forwardAdTrainer(ctx, hp, new Updater(ctx.net, ctx.trainable, hp, ctx.seed, ctx.tracker))
  },
}
