/**
 * hybrid — backpropagation for the last k trained layers, zeroth-order SPSA for the rest (ElasticZO,
 * Sugiura & Matsutani, "ElasticZO: A Memory-Efficient On-Device Learning with Combined Zeroth- and
 * First-Order Optimization", arXiv 2501.04287, 2025; papers.md §5).
 *
 * Per step, on one batch:
 *  1. back block (the last k = backpropLayers trained layers): one forward pass at the step's starting
 *     weights keeping only what those layers' backward needs (their inputs, max-pool inputs and 1-bit
 *     masks from the block's first layer on), the loss gradient (softmax − onehot)/B quantized to the
 *     gradient format, and backprop's `backwardPass` restricted to the block — it stops at the
 *     block's first layer, so no gradient is computed or kept below it. Each layer's update is applied
 *     in place (update.ts: W̄ ← sat(W̄ − round(η·G·…)), SGD/momentum/Adam, QAS).
 *  2. front block (all other trained layers): one zo-spsa step (zo-spsa.ts, reused unchanged on the
 *     front layers only): 2m forward passes at W̄ ± K_k, s_k from ℓ+ − ℓ−, W̄_j ← sat(W̄_j − round(η_LSB·d_j)).
 * The blocks update one after the other (block coordinate descent): the ZO passes already see the
 * back block's new weights. Reconstruction: the paper's exact ordering of the two updates within a
 * step is not reproduced; this order lets the reported loss be the exact loss at the starting weights.
 *
 * Passes: 1 + 2m forward (4m + 1 with the sharpness-aware option), 1 backward through k layers.
 * Memory: saved activations only for the back block (less than full backprop's whenever k is smaller
 * than the number of trained layers), activation gradients only inside it; the front block costs
 * zo-spsa's perturbation state (seeds, losses, the log of codes clamped while perturbed in place). The reported peak is the
 * larger of the two phases' peaks; maxByCategory the per-category maximum over both.
 */
import { addWork } from '../../core/work'
import { MEMORY_CATEGORIES } from '../../core/memory-categories'
import { type MemoryReport, type StepReport, type TrainContext, type Trainer, type TrainingAlgorithm } from './algorithm'
import { type Trainable } from '../network/trainable'
import { PHASES } from '../../core/op'
import { backpropDefaults, backpropTrainer, updateRuleDocs } from './backprop'
import { zoSpsa, zoSpsaDefaults, zoSpsaDocs, type ZoSpsaHyperparameters } from './zo-spsa'
import { Updater, type UpdateRule } from '../network/update'

export interface HybridHyperparameters extends UpdateRule, ZoSpsaHyperparameters {
  /** k: trained layers (from the output backwards) that learn by backpropagation */
  backpropLayers: number
}

export const hybridDefaults: HybridHyperparameters = { ...zoSpsaDefaults, ...backpropDefaults, backpropLayers: 1 }

export const hybridDocs = [
  { name: 'backpropLayers', kind: 'number', min: 1, max: 1000, integer: true, description: 'k: the last k trained layers learn by backpropagation, the others by zeroth-order SPSA.' },
  ...updateRuleDocs.map((d) => (d.name === 'rounding' ? { ...d, description: 'Rounding of both updates (backprop and ZO) onto the weight grid; with nearest, steps below half an LSB are lost.' } : d)),
  ...zoSpsaDocs.filter((d) => d.name !== 'rounding'),
] as const

/** The report of two consecutive measurement windows as one. */
function combine(a: MemoryReport, b: MemoryReport): MemoryReport {
  const hi = a.peakTotal >= b.peakTotal ? a : b
  const maxByCategory = { ...a.maxByCategory }
  for (const c of MEMORY_CATEGORIES) maxByCategory[c] = Math.max(a.maxByCategory[c], b.maxByCategory[c])
  return { peak: { ...hi.peak }, peakTotal: hi.peakTotal, peakPhase: hi.peakPhase, maxByCategory }
}

export const hybrid: TrainingAlgorithm<HybridHyperparameters> = {
  id: 'hybrid',
  label: 'Hybrid: backprop for the last layers, ZO for the rest (ElasticZO)',
  reference: 'Sugiura & Matsutani, "ElasticZO", arXiv 2501.04287 (2025). Block order within a step and the fixed-point ZO estimator (QZO-FF style, zo-spsa) are ours.',
  defaults: hybridDefaults,
  usesGradientFormat: true,
  hyperparameters: hybridDocs,
  create(ctx: TrainContext, hp: HybridHyperparameters): Trainer {
    const { net, trainable, tracker, seed } = ctx
    const g = net.model.graph
    const k = Math.min(hp.backpropLayers, trainable.nodes.length)
    const back = trainable.nodes.slice(trainable.nodes.length - k)
    const front = trainable.nodes.slice(0, trainable.nodes.length - k)
    const backT: Trainable = { ...trainable, nodes: back, first: back[0] ?? g.length }
    const frontT: Trainable = { ...trainable, nodes: front, first: front[0] ?? g.length }
    const updater = new Updater(net, backT, hp, seed, tracker)
    const zo = front.length ? zoSpsa.create({ ...ctx, trainable: frontT }, hp) : undefined
    const backStep = backpropTrainer({ ...ctx, trainable: backT }, updater)
    return {
      step(images, labels, B, stepIndex): StepReport {
        const bp = backStep.step(images, labels, B, stepIndex)
        const { loss, correct, work, updated } = bp
        let memory = bp.memory
        let forwardPasses = 1
        if (zo) {
          const z = zo.step(images, labels, B, stepIndex) // opens its own measurement window
          for (const p of PHASES) addWork(work[p], z.work[p])
          memory = combine(memory, z.memory)
          forwardPasses += z.forwardPasses
          updated.changed += z.updated.changed
          updated.eligible += z.updated.eligible
        }
        return { loss, correct, batch: B, forwardPasses, backwardPasses: 1, work, memory, updated }
      },
    }
  },
}
