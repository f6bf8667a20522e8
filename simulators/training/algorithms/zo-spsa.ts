/**
 * zo-spsa — quantized zeroth-order forward gradients (QZO-FF, Feng et al., "Stepping Forward on the
 * Last Mile", NeurIPS 2024), with the options of sign-m-SPSA.
 *
 * Per step, for k = 1..m: forward at W̄ + K_k and at W̄ − K_k (K_k integer perturbations on the weight
 * grid, regenerated from the seed, perturbation.ts), losses ℓ±. The signed estimate keeps
 * s_k = sign(ℓ+ − ℓ−); the magnitude estimate s_k = (ℓ+ − ℓ−)/(2ε) per LSB. Update, per parameter j:
 *   d_j = (1/m) Σ_k s_k · K_kj/ε,   W̄_j ← sat(W̄_j − round(η · d_j))
 * rounded to nearest or stochastically. The perturbation is applied in place, as MeZO does: the stored
 * codes move by +K, then −2K, then back, with an exact integer restore (elements clamped at the
 * format's limits keep their original code in a sparse log; in-place-perturbation.ts). No perturbed
 * copy of a layer exists, so the memory is the inference memory plus the seeds, losses and that log.
 *
 * Units. ε (`epsilonFraction`), η (`lrFraction`) and ρ (`sharpnessFraction`) are fractions of each weight tensor's full scale
 * (its largest representable |w|, per channel with per-channel scales), not weight LSBs: the same number
 * means the same real perturbation and step at every width, so an experiment at W8 and at W16 compares
 * the arithmetic, not the hyperparameters' units. In LSBs: x_LSB = x · (2^(b−1) − 1) for b-bit weights;
 * the default ε = 0.004 is 131 LSB at W16 and 0.51 LSB at W8 (where most K round to 0 or ±1: that loss
 * of resolution is the integer arithmetic the studio measures).
 *
 * Options (reconstructions: the paper's exact forms are not public, papers.md §1.6): sparse updates
 * (a random fraction of parameters per step), momentum-guided sampling (z = β·u + √(1−β²)·n with u a
 * running mean of past directions, one float32 per parameter), per-kernel normalisation (each output
 * channel's step scaled to RMS 1 before η), sharpness-aware (estimate first at W̄, step to W̄ + ρ·sign(d)
 * and estimate again there; 4m forward passes), clipping of the loss difference for the magnitude
 * estimate (|ℓ+ − ℓ−| ≤ diffClip nats: a reconstruction, no published value).
 *
 * Step-size control (step-size.ts): η times a decay factor of the step (cosine, staircase or
 * inverse-sqrt) and, with `lrScaling: 'per-layer'`, times s_ref/s_c per channel so every tensor takes the
 * same real step (one real learning rate, as SGD and MeZO use). The paper's schedule is not public
 * (papers.md §1.6): both are reconstructions for all-layer training.
 */
import { maxValue, minValue } from '../../core/int-format'
import { roundReal } from '../../core/quant'
import { stream } from '../../core/rng'
import { softmaxCrossEntropy } from '../../kernels/loss'
import { memoryReport, type StepReport, type TrainContext, type Trainer, type TrainingAlgorithm } from './algorithm'
import { newPhaseWork } from '../../core/op'
import { InPlacePerturbation } from '../network/in-place-perturbation'
import { activeAt, address, drawZ, maskAddress, quantizeZ, type PerturbationSpec } from '../network/perturbation'
import { channelOfWeight } from '../network/update'
import { LR_DECAYS, lrFactor, perLayerFactors, type StepSchedule } from '../network/step-size'

export interface ZoSpsaHyperparameters extends Omit<PerturbationSpec, 'epsilonLsb'>, StepSchedule {
  perturbations: number
  estimate: 'sign' | 'magnitude'
  /** perturbation size ε as a fraction of each weight tensor's full scale (see Units) */
  epsilonFraction: number
  /** update step η per unit estimate, as a fraction of each weight tensor's full scale */
  lrFraction: number
  rounding: 'nearest' | 'stochastic'
  /** momentum-guided sampling coefficient β (0: off) */
  momentumGuided: number
  kernelNormalization: boolean
  /** sharpness-aware pre-step ρ as a fraction of full scale (0: off) */
  sharpnessFraction: number
  perturbBiases: boolean
  /** magnitude estimate only: clip |ℓ+ − ℓ−| to this many nats before dividing by 2ε (0: off) */
  diffClip: number
  /** uniform: η a fraction of each channel's full scale; per-layer: the same real step in every tensor (step-size.ts) */
  lrScaling: 'uniform' | 'per-layer'
}

export const zoSpsaDefaults: ZoSpsaHyperparameters = {
  perturbations: 1, estimate: 'sign', distribution: 'gaussian', epsilonFraction: 0.004, zBits: 12, density: 1,
  lrFraction: 0.008, rounding: 'nearest', momentumGuided: 0, kernelNormalization: false, sharpnessFraction: 0, perturbBiases: true, diffClip: 0,
  lrScaling: 'uniform', lrDecay: 'none', lrDecaySteps: 0, lrDecayFactor: 0.5, lrDecayFloor: 0,
}

export const zoSpsaDocs = [
  { name: 'perturbations', kind: 'number', min: 1, max: 64, integer: true, description: 'm: perturbation directions averaged per step (2m forward passes).' },
  { name: 'estimate', kind: 'enum', values: ['sign', 'magnitude'], description: 'sign: keep only sign(ℓ+ − ℓ−) (sign-m-SPSA); magnitude: (ℓ+ − ℓ−)/(2ε).' },
  { name: 'distribution', kind: 'enum', values: ['gaussian', 'rademacher'], description: 'Distribution of z before quantization.' },
  { name: 'epsilonFraction', kind: 'number', min: 1e-7, max: 1, description: 'Perturbation size ε as a fraction of each weight tensor\'s full scale (ε·(2^(b−1)−1) LSBs at b-bit weights: 0.004 is 131 LSB at W16, 0.5 at W8, where most perturbations round to 0 or ±1).' },
  { name: 'zBits', kind: 'number', min: 2, max: 24, integer: true, description: 'Bit-width of the quantized perturbation K = round(ε·z).' },
  { name: 'density', kind: 'number', min: 0.001, max: 1, description: 'Fraction of parameters perturbed and updated per step (sparse update).' },
  { name: 'lrFraction', kind: 'number', min: 0, max: 1000, description: 'Update step η per unit of the estimate, as a fraction of each weight tensor\'s full scale (the same real step at every width).' },
  { name: 'rounding', kind: 'enum', values: ['nearest', 'stochastic'], description: 'Rounding of the update onto the weight grid; with nearest, steps below half an LSB are lost.' },
  { name: 'momentumGuided', kind: 'number', min: 0, max: 0.99, description: 'Momentum-guided sampling β: z = β·u + √(1−β²)·n (0 = off; costs one float32 per parameter).' },
  { name: 'kernelNormalization', kind: 'boolean', description: 'Scale each output channel\'s step to unit RMS before η.' },
  { name: 'sharpnessFraction', kind: 'number', min: 0, max: 1, description: 'Sharpness-aware pre-step ρ as a fraction of full scale (0 = off; doubles the forward passes).' },
  { name: 'perturbBiases', kind: 'boolean', description: 'Perturb and train biases along with the weights.' },
  { name: 'lrScaling', kind: 'enum', values: ['uniform', 'per-layer'], description: 'uniform: η is the same fraction of every channel\'s full scale; per-layer: η·s_ref/s_c, the same real step in every tensor (s_ref the head\'s mean weight scale), so a conv layer does not get a head-sized step.' },
  { name: 'lrDecay', kind: 'enum', values: LR_DECAYS, description: 'Decay of η over the steps: none; cosine to lrDecayFloor·η at step T; step: ×lrDecayFactor every T steps; inverse-sqrt: η·√(T/(T+t)).' },
  { name: 'lrDecaySteps', kind: 'number', min: 0, max: 1_000_000, integer: true, description: 'T of the decay in steps: cosine\'s horizon, step decay\'s period, inverse-sqrt\'s time constant (0 = the run\'s step count).' },
  { name: 'lrDecayFactor', kind: 'number', min: 0, max: 1, description: 'Step decay: the factor η is multiplied by every lrDecaySteps steps.' },
  { name: 'lrDecayFloor', kind: 'number', min: 0, max: 1, description: 'Cosine decay: the fraction of η it ends at.' },
  { name: 'diffClip', kind: 'number', min: 0, max: 100, description: 'Magnitude estimate only: clip the loss difference |ℓ+ − ℓ−| to this many nats before dividing by 2ε (0 = off; a reconstruction that bounds the step when one perturbation saturates the network).' },
] as const

interface Tensor {
  node: number
  bias: boolean
  data: Int32Array | Float64Array
  lo: number
  hi: number
  /** bias codes per weight LSB (1/s_x) or 1 */
  unitsPerLsb: number
  channel: (j: number) => number
  channels: number
}

export const zoSpsa: TrainingAlgorithm<ZoSpsaHyperparameters> = {
  id: 'zo-spsa',
  label: 'Zeroth-order SPSA (QZO-FF, sign-m-SPSA)',
  reference: 'Feng et al., "Stepping Forward on the Last Mile", NeurIPS 2024 (arXiv 2411.04036); MeZO seed trick, Malladi et al. 2023. Update forms of the enhancements are reconstructions.',
  defaults: zoSpsaDefaults,
  usesGradientFormat: false,
  hyperparameters: zoSpsaDocs,
  create(ctx: TrainContext, options: ZoSpsaHyperparameters): Trainer {
    const { net, trainable, tracker, seed, steps: runSteps } = ctx
    const g = net.model.graph
    // the hyperparameters in weight LSBs of this network's weight format (see Units)
    const fullScale = maxValue(net.model.formats.weight)
    const hp = { ...options, epsilonLsb: options.epsilonFraction * fullScale, lrLsb: options.lrFraction * fullScale, sharpnessLsb: options.sharpnessFraction * fullScale }
    const tensors: Tensor[] = []
    for (const i of trainable.nodes) {
      const p = net.model.nodes[i]
      const n = g[i]
      const channels = n.outShape[n.outShape.length - 1]
      const sx = (n.inputs[0] < 0 ? net.model.input : net.model.nodes[n.inputs[0]].out).scales[0]
      if (trainable.weights) tensors.push({ node: i, bias: false, data: p.w!.data, lo: minValue(p.w!.format), hi: maxValue(p.w!.format), unitsPerLsb: 1, channel: channelOfWeight(net, i), channels })
      if (hp.perturbBiases && p.b) tensors.push({ node: i, bias: true, data: p.b, lo: -(2 ** 31), hi: 2 ** 31 - 1, unitsPerLsb: 1 / sx, channel: (c) => c, channels })
    }
    // per-layer scaling: η·s_ref/s_c per channel, s_ref the mean weight scale of the last trained layer
    const scaleOf = (t: Tensor) => {
      const s = net.model.nodes[t.node].w!.quant.scales
      return Array.from({ length: t.bias ? t.channels : s.length }, (_, c) => s[s.length === 1 ? 0 : c])
    }
    const head = net.model.nodes[Math.max(...tensors.map((t) => t.node))]
    const layerFactor = hp.lrScaling === 'per-layer' && tensors.length ? perLayerFactors(tensors.map(scaleOf), head.w!.quant.scales) : undefined
    lrFactor(hp, 0, runSteps) // a decay whose horizon is unknown fails here, before any step
    const paramCount = tensors.reduce((a, t) => a + t.data.length, 0)
    // momentum-guided sampling keeps u, one float32 per parameter
    const guide = hp.momentumGuided > 0 ? tensors.map((t) => new Float32Array(t.data.length)) : undefined
    if (guide) tracker.alloc('zo:guide', 'perturbationState', 4 * paramCount)
    // in-place perturbation: the stored codes move and come back exactly (in-place-perturbation.ts)
    const inPlace = new InPlacePerturbation(tensors)
    // kernel normalisation's per-channel sums, planned once (declared as scratch while in use)
    const rms = hp.kernelNormalization ? tensors.map((t) => [new Float64Array(t.channels), new Float64Array(t.channels)] as const) : undefined

    // Addresses of the draws, planned once per run (issue 12: a step allocates nothing): one per tensor and
    // direction k, one per tensor for the sparse mask. Only the step field changes; it is set right before
    // each draw reads the address, so one object serves the step's own directions and the sharpness-aware
    // second estimate's (step + 2^31) alike.
    type Planned = { seed: number; step: number; tensor: number }
    const drawAt: Planned[][] = tensors.map((t) => Array.from({ length: hp.perturbations }, (_, k) => ({ ...address(seed, 0, t.node, k, t.bias) })))
    const maskAt: Planned[] = tensors.map((t) => ({ ...maskAddress(seed, 0, t.node, t.bias) }))
    const isActive = (ti: number, step: number, j: number): boolean => {
      if (hp.density >= 1) return true
      const a = maskAt[ti]
      a.step = step
      return activeAt(hp, a, j)
    }

    /** z of parameter j for perturbation k, including momentum guidance */
    const zOf = (t: Tensor, ti: number, step: number, k: number, j: number): number => {
      const a = drawAt[ti][k]
      a.step = step
      const z = drawZ(hp, a, j)
      return guide ? hp.momentumGuided * guide[ti][j] + Math.sqrt(1 - hp.momentumGuided ** 2) * z : z
    }

    /** Offset at stored + base + sign·K_k (base: sharpness offset or none); the perturbation is applied in place. */
    type Offset = (t: Tensor & { ti: number }, j: number) => number
    const indexed = tensors.map((t, ti) => ({ ...t, ti }))
    // the direction being applied, read by per-tensor closures planned once (no closures per step)
    const cur: { step: number; k: number; base: Offset | undefined } = { step: 0, k: 0, base: undefined }
    const kAt = indexed.map((t) => (j: number) => (isActive(t.ti, cur.step, j) ? quantizeZ(hp, zOf(t, t.ti, cur.step, cur.k, j), t.unitsPerLsb) : 0))
    const baseAt = indexed.map((t) => (j: number) => cur.base!(t, j))
    /** Moves every tensor from state `from` to state `to` (0: stored codes, ±1: stored + base ± K_k). */
    const shift = (from: -1 | 0 | 1, to: -1 | 0 | 1, work: ReturnType<typeof newPhaseWork>) => {
      for (const t of indexed) {
        inPlace.shift(t.ti, kAt[t.ti], from, to, cur.base ? baseAt[t.ti] : undefined)
        work.perturbation.elementOps += 2 * t.data.length // one add and one clamp per code
      }
      // only elements clamped at the format's limits keep their original code (see in-place-perturbation.ts)
      if (inPlace.entries() > 0) tracker.alloc('zo:saturationLog', 'perturbationState', 8 * inPlace.entries())
      else tracker.free('zo:saturationLog')
    }
    const forward = (images: Float32Array, labels: Uint8Array, B: number, work: ReturnType<typeof newPhaseWork>) =>
      softmaxCrossEntropy(net.forward(images, B, work.forward, tracker), labels, work.forward)

    /** m estimates at stored + base; returns s_k */
    const estimate = (images: Float32Array, labels: Uint8Array, B: number, step: number, base: Offset | undefined, work: ReturnType<typeof newPhaseWork>) => {
      const s: number[] = []
      let loss = 0, correct = 0
      for (let k = 0; k < hp.perturbations; k++) {
        // +K, forward, −2K, forward, back to the stored codes (MeZO's in-place sequence)
        cur.step = step; cur.k = k; cur.base = base
        shift(0, 1, work)
        const plus = forward(images, labels, B, work)
        shift(1, -1, work)
        const minus = forward(images, labels, B, work)
        shift(-1, 0, work)
        const raw = plus.loss - minus.loss
        const diff = hp.diffClip > 0 ? Math.max(-hp.diffClip, Math.min(hp.diffClip, raw)) : raw
        s.push(hp.estimate === 'sign' ? Math.sign(diff) : diff / (2 * hp.epsilonLsb))
        loss += (plus.loss + minus.loss) / 2
        correct += (plus.correct + minus.correct) / 2
      }
      return { s, loss: loss / hp.perturbations, correct: correct / hp.perturbations }
    }

    /** d_j = (1/m) Σ_k s_k K_kj / ε for one tensor (in LSB units of the tensor) */
    const direction = (t: Tensor, ti: number, step: number, s: number[], j: number): number => {
      let d = 0
      for (let k = 0; k < s.length; k++) if (s[k] !== 0) d += (s[k] * quantizeZ(hp, zOf(t, ti, step, k, j), 1)) / hp.epsilonLsb
      return d / s.length
    }

    return {
      step(images, labels, B, stepIndex): StepReport {
        const work = newPhaseWork()
        tracker.resetPeak()
        tracker.setPhase('forward')
        tracker.alloc('zo:seeds', 'perturbationState', hp.perturbations * (8 + 4)) // one seed and one loss per direction
        let est = estimate(images, labels, B, stepIndex, undefined, work)
        let passes = 2 * hp.perturbations
        if (hp.sharpnessLsb > 0) {
          const first = est.s
          const offset: Offset = (t, j) =>
            isActive(t.ti, stepIndex, j) ? roundReal(hp.sharpnessLsb * Math.sign(direction(t, t.ti, stepIndex, first, j)) * t.unitsPerLsb, 'half-even') : 0
          // second estimate at the sharpness offset uses fresh directions (step address shifted by 2^31)
          est = { ...estimate(images, labels, B, stepIndex + 2 ** 31, offset, work), loss: est.loss, correct: est.correct }
          passes *= 2
        }
        const dirStep = hp.sharpnessLsb > 0 ? stepIndex + 2 ** 31 : stepIndex
        tracker.setPhase('update')
        let changed = 0, eligible = 0
        const lrNow = hp.lrLsb * lrFactor(hp, stepIndex, runSteps)
        tensors.forEach((t, ti) => {
          const rng = hp.rounding === 'stochastic' ? stream({ seed, step: stepIndex, tensor: 900000 + ti }) : undefined
          const norms = rms ? channelRms(t, (j) => (isActive(ti, dirStep, j) ? direction(t, ti, dirStep, est.s, j) : 0), rms[ti]) : undefined
          if (norms) tracker.alloc('zo:norms', 'scratch', 4 * t.channels)
          for (let j = 0; j < t.data.length; j++) {
            if (!isActive(ti, dirStep, j)) continue
            eligible++
            let d = direction(t, ti, dirStep, est.s, j)
            if (norms) { const r = norms[t.channel(j)]; d = r > 0 ? d / r : 0 }
            if (guide) guide[ti][j] = Math.fround(hp.momentumGuided * guide[ti][j] + (1 - hp.momentumGuided) * d)
            const lr = layerFactor ? lrNow * layerFactor[ti][t.channel(j)] : lrNow
            const delta = roundReal(lr * d * t.unitsPerLsb, hp.rounding === 'nearest' ? 'half-even' : 'stochastic', rng)
            if (delta === 0) continue
            let v = t.data[j] - delta
            if (v < t.lo) { v = t.lo; work.update.clipped++ } else if (v > t.hi) { v = t.hi; work.update.clipped++ }
            if (v !== t.data[j]) changed++
            t.data[j] = v
          }
          work.update.elementOps += t.data.length * est.s.length
          work.perturbation.elementOps += t.data.length * est.s.length // z regenerated for the update
          tracker.free('zo:norms')
        })
        tracker.free('zo:seeds')
        return {
          loss: est.loss, correct: est.correct, batch: B, forwardPasses: passes, backwardPasses: 0,
          work, memory: memoryReport(tracker), updated: { changed, eligible },
        }
      },
    }
  },
}

/** RMS of the direction per output channel (two-pass, regenerating the direction), into planned buffers. */
function channelRms(t: Tensor, d: (j: number) => number, [sum, cnt]: readonly [Float64Array, Float64Array]): Float64Array {
  sum.fill(0)
  cnt.fill(0)
  for (let j = 0; j < t.data.length; j++) { const v = d(j); const c = t.channel(j); sum[c] += v * v; cnt[c]++ }
  for (let c = 0; c < t.channels; c++) sum[c] = cnt[c] ? Math.sqrt(sum[c] / cnt[c]) : 0
  return sum
}

