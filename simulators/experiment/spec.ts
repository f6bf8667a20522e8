/**
 * Experiments are data: a versioned JSON description of a last-mile task (source data, shift, shots),
 * a model, its starting point, the numeric formats, and the runs to compare (algorithm, scope,
 * hyperparameters). Every field has a default, so `{}` is a valid experiment: the built-in default.
 */
import type { ModelSpec } from '../model/spec'
import type { NumericFormatsSpec } from '../training/network/formats'
import type { TrainableScope } from '../training/network/trainable'

export const EXPERIMENT_SCHEMA_VERSION = 1

export interface DataSpec {
  dataset: 'mnist' | 'synthetic' | 'kws-espeak'
  /** clean source-domain images per class for pretraining */
  pretrainPerClass: number
  /** kws-espeak only: which clips form the target domain (data/kws.ts); the source is the source voices at 30 dB */
  shift?: 'unseen-voices' | 'unseen-voices-noisy'
  /** distribution shift of the target domain: a corruption id, or "none" */
  corruption: string
  /** corruption severity, 1 (mild) to 5 */
  severity: number
  /** labelled target-domain images per class available for adaptation (k shots) */
  shots: number
  /** held-out target-domain images per class for reporting accuracy */
  testPerClass: number
  /** classes of the target task (a subset: held-out-class scenarios); default all */
  classes?: number[]
  /**
   * classes the source model is pretrained on; default all. Disjoint from `classes`, the target task's
   * classes are unseen in pretraining (the held-out-class few-shot setting)
   */
  pretrainClasses?: number[]
}

export interface PretrainSpec {
  epochs: number
  batch: number
  lr: number
  momentum: number
}

export interface RunSpec {
  /** shown in reports; defaults to the algorithm id */
  label?: string
  algorithm: string
  scope: TrainableScope
  hyperparameters: Record<string, unknown>
  /** per-run overrides of the experiment's formats */
  formats?: Partial<NumericFormatsSpec>
  /** per-run override of the step count (e.g. zeroth-order methods at an equal forward-pass budget) */
  steps?: number
}

export interface ExperimentSpec {
  schemaVersion: typeof EXPERIMENT_SCHEMA_VERSION
  name: string
  description?: string
  seed: number
  data: DataSpec
  /** a built-in model name or a full model description */
  model: string | ModelSpec
  init: 'pretrained' | 'scratch'
  /**
   * 'model': the classifier head as pretrained (or initialised); 'protonet': the last dense layer is
   * replaced by the ProtoNet head of the adaptation shots (W_c = 2·μ_c, b_c = −‖μ_c‖², protonet-head.ts)
   */
  head: 'model' | 'protonet'
  pretrain: PretrainSpec
  formats: NumericFormatsSpec
  batch: number
  steps: number
  /** evaluate on the target test split every this many steps (and at 0 and the end) */
  evalEvery: number
  runs: RunSpec[]
  /** hardware profiles every run is priced on: preset ids, or whole profiles */
  profiles: (string | Record<string, unknown>)[]
  /**
   * 'nearest': each device is judged at the supported formats nearest to the requested ones (a run trains
   * once per distinct formats, see plan.ts); 'requested': every device at the requested formats, and a
   * device lacking them is infeasible
   */
  deviceFormats: 'nearest' | 'requested'
}
