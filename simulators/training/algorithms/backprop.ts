/**
 * backprop — fixed-point backpropagation on the integer network.
 *
 * Forward in the device's formats, keeping what the backward pass needs (inputs of trained layers,
 * inputs of max pools, 1-bit activation masks). The loss gradient softmax − onehot is computed on the
 * host and quantized to the gradient format with a per-tensor dynamic scale; every layer's input
 * gradient is then an exact integer accumulation requantized the same way (int-backward.ts). Each
 * layer's weight gradient is applied as soon as it is computed and then freed (TTE's in-place update,
 * Lin et al. 2022), so one layer's gradient is live at a time.
 *
 * Update rule (update.ts): W̄ ← sat(W̄ − round(η·G·s_x·s_dy / s_w)) with QAS, or η·G_W̄ without;
 * optimizers SGD, momentum, Adam. Trainable scope: all layers, the last k, biases only (bias-only
 * training keeps no saved activations: bias gradients need only dY), or TTE's sparse update
 * (sparse-update.ts): the backward pass computes weight gradients of the kept channels only, keeps
 * only those channels of their inputs, and stops at the first bias-updated layer.
 */
import { softmaxCrossEntropy } from '../../kernels/loss'
import { f64Scratch } from '../../kernels/scratch'
import { memoryReport, type StepReport, type TrainContext, type Trainer, type TrainingAlgorithm } from './algorithm'
import { newPhaseWork, type PhaseWork } from '../../core/op'
import type { Work } from '../../core/work'
import { shapeSize } from '../../model/graph'
import { backwardNode, maskByClamp, type NodeGrads } from '../network/int-backward'
import { mergeGrad, quantizeRealGrad, type Grad } from '../network/int-grad'
import { Updater, type UpdateRule } from '../network/update'
import { trainsWeights } from '../network/trainable'

export type BackpropHyperparameters = UpdateRule

export const backpropDefaults: BackpropHyperparameters = {
  optimizer: 'sgd', lr: 0.05, momentum: 0.9, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, qas: true, rounding: 'nearest',
}

export const updateRuleDocs = [
  { name: 'optimizer', kind: 'enum', values: ['sgd', 'momentum', 'adam'], description: 'SGD keeps no state; momentum keeps one float32 per parameter, Adam two.' },
  { name: 'lr', kind: 'number', min: 0, max: 10, description: 'Learning rate η in real units (with QAS) or per integer code (without).' },
  { name: 'momentum', kind: 'number', min: 0, max: 0.999, description: 'Momentum coefficient for optimizer "momentum".' },
  { name: 'beta1', kind: 'number', min: 0, max: 0.9999, description: 'Adam first-moment decay.' },
  { name: 'beta2', kind: 'number', min: 0, max: 0.99999, description: 'Adam second-moment decay.' },
  { name: 'epsilon', kind: 'number', min: 0, max: 1, description: 'Adam denominator offset.' },
  { name: 'qas', kind: 'boolean', description: 'Quantization-aware scaling (Lin et al. 2022): scale gradients by s_w^-2 so the step is the same in real units in every layer.' },
  { name: 'rounding', kind: 'enum', values: ['nearest', 'stochastic'], description: 'Rounding of the update onto the weight grid; with nearest, steps below half an LSB are lost.' },
] as const

/** Where the backward pass sends each layer's gradients: the Updater, or a test that records them. */
export interface GradientSink {
  apply(i: number, g: NodeGrads, step: number, work: Work): { changed: number; eligible: number }
}

/** Runs the integer backward pass from the loss gradient; shared with hybrid. */
export function backwardPass(ctx: TrainContext, B: number, dLast: Grad, updater: GradientSink, stepIndex: number, work: PhaseWork, savedInput: (i: number) => boolean): { changed: number; eligible: number } {
  const { net, trainable, tracker } = ctx
  const g = net.model.graph
  const f = net.model.formats
  const trained = new Set(trainable.nodes)
  const grads = new Map<number, Grad>()
  const last = g.length - 1
  grads.set(last, dLast)
  const gradBytes = (k: number) => (B * shapeSize(g[k].outShape) * f.gradient.bits) / 8
  tracker.alloc(`grad:${last}`, 'activationGradients', gradBytes(last))
  // the lowest-index consumer that saved each input frees it (it runs last in the backward order)
  const freeSavedAt = new Map<number, number>()
  for (const n of g) if (n.index >= trainable.first && savedInput(n.index)) for (const k of n.inputs) freeSavedAt.set(k, Math.min(freeSavedAt.get(k) ?? Infinity, n.index))
  const buffers = new Map<number, Float64Array>()
  const own = (k: number) => {
    let b = buffers.get(k)
    if (!b) buffers.set(k, (b = f64Scratch(`bp.grad.${k}`, B * shapeSize(g[k].outShape))))
    return b
  }
  const mode = f.spec.rounding
  let changed = 0, eligible = 0
  const receive = (k: number, d: Grad) => {
    if (k < trainable.first || k < 0) return
    const have = grads.get(k)
    if (have) mergeGrad(have, d, f.gradient, mode, work.backward)
    else {
      const buf = own(k)
      if (buf !== d.codes) buf.set(d.codes.subarray(0, d.count))
      grads.set(k, { codes: buf, scale: d.scale, count: d.count })
      tracker.alloc(`grad:${k}`, 'activationGradients', gradBytes(k))
    }
  }
  for (let i = last; i >= trainable.first; i--) {
    const dy = grads.get(i)
    const n = g[i]
    if (dy) {
      tracker.setPhase('backward')
      maskByClamp(net, i, B, dy, work.backward)
      const xi = n.inputs[0]
      const res = backwardNode(net, i, B, dy, {
        needDx: xi >= trainable.first && xi >= 0,
        weights: trainsWeights(trainable, i),
        biases: trainable.biases && trained.has(i),
        rounding: mode,
        slice: trainable.slices?.get(i),
      }, (k) => (grads.has(k) ? f64Scratch('bp.tmp', B * shapeSize(g[k].outShape)) : own(k)), work.backward)
      if (res.dW || res.dB) {
        const bytes = (((res.dW?.length ?? 0) + (res.dB?.length ?? 0)) * f.accumulator.bits) / 8
        tracker.alloc(`wgrad:${i}`, 'weightGradients', bytes)
        tracker.setPhase('update')
        const u = updater.apply(i, res, stepIndex, work.update)
        changed += u.changed; eligible += u.eligible
        tracker.free(`wgrad:${i}`)
      }
      if (res.dX) receive(xi, res.dX)
      if (res.dOther) receive(n.inputs[1], res.dOther)
      grads.delete(i)
      tracker.free(`grad:${i}`)
    }
    tracker.free(`mask:${i}`)
    for (const [k, at] of freeSavedAt) if (at === i) tracker.free(`saved:${k}`)
  }
  for (const k of grads.keys()) tracker.free(`grad:${k}`)
  return { changed, eligible }
}

/**
 * One backprop step over ctx.trainable: forward keeping what the backward pass needs, host loss
 * gradient, integer backward with in-place updates through `updater`. Shared with hybrid (which passes
 * a trainable restricted to its last layers).
 */
export function backpropTrainer(ctx: TrainContext, updater: GradientSink): Trainer {
  const { net, trainable, tracker } = ctx
  const g = net.model.graph
  const trained = new Set(trainable.nodes)
  const trainsW = (i: number) => (trainable.slices ? trainable.slices.has(i) : trainable.weights && trained.has(i))
  const savedInput = (i: number) => i >= trainable.first && (trainsW(i) || g[i].kind === 'maxPool')
  // an input-channel slice needs only its channels of the input (a depthwise slice is one on both axes)
  const inputShare = (i: number) => {
    const s = trainable.slices?.get(i)
    return s && (s.axis === 'input' || g[i].kind === 'depthwise') ? s.channels.length / s.of : 1
  }
  const save = { input: savedInput, mask: (i: number) => i >= trainable.first, inputShare }
  const K = shapeSize(g[g.length - 1].outShape)
  return {
    step(images, labels, B, stepIndex): StepReport {
      const work = newPhaseWork()
      tracker.resetPeak()
      tracker.setPhase('forward')
      const logits = net.forward(images, B, work.forward, tracker, save)
      const dReal = f64Scratch('bp.dLogits', B * K)
      const { loss, correct } = softmaxCrossEntropy(logits, labels, work.forward, dReal)
      const dLast = quantizeRealGrad(dReal, B * K, net.model.formats.gradient, f64Scratch(`bp.grad.${g.length - 1}`, B * K))
      const updated = backwardPass(ctx, B, dLast, updater, stepIndex, work, savedInput)
      return { loss, correct, batch: B, forwardPasses: 1, backwardPasses: 1, work, memory: memoryReport(tracker), updated }
    },
  }
}

export const backprop: TrainingAlgorithm<BackpropHyperparameters> = {
  id: 'backprop',
  label: 'Backpropagation (fixed point)',
  reference: 'Rumelhart et al. 1986; integer training with QAS and in-place updates after Lin et al., "On-Device Training Under 256KB Memory", NeurIPS 2022.',
  defaults: backpropDefaults,
  usesGradientFormat: true,
  hyperparameters: updateRuleDocs,
  create(ctx: TrainContext, hp: BackpropHyperparameters): Trainer {
    return backpropTrainer(ctx, new Updater(ctx.net, ctx.trainable, hp, ctx.seed, ctx.tracker))
  },
}
