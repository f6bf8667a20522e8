/**
 * The contract every training algorithm implements, and what one step reports. An algorithm is one
 * file exporting a `TrainingAlgorithm`, registered by one line in all-algorithms.ts.
 */
import type { MemoryTracker } from '../network/memory'
import type { MemoryBreakdown } from '../../core/memory-categories'
import type { QNetwork } from '../network/qnetwork'
import type { Trainable } from '../network/trainable'
import type { PhaseWork } from '../../core/op'
import { excerpt } from '../../core/schema'

export interface MemoryReport {
  /** breakdown at the moment of the highest total */
  peak: MemoryBreakdown
  peakTotal: number
  /** phase in which the peak occurred */
  peakPhase: string
  /** each category's own maximum during the step */
  maxByCategory: MemoryBreakdown
}

export function memoryReport(t: MemoryTracker): MemoryReport {
  return { peak: { ...t.peak }, peakTotal: t.peakTotal, peakPhase: t.peakPhase, maxByCategory: { ...t.maxByCategory } }
}

export interface StepReport {
  /** mean loss of the batch at the weights the step started from */
  loss: number
  /** correct predictions in the batch at those weights */
  correct: number
  batch: number
  forwardPasses: number
  backwardPasses: number
  work: PhaseWork
  memory: MemoryReport
  /** weights (and biases) whose value changed in this step, and how many were eligible */
  updated: { changed: number; eligible: number }
}

export interface TrainContext {
  net: QNetwork
  trainable: Trainable
  seed: number
  tracker: MemoryTracker
  maxBatch: number
  /** the run's step count, when known: the horizon of step-size schedules that default to it */
  steps?: number
}

export interface Trainer {
  step(images: Float32Array, labels: Uint8Array, B: number, step: number): StepReport
}

/** One hyperparameter: documented, with its range, for validation and for the UI's tooltips. */
export type HyperparameterDoc =
  | { name: string; kind: 'number'; description: string; min: number; max: number; integer?: boolean }
  | { name: string; kind: 'enum'; description: string; values: readonly string[] }
  | { name: string; kind: 'boolean'; description: string }

export interface TrainingAlgorithm<H extends object = Record<string, unknown>> {
  /** equals the file name */
  id: string
  label: string
  /** paper or source of the method, and what is our reconstruction */
  reference: string
  defaults: H
  hyperparameters: readonly HyperparameterDoc[]
  /** whether it computes gradients or tangents in the gradient format (a device must support that width) */
  usesGradientFormat: boolean
  create(ctx: TrainContext, hp: H): Trainer
}

/** Fills in defaults and checks every field against its documentation; errors name the field. */
export function resolveHyperparameters<H extends object>(alg: TrainingAlgorithm<H>, raw: Record<string, unknown> | undefined, field: string): H {
  const out: Record<string, unknown> = { ...(alg.defaults as Record<string, unknown>) }
  const docs = new Map(alg.hyperparameters.map((d) => [d.name, d]))
  for (const [k, v] of Object.entries(raw ?? {})) {
    const d = docs.get(k)
    if (!d) throw new RangeError(`${field}.${k}: unknown hyperparameter of ${alg.id}; known: ${[...docs.keys()].join(', ')}`)
    if (d.kind === 'number') {
      if (typeof v !== 'number' || !Number.isFinite(v) || v < d.min || v > d.max || (d.integer && !Number.isInteger(v))) {
        throw new RangeError(`${field}.${k} must be ${d.integer ? 'an integer' : 'a number'} from ${d.min} to ${d.max}, got ${excerpt(v)}`)
      }
    } else if (d.kind === 'enum') {
      if (typeof v !== 'string' || !d.values.includes(v)) throw new RangeError(`${field}.${k} must be one of ${d.values.join(', ')}, got ${excerpt(v)}`)
    } else if (typeof v !== 'boolean') throw new RangeError(`${field}.${k} must be true or false, got ${excerpt(v)}`)
    out[k] = v
  }
  return out as H
}
