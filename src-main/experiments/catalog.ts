/**
 * What the experiment form offers, read from the engine's registries so the window never hard-codes an
 * algorithm, corruption, model or format the engine knows; and the check behind the form's inline errors.
 * Electron-free (pure engine), so the IPC handlers and the unit tests call it alike.
 */
import type { ExperimentCatalog, ExperimentCheck } from '../preload/api'
import { mergeErrors, resolveUserProfiles, type RefResolver } from '../profiles/user-profiles'
import type { DataSpec } from '../../simulators/experiment/spec'
import type { Overflow } from '../../simulators/core/accumulator'
import type { NumericFormatsSpec } from '../../simulators/training/network/formats'
import { defaultExperiment, parseExperiment } from '../../simulators/experiment/validate'
import { datasetDefaults } from '../../simulators/experiment/dataset-defaults'
import { CORRUPTIONS } from '../../simulators/data/corruptions'
import { BUILTIN_MODEL_NAMES, getBuiltinModel } from '../../simulators/model/builtin'
import { summarizeModel } from '../../simulators/model/shapes'
import { trainingAlgorithms } from '../../simulators/training/algorithms/registry'
import { ACCUMULATOR_BITS } from '../../simulators/core/accumulator'
import { TRAINABLE_ROUNDING_MODES } from '../../simulators/training/network/formats'
import { MAX_INT_BITS, MIN_INT_BITS } from '../../simulators/core/int-format'

// The engine has these only as types (no runtime list); `satisfies Record<…>` makes adding a value to the
// type a compile error here until it is labelled, so the lists cannot silently fall behind.
const DATASET_LABELS = {
  mnist: 'MNIST — 28×28 handwritten digits, 10 classes',
  synthetic: 'Synthetic strokes — 28×28, 10 classes (fast, for trying settings)',
  'kws-espeak': 'Keywords (espeak-ng) — 49×10 MFCC, 12 classes, shifted to unseen voices',
} satisfies Record<DataSpec['dataset'], string>
const OVERFLOW = { saturate: true, wrap: true } satisfies Record<Overflow, true>
const GRANULARITY = { 'per-tensor': true, 'per-channel': true } satisfies Record<NumericFormatsSpec['weightGranularity'], true>

/** "none" is accepted by the validator next to the registered corruptions: a clean target domain. */
const NO_SHIFT = { id: 'none', description: 'no shift: the target images are clean (a control)', severity: 'not used' }

/**
 * One line per form field (paths as in validation errors; `runs[]` is any run), with units. Wording
 * follows the doc comments of spec.ts and formats.ts where they exist.
 */
export const fieldDocs: Record<string, string> = {
  name: 'Name of the experiment, shown in the run history.',
  'data.dataset': 'Data set of the task: MNIST and synthetic are halved into a clean source domain (pretraining) and a shifted target domain; kws-espeak’s domains are its voices. Choosing one sets its task defaults (model, shift, split sizes, pretraining).',
  'data.corruption': 'Distribution shift of the target domain: a corruption applied to every target image, or none.',
  'data.severity': 'Corruption severity, 1 (mild) to 5 (strongest).',
  'data.shots': 'Labelled target-domain images per class available for adaptation (k shots), in images per class.',
  'data.testPerClass': 'Held-out target-domain images per class for reporting accuracy, in images per class.',
  'data.pretrainPerClass': 'Clean source-domain images per class for pretraining, in images per class.',
  model: 'The network: a built-in model description; its input shape must match the dataset’s images.',
  init: 'Starting weights: pretrained in float on the clean source domain and then quantized, or random (from scratch).',
  'pretrain.epochs': 'Passes over the source images when pretraining the float model (done once, then cached), in epochs.',
  'pretrain.batch': 'Source images per pretraining step (float SGD mini-batch), in images.',
  'pretrain.lr': 'Learning rate of the float SGD pretraining (dimensionless, per step).',
  'pretrain.momentum': 'Momentum coefficient of the float SGD pretraining, 0 (none) to 0.999.',
  'formats.weightBits': 'Signed weight width, 2–32 bits (symmetric quantization).',
  'formats.activationBits': 'Signed activation width, 2–32 bits (asymmetric, zero point chosen by calibration).',
  'formats.gradientBits': 'Signed gradient width, 2–32 bits (per-tensor dynamic scale); used by algorithms that compute gradients or tangents.',
  'formats.accumulatorBits': 'Width of the register the MAC unit sums into, in bits.',
  'formats.accumulatorOverflow': 'Accumulator overflow: saturate (clamp after every MAC, as saturating MAC instructions) or wrap (two’s complement).',
  'formats.weightGranularity': 'Weight scales per tensor or per output channel.',
  'formats.rounding': 'Rounding of activation and gradient requantization: half-away, half-even or floor (stochastic is refused: the network requantizes deterministically; stochastic weight updates are the algorithm’s rounding hyperparameter).',
  batch: 'Target images per training step (mini-batch), in images.',
  steps: 'Training steps of every run (a run may override it), in steps.',
  evalEvery: 'Evaluate on the target test split every this many steps (and at step 0 and at the end), in steps.',
  seed: 'Seed of every random choice (splits, corruption, initialisation, perturbations): the same seed gives the same bits.',
  'runs[].algorithm': 'Training algorithm of this run.',
  'runs[].label': 'Name of this run in reports and charts; defaults to the algorithm id.',
  'runs[].scope': 'Which parameters train: all layers, the last N layers with weights, or only the biases (TinyTL-style).',
  'runs[].scope.layers': 'Number of trainable layers, counted from the output, in layers with weights.',
  'runs[].steps': 'Per-run override of the step count (e.g. zeroth-order methods at an equal forward-pass budget), in steps.',
  profiles: 'Hardware profiles every run is priced on (memory against SRAM, cycles, energy); none: accuracy only.',
  deviceFormats: 'How each device is judged: at the supported formats nearest to the requested ones (a run then trains once per distinct formats, and each change is said per device), or every device at the requested formats (a device lacking them is infeasible, with the reason).',
}

const product = (s: readonly number[]) => s.reduce((a, b) => a * b, 1)

function models(): ExperimentCatalog['models'] {
  return BUILTIN_MODEL_NAMES.map((id) => {
    const m = getBuiltinModel(id)
    // the outputs of the last layer (summarizeModel skips residual shortcuts): a classifier's classes
    return { id, description: m.description ?? '', inputShape: m.input.shape.slice(), classes: product(summarizeModel(m).outputShape) }
  })
}

let cached: ExperimentCatalog | undefined

/** The catalog, built once (the registries are fixed at load); each call returns a copy callers may edit. */
export function experimentCatalog(): ExperimentCatalog {
  cached ??= {
    defaults: defaultExperiment(),
    datasets: Object.entries(DATASET_LABELS).map(([id, label]) => ({ id: id as DataSpec['dataset'], label, defaults: datasetDefaults(id as DataSpec['dataset']) })),
    corruptions: [NO_SHIFT, ...[...CORRUPTIONS.values()].map((c) => ({ id: c.id, description: c.description, severity: c.severity }))],
    models: models(),
    algorithms: [...trainingAlgorithms.values()].map((a) => ({
      id: a.id,
      label: a.label,
      reference: a.reference,
      defaults: { ...(a.defaults as Record<string, unknown>) },
      hyperparameters: a.hyperparameters.map((d) => ({ ...d })),
      usesGradientFormat: a.usesGradientFormat,
    })),
    formats: {
      bits: { min: MIN_INT_BITS, max: MAX_INT_BITS },
      accumulatorBits: [...ACCUMULATOR_BITS],
      rounding: [...TRAINABLE_ROUNDING_MODES], // stochastic is refused for formats (training/network/formats.ts)
      accumulatorOverflow: Object.keys(OVERFLOW),
      weightGranularity: Object.keys(GRANULARITY),
    },
    fieldDocs,
  }
  return structuredClone(cached)
}

/**
 * Validates an experiment exactly as starting it will (user profile ids resolved by the same function,
 * profiles/user-profiles.ts); the returned spec keeps the ids, as the draft had them.
 * `resolve` is the profile library's resolveRef (default: presets only).
 */
export function checkExperiment(raw: unknown, resolve: RefResolver = (ref) => ref): ExperimentCheck {
  try {
    const resolved = resolveUserProfiles(raw, resolve)
    const r = parseExperiment(resolved.raw)
    if (!r.ok || resolved.errors.length) return { ok: false, errors: mergeErrors(resolved.errors, r.ok ? [] : r.errors) }
    if (isRecord(raw) && Array.isArray(raw.profiles)) r.spec.profiles = raw.profiles as (string | Record<string, unknown>)[]
    return { ok: true, spec: r.spec, plan: r.plan }
  } catch (e) {
    // parseExperiment never throws by contract; a bug must still reach the form as a message, not a crash
    return { ok: false, errors: [{ path: '', message: e instanceof Error ? e.message : String(e) }] }
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}
