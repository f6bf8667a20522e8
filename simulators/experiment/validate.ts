/**
 * Parsing an experiment: defaults for every field (the default experiment is `{}`), errors that name
 * the field, and checks that reach into the registries (algorithm ids, hyperparameters, corruptions,
 * built-in models).
 */
import { array, excerpt, fieldPath, int, num, obj, oneOf, opt, req, str, tagged, validate, type FieldError, type Schema } from '../core/schema'
import { ACCUMULATOR_BITS } from '../core/accumulator'
import type { RoundingMode } from '../core/rounding'
import { parseModelSpec } from '../model/validate'
import { summarizeModel } from '../model/shapes'
import { buildGraph, hasWeights } from '../model/graph'
import { sparseScopeProblems } from '../training/network/sparse-update'
import { protonetHeadProblem } from './protonet-head'
import { BUILTIN_MODEL_NAMES, getBuiltinModel, resolveModel } from '../model/builtin'
import { inexactAt } from './exactness'
import { DATASET_CLASSES, DATASET_IMAGE_SHAPE, MNIST_CLASS_COUNTS } from '../data/mnist-counts'
import { KWS_CLASSES, KWS_SHAPE, KWS_SHIFTS, KWS_SOURCE_PER_CLASS, KWS_TARGET_PER_CLASS } from '../data/kws'
import { CORRUPTIONS } from '../data/corruptions'
import { getAlgorithm, trainingAlgorithms } from '../training/algorithms/registry'
import { resolveHyperparameters } from '../training/algorithms/algorithm'
import { type TrainableScope } from '../training/network/trainable'
import { DEFAULT_FORMATS, STOCHASTIC_FORMATS_REASON, TRAINABLE_ROUNDING_MODES } from '../training/network/formats'
import { EXPERIMENT_SCHEMA_VERSION, type ExperimentSpec } from './spec'
import type { ModelSpec } from '../model/spec'
import { resolveProfileRef } from '../hardware/profiles/library'
import type { HardwareProfile } from '../hardware/profiles/profile'
import { planExperiment, type PlannedRun } from './plan'


/** A rounding mode a run can train at; stochastic has its own message (training/network/formats.ts says why). */
const trainableRounding: Schema<RoundingMode> = (v, path, ctx) => {
  if (v === 'stochastic') { ctx.errors.push({ path, message: STOCHASTIC_FORMATS_REASON }); return undefined }
  return oneOf(TRAINABLE_ROUNDING_MODES)(v, path, ctx)
}

/** An object whose fields are checked elsewhere (hyperparameters, against their algorithm). */
const record: Schema<Record<string, unknown>> = (v, path, ctx) => {
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Record<string, unknown>
  ctx.errors.push({ path, message: `must be an object, got ${excerpt(v)}` })
  return undefined
}

const formatFields = {
  weightBits: opt(int(2, 32), DEFAULT_FORMATS.weightBits),
  activationBits: opt(int(2, 32), DEFAULT_FORMATS.activationBits),
  gradientBits: opt(int(2, 32), DEFAULT_FORMATS.gradientBits),
  accumulatorBits: opt(oneOf(ACCUMULATOR_BITS), DEFAULT_FORMATS.accumulatorBits),
  accumulatorOverflow: opt(oneOf(['saturate', 'wrap'] as const), DEFAULT_FORMATS.accumulatorOverflow),
  weightGranularity: opt(oneOf(['per-tensor', 'per-channel'] as const), DEFAULT_FORMATS.weightGranularity),
  rounding: opt(trainableRounding, DEFAULT_FORMATS.rounding),
}

const partialFormatFields = Object.fromEntries(Object.entries(formatFields).map(([k, f]) => [k, opt(f.schema as Schema<unknown>)])) as Record<keyof typeof formatFields, ReturnType<typeof opt<unknown>>>

/** A sparse update's share of a layer's channels: more than 0, at most 1 (TTE uses 1/8, 1/4, 1/2, 1). */
const shareOfChannels: Schema<number> = (v, path, ctx) => {
  if (typeof v === 'number' && Number.isFinite(v) && v > 0 && v <= 1) return v
  ctx.errors.push({ path, message: `must be a share of the layer's channels, more than 0 and at most 1, got ${excerpt(v)}` })
  return undefined
}

const scope = tagged<TrainableScope>('kind', {
  all: obj({ kind: req(oneOf(['all'] as const)) }) as Schema<TrainableScope>,
  last: obj({ kind: req(oneOf(['last'] as const)), layers: req(int(1)) }) as Schema<TrainableScope>,
  biases: obj({ kind: req(oneOf(['biases'] as const)) }) as Schema<TrainableScope>,
  sparse: obj({
    kind: req(oneOf(['sparse'] as const)),
    biasLayers: req(int(1)),
    weights: opt(array(obj({ layer: req(int(0)), ratio: req(shareOfChannels) }), { max: 10000 }), []),
    axis: opt(oneOf(['input', 'output'] as const), 'input'),
  }) as Schema<TrainableScope>,
})

const modelRef: Schema<string | ModelSpec> = (v, path, ctx) => {
  if (typeof v === 'string') {
    if ((BUILTIN_MODEL_NAMES as readonly string[]).includes(v)) return v
    ctx.errors.push({ path, message: `unknown built-in model ${excerpt(v)} (known: ${BUILTIN_MODEL_NAMES.join(', ')})` })
    return undefined
  }
  const r = parseModelSpec(v)
  if (r.ok) return r.spec
  for (const e of r.errors) ctx.errors.push({ path: e.path ? `${path}.${e.path}` : path, message: e.message })
  return undefined
}

const corruption: Schema<string> = (v, path, ctx) => {
  if (v === 'none' || (typeof v === 'string' && CORRUPTIONS.has(v))) return v as string
  ctx.errors.push({ path, message: `must be "none" or one of ${[...CORRUPTIONS.keys()].join(', ')}, got ${excerpt(v)}` })
  return undefined
}

const algorithmId: Schema<string> = (v, path, ctx) => {
  if (typeof v === 'string' && trainingAlgorithms.has(v)) return v
  ctx.errors.push({ path, message: `unknown algorithm ${excerpt(v)} (known: ${[...trainingAlgorithms.keys()].join(', ')})` })
  return undefined
}

/** A profile reference as written (a preset id or a whole profile) and the parsed profile it stands for: resolved once, here. */
interface ResolvedRef { ref: string | Record<string, unknown>; profile: HardwareProfile }

const profileRef: Schema<ResolvedRef> = (v, path, ctx) => {
  const r = resolveProfileRef(v, path)
  ctx.errors.push(...r.errors)
  return r.profile ? { ref: v as string | Record<string, unknown>, profile: r.profile } : undefined
}

/** Bounds on the lists of an experiment (as a sweep's): far above any real one, they bound the work of validating. */
export const MAX_RUNS = 100
export const MAX_PROFILES = 200

const DEFAULT_RUNS = [
  { algorithm: 'backprop', scope: { kind: 'all' }, hyperparameters: {} },
  { algorithm: 'zo-spsa', scope: { kind: 'all' }, hyperparameters: {} },
]

const experiment = obj({
  schemaVersion: opt(oneOf([EXPERIMENT_SCHEMA_VERSION] as const), EXPERIMENT_SCHEMA_VERSION),
  name: opt(str({ nonEmpty: true }), 'default-last-mile'),
  description: opt(str()),
  seed: opt(int(0, 2 ** 32 - 1), 1),
  data: opt(obj({
    dataset: opt(oneOf(['mnist', 'synthetic', 'kws-espeak'] as const), 'mnist'),
    shift: opt(oneOf(KWS_SHIFTS)),
    pretrainPerClass: opt(int(1, 100000), 250),
    corruption: opt(corruption, 'rotate'),
    severity: opt(int(1, 5), 3),
    shots: opt(int(1, 10000), 20),
    testPerClass: opt(int(1, 10000), 50),
    classes: opt(array(int(0, KWS_CLASSES - 1), { min: 2 })),
    pretrainClasses: opt(array(int(0, KWS_CLASSES - 1), { min: 2 })),
  }), {} as never),
  model: opt(modelRef, 'cnn-mnist'),
  init: opt(oneOf(['pretrained', 'scratch'] as const), 'pretrained'),
  head: opt(oneOf(['model', 'protonet'] as const), 'model'),
  pretrain: opt(obj({
    epochs: opt(int(1, 1000), 3),
    batch: opt(int(1, 4096), 32),
    lr: opt(num({ min: 0, max: 10 }), 0.05),
    momentum: opt(num({ min: 0, max: 0.999 }), 0.9),
  }), {} as never),
  formats: opt(obj(formatFields), {} as never),
  batch: opt(int(1, 4096), 16),
  steps: opt(int(0, 1_000_000), 150),
  evalEvery: opt(int(1, 1_000_000), 25),
  runs: opt(array(obj({
    label: opt(str({ nonEmpty: true })),
    algorithm: req(algorithmId),
    scope: opt(scope, { kind: 'all' }),
    hyperparameters: opt(record, {}),
    formats: opt(obj(partialFormatFields)),
    steps: opt(int(0, 1_000_000)),
  }), { min: 1, max: MAX_RUNS }), DEFAULT_RUNS as never),
  profiles: opt(array(profileRef, { max: MAX_PROFILES }), [] as never),
  deviceFormats: opt(oneOf(['nearest', 'requested'] as const), 'nearest'),
})

/**
 * A valid experiment: the spec with every default filled in (what is stored and shown; `profiles` as
 * written), and its hardware profiles parsed, in spec order (what the runs are priced on). Hosts carry
 * both on, so a profile is resolved once per experiment.
 */
export interface ParsedExperiment {
  spec: ExperimentSpec
  profiles: HardwareProfile[]
  /** the trainings it runs and the devices each is priced on (plan.ts): the experiment's runs */
  plan: PlannedRun[]
}

export type ParseExperimentResult = ({ ok: true } & ParsedExperiment) | { ok: false; errors: FieldError[] }

/** Parses untrusted JSON into an experiment with defaults; never throws. */
export function parseExperiment(raw: unknown): ParseExperimentResult {
  const r = validate(experiment, raw ?? {})
  if (!r.ok) return r
  const resolved = (r.value as { profiles: ResolvedRef[] }).profiles
  const spec = { ...r.value, profiles: resolved.map((p) => p.ref) } as unknown as ExperimentSpec
  const errors: FieldError[] = []
  spec.runs.forEach((run, i) => {
    try {
      resolveHyperparameters(getAlgorithm(run.algorithm), run.hyperparameters, `runs[${i}].hyperparameters`)
    } catch (e) {
      const m = /^(runs\[\d+\]\.hyperparameters(?:\.\w+)?):? (.*)$/s.exec((e as Error).message)
      errors.push(m ? { path: m[1], message: m[2] } : { path: `runs[${i}].hyperparameters`, message: (e as Error).message })
    }
  })
  errors.push(...crossChecks(spec))
  if (errors.length) return { ok: false, errors }
  const profiles = resolved.map((p) => p.profile)
  const plan = planExperiment(spec, profiles)
  // every training at the formats it will train at (a device's nearest formats included)
  const model = resolveModel(spec.model)
  for (const run of plan) {
    const why = inexactAt(model, run.formats)
    const own = spec.runs[run.specRun].formats
    const path = own && Object.keys(own).length ? `runs[${run.specRun}].formats` : 'formats'
    if (why && !errors.some((e) => e.path === path)) errors.push({ path, message: `${run.label}: ${why}` })
  }
  if (errors.length) return { ok: false, errors }
  return { ok: true, spec, profiles, plan }
}

const DATASET_NAMES: Record<ExperimentSpec['data']['dataset'], string> = { mnist: 'MNIST', synthetic: 'synthetic', 'kws-espeak': 'kws-espeak MFCC' }
/** input shape and class count of each data set (data/mnist-counts.ts, data/kws.ts) */
const DATASET_FORMS: Record<ExperimentSpec['data']['dataset'], { shape: readonly number[]; classes: number }> = {
  mnist: { shape: DATASET_IMAGE_SHAPE, classes: DATASET_CLASSES },
  synthetic: { shape: DATASET_IMAGE_SHAPE, classes: DATASET_CLASSES },
  'kws-espeak': { shape: KWS_SHAPE, classes: KWS_CLASSES },
}

/**
 * What must agree between the parts of a valid experiment, so that it runs as written: the model takes
 * the data set's images and gives one logit per class, the classes are distinct, and the data set has
 * the images the splits ask for (experiment/task.ts: each class is halved, the source half pretrains,
 * the target half gives the shots and then the test images).
 */
function crossChecks(spec: ExperimentSpec): FieldError[] {
  const errors: FieldError[] = []
  const d = spec.data
  const images = DATASET_NAMES[d.dataset]
  const form = DATASET_FORMS[d.dataset]
  const builtin = typeof spec.model === 'string'
  const model = builtin ? getBuiltinModel(spec.model as (typeof BUILTIN_MODEL_NAMES)[number]) : spec.model as ModelSpec
  const where = (field: string) => (builtin ? 'model' : `model.${field}`)
  const what = builtin ? `${model.name} ` : ''
  const shape = (s: readonly number[]) => `[${s.join(', ')}]`
  if (model.task !== 'classification') errors.push({ path: where('task'), message: `${what}is a ${model.task} model; experiments train classifiers of the ${images} images` })
  else if (model.input.shape.join() !== form.shape.join()) {
    errors.push({ path: where('input.shape'), message: `${what}takes ${shape(model.input.shape)} inputs; ${images} images are ${shape(form.shape)}` })
  } else {
    const out = summarizeModel(model).outputShape
    const logits = out.reduce((a, b) => a * b, 1)
    if (logits !== form.classes) {
      errors.push({ path: builtin ? 'model' : `model.${fieldPath('layers', model.layers.length - 1)}`, message: `${what}ends in ${logits} outputs; the ${images} images have ${form.classes} classes (labels 0–${form.classes - 1}), one logit each` })
    }
    const headProblem = spec.head === 'protonet' ? protonetHeadProblem(buildGraph(model)) : undefined
    if (headProblem) errors.push({ path: 'head', message: `"protonet" replaces the last layer by class-mean prototypes, but ${what}${headProblem.replace(/^the model's /, "has its ")}` })
  }
  errors.push(...sparseScopeChecks(spec, model))
  for (const field of ['classes', 'pretrainClasses'] as const) {
    const first = new Map<number, number>()
    d[field]?.forEach((c, i) => {
      const j = first.get(c)
      if (c >= form.classes) errors.push({ path: `data.${field}[${i}]`, message: `is ${c}; the ${images} images have classes 0–${form.classes - 1}` })
      else if (j !== undefined) errors.push({ path: `data.${field}[${i}]`, message: `repeats class ${c} (data.${field}[${j}]): each class takes part once` })
      else first.set(c, i)
    })
  }
  if (d.shift !== undefined && d.dataset !== 'kws-espeak') errors.push({ path: 'data.shift', message: `selects kws-espeak's target domain; ${images} images are shifted by data.corruption` })
  if (d.dataset === 'kws-espeak') errors.push(...kwsChecks(d))
  else if (d.dataset === 'mnist') {
    // trainTestSplit's halves: round(n / 2) images of each class to the target half, the rest to the source
    const target = (c: number) => Math.round(MNIST_CLASS_COUNTS[c] * 0.5)
    const source = (c: number) => MNIST_CLASS_COUNTS[c] - target(c)
    const all = MNIST_CLASS_COUNTS.map((_, c) => c)
    const low = (f: (c: number) => number, cs: readonly number[]) => cs.reduce((a, c) => (f(c) < f(a) ? c : a), cs[0])
    const ps = low(source, d.pretrainClasses ?? all)
    if (d.pretrainPerClass > source(ps)) errors.push({ path: 'data.pretrainPerClass', message: `MNIST has ${source(ps)} source-domain images of class ${ps} (half of its ${MNIST_CLASS_COUNTS[ps]}), fewer than ${d.pretrainPerClass}` })
    const ts = low(target, d.classes ?? all)
    // at least one image of each class must be left to test on
    if (d.shots >= target(ts)) errors.push({ path: 'data.shots', message: `MNIST has ${target(ts)} target-domain images of class ${ts} (half of its ${MNIST_CLASS_COUNTS[ts]}); ${d.shots} shots leave none to test on: at most ${target(ts) - 1}` })
  } else if (d.pretrainPerClass + d.shots + d.testPerClass > MAX_SYNTHETIC_PER_CLASS) {
    // generated in memory: 2 × (pretrain + shots + test) images per class, 28×28 float32 each
    errors.push({ path: 'data', message: `pretrainPerClass + shots + testPerClass is ${d.pretrainPerClass + d.shots + d.testPerClass}; the synthetic set is generated in memory, at most ${MAX_SYNTHETIC_PER_CLASS} per class` })
  }
  return errors
}

/** A sparse scope is a backprop option (its backward pass skips frozen slices) and must fit the model's layers. */
function sparseScopeChecks(spec: ExperimentSpec, model: ModelSpec): FieldError[] {
  const errors: FieldError[] = []
  spec.runs.forEach((run, i) => {
    if (run.scope.kind !== 'sparse') return
    const at = `runs[${i}].scope`
    if (run.algorithm !== 'backprop') {
      errors.push({ path: at, message: `"sparse" is a backprop option (TTE's sparse update prunes the backward pass); ${run.algorithm} takes "all", "last" or "biases"` })
      return
    }
    const weighted = buildGraph(model).filter(hasWeights)
    for (const [field, message] of sparseScopeProblems(run.scope, weighted)) errors.push({ path: `${at}.${field}`, message })
  })
  return errors
}

/** kws-espeak's domains are fixed sets of clips (data/kws.ts): the splits must fit in them. */
function kwsChecks(d: ExperimentSpec['data']): FieldError[] {
  const errors: FieldError[] = []
  if (d.corruption !== 'none') errors.push({ path: 'data.corruption', message: `must be "none" for kws-espeak (got "${d.corruption}"): its shift is data.shift (${KWS_SHIFTS.join(' or ')}), image corruptions do not apply to MFCCs` })
  if (d.pretrainPerClass > KWS_SOURCE_PER_CLASS) errors.push({ path: 'data.pretrainPerClass', message: `kws-espeak has ${KWS_SOURCE_PER_CLASS} source-domain clips per class, fewer than ${d.pretrainPerClass}` })
  if (d.shots >= KWS_TARGET_PER_CLASS) errors.push({ path: 'data.shots', message: `kws-espeak has ${KWS_TARGET_PER_CLASS} target-domain clips per class; ${d.shots} shots leave none to test on: at most ${KWS_TARGET_PER_CLASS - 1}` })
  return errors
}

/** Synthetic images per class and split (pretrain + shots + test): 2 × 10 × 5,000 images of 28×28 are 314 MB of float32. */
export const MAX_SYNTHETIC_PER_CLASS = 5000

export class ExperimentSpecError extends Error {
  constructor(readonly errors: readonly FieldError[]) {
    super(`invalid experiment:\n${errors.map((e) => `  ${e.path || '(document)'}: ${e.message}`).join('\n')}`)
    this.name = 'ExperimentSpecError'
  }
}

/** parseExperiment for trusted call sites: the parsed experiment, or an ExperimentSpecError listing every error. */
export function loadExperiment(raw: unknown): ParsedExperiment {
  const r = parseExperiment(raw)
  if (!r.ok) throw new ExperimentSpecError(r.errors)
  return { spec: r.spec, profiles: r.profiles, plan: r.plan }
}

/** The built-in default experiment (every field at its default). */
export function defaultExperiment(): ExperimentSpec {
  return loadExperiment({}).spec
}
