/**
 * tpsgd — target projection SGD (Lomnitz, Daniels, Zhang & Piacentino, "Learning with Local Gradients
 * at the Edge", arXiv 2208.08503; papers.md §2.2), on the integer network.
 *
 * One forward pass. Each trained hidden layer l (a node with weights before the network's last
 * weighted node) learns from a local loss against a projected label, as soon as its output exists:
 *   t_l = P_l·onehot(y),  J_l = (1/2B) Σ_n ‖h_l − t_l‖²,  δ_l = (h_l − t_l) ⊙ σ'(a_l) / B
 *   G_W = δ_lᵀ·h_{l−1} (exact integer accumulation on the layer's input, linalg's backward-weight),
 *   G_b = Σ δ_l, applied at once by the Updater (lr = localLr), then h_{l−1} can be freed.
 * h_l is the node's output after its fused activation; no gradient reaches earlier layers. Targets and
 * δ are in tpsgd-local.ts. The output layer trains on the true cross-entropy gradient (softmax −
 * onehot)/B through the nodes after it (backprop's backwardPass restricted to that one layer, lr).
 * Nodes without weights are passed through. Updates: update.ts (SGD/momentum/Adam, QAS, rounding).
 *
 * Passes: forwardPasses 1, backwardPasses 0 — the local gradients and the output layer's one-layer
 * backward are counted in work.backward.
 *
 * Memory: the inference working set, plus — while a hidden layer updates — its local gradient
 * (activationGradients) and weight gradient (weightGradients), one layer at a time; its input is still
 * in the forward's working set then, so no activation is saved for it. The output layer's input (and
 * 1-bit masks of the nodes after it) are saved until the loss is known: savedActivations hold at most
 * that one layer's input.
 *
 * Reconstruction: P's distribution, the target scaling onto the activation grid and the channel
 * broadcast of conv targets are ours (the paper's details are not public).
 */
import { stream } from '../../core/rng'
import { softmaxCrossEntropy } from '../../kernels/loss'
import { f64Scratch } from '../../kernels/scratch'
import { memoryReport, type StepReport, type TrainContext, type Trainer, type TrainingAlgorithm } from './algorithm'
import { type Trainable } from '../network/trainable'
import { newPhaseWork } from '../../core/op'
import { backpropDefaults, backwardPass, updateRuleDocs } from './backprop'
import { hasWeights, shapeSize } from '../../model/graph'
import { declareForward } from '../network/forward-plan'
import { backwardNode } from '../network/int-backward'
import { quantizeRealGrad } from '../network/int-grad'
import { localGradient, targetTable } from './tpsgd-local'
import { Updater, type UpdateRule } from '../network/update'

export interface TpsgdHyperparameters extends UpdateRule {
  /** learning rate of the hidden layers' local updates (lr is the output layer's) */
  localLr: number
  /** target spread τ: the std of the targets as a fraction of half the activation format's range */
  targetScale: number
}

export const tpsgdDefaults: TpsgdHyperparameters = { ...backpropDefaults, localLr: 0.02, targetScale: 1 }

export const tpsgdDocs = [
  { name: 'localLr', kind: 'number', min: 0, max: 10, description: 'Learning rate of the hidden layers\' local updates (lr applies to the output layer).' },
  { name: 'targetScale', kind: 'number', min: 0, max: 2, description: 'Spread of the projected targets: std as a fraction of half the activation range.' },
  ...updateRuleDocs,
] as const

export const tpsgd: TrainingAlgorithm<TpsgdHyperparameters> = {
  id: 'tpsgd',
  label: 'Target projection SGD (local losses)',
  reference: 'Lomnitz et al., "Learning with Local Gradients at the Edge", arXiv 2208.08503 (AAAI-23); DRTP lineage (Frenkel et al. 2021). Target distribution, scaling and conv broadcast are reconstructions.',
  defaults: tpsgdDefaults,
  usesGradientFormat: true,
  hyperparameters: tpsgdDocs,
  create(ctx: TrainContext, hp: TpsgdHyperparameters): Trainer {
    const { net, trainable, tracker, seed } = ctx
    const g = net.model.graph
    const f = net.model.formats
    const classes = shapeSize(g[g.length - 1].outShape)
    const output = g.filter(hasWeights).at(-1)!.index
    const outputTrained = trainable.nodes.includes(output)
    // as backprop: the output layer's input is needed for its weight gradient only (not for biases)
    const keepOutputInput = outputTrained && trainable.weights
    const hidden = trainable.nodes.filter((i) => i !== output)
    const hiddenSet = new Set(hidden)
    const hiddenT: Trainable = { ...trainable, nodes: hidden, first: hidden[0] ?? g.length }
    const outT: Trainable = { ...trainable, nodes: outputTrained ? [output] : [], first: output }
    const localUpdater = new Updater(net, hiddenT, { ...hp, lr: hp.localLr }, seed, tracker)
    const outUpdater = new Updater(net, outT, hp, seed, tracker)
    const tables = new Map(hidden.map((i) => [i, targetTable(net, i, seed, hp.targetScale, classes)]))

    return {
      step(images, labels, B, stepIndex): StepReport {
        const work = newPhaseWork()
        tracker.resetPeak()
        tracker.setPhase('forward')
        // the forward computes with the step's starting weights; a local update of layer l changes W_l
        // only after h_l exists, so the plan below can interleave the updates without changing any value
        const logits = net.forward(images, B, work.forward)
        const dReal = f64Scratch('tp.dLogits', B * classes)
        const { loss, correct } = softmaxCrossEntropy(logits, labels, work.forward, dReal)
        const rng = f.spec.rounding === 'stochastic' ? stream({ seed, step: stepIndex, tensor: 0x58000000 }) : undefined
        let changed = 0, eligible = 0
        declareForward(net, B, tracker, {
          keepInput: (i) => keepOutputInput && i === output,
          node: (n) => {
            const i = n.index
            if (outputTrained && i >= output && net.clamps[i]) tracker.alloc(`mask:${i}`, 'savedActivations', (B * shapeSize(n.outShape)) / 8)
            if (!hiddenSet.has(i)) return
            tracker.setPhase('local update')
            const delta = localGradient(net, i, B, labels, tables.get(i)!, classes, f.spec.rounding, work.backward, rng)
            tracker.alloc('tp:delta', 'activationGradients', (delta.count * f.gradient.bits) / 8)
            const res = backwardNode(net, i, B, delta, { needDx: false, weights: trainable.weights, biases: trainable.biases, rounding: f.spec.rounding, rng }, () => new Float64Array(0), work.backward)
            tracker.alloc(`wgrad:${i}`, 'weightGradients', (((res.dW?.length ?? 0) + (res.dB?.length ?? 0)) * f.accumulator.bits) / 8)
            const u = localUpdater.apply(i, res, stepIndex, work.update)
            changed += u.changed; eligible += u.eligible
            tracker.free(`wgrad:${i}`)
            tracker.free('tp:delta')
            tracker.setPhase('forward')
          },
        })
        if (outputTrained) {
          const dLast = quantizeRealGrad(dReal, B * classes, f.gradient, f64Scratch('tp.dLast', B * classes))
          const u = backwardPass({ ...ctx, trainable: outT }, B, dLast, outUpdater, stepIndex, work, (i) => keepOutputInput && i === output)
          changed += u.changed; eligible += u.eligible
        }
        return { loss, correct, batch: B, forwardPasses: 1, backwardPasses: 0, work, memory: memoryReport(tracker), updated: { changed, eligible } }
      },
    }
  },
}
