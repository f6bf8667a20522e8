/**
 * Parsing an experiment: defaults for every field (the default experiment is `{}`), errors that name
 * the field, and checks that reach into the registries (algorithm ids, hyperparameters, corruptions,
 * built-in models).
 */
import { array, int, num, obj, oneOf, opt, req, str, tagged, validate, anyValue, type FieldError, type Schema } from '../core/schema'
import { ACCUMULATOR_BITS } from '../core/accumulator'
import { ROUNDING_MODES } from '../core/rounding'
import { parseModelSpec } from '../model/validate'
import { BUILTIN_MODEL_NAMES, getBuiltinModel } from '../model/builtin'
import { CORRUPTIONS } from '../data/corruptions'
import { getAlgorithm, trainingAlgorithms } from '../training/algorithms/registry'
import { resolveHyperparameters } from '../training/algorithms/algorithm'
import { type TrainableScope } from '../training/network/trainable'
import { DEFAULT_FORMATS } from '../training/network/formats'
import { EXPERIMENT_SCHEMA_VERSION, type ExperimentSpec } from './spec'
import type { ModelSpec } from '../model/spec'
import { resolveProfileRef } from '../hardware/profiles/library'
import type { HardwareProfile } from '../hardware/profiles/profile'
import { planExperiment, type PlannedRun } from './plan'


const formatFields = {
  weightBits: opt(int(2, 32), DEFAULT_FORMATS.weightBits),
  activationBits: opt(int(2, 32), DEFAULT_FORMATS.activationBits),
  gradientBits: opt(int(2, 32), DEFAULT_FORMATS.gradientBits),
  accumulatorBits: opt(oneOf(ACCUMULATOR_BITS), DEFAULT_FORMATS.accumulatorBits),
  accumulatorOverflow: opt(oneOf(['saturate', 'wrap'] as const), DEFAULT_FORMATS.accumulatorOverflow),
  weightGranularity: opt(oneOf(['per-tensor', 'per-channel'] as const), DEFAULT_FORMATS.weightGranularity),
  rounding: opt(oneOf(ROUNDING_MODES), DEFAULT_FORMATS.rounding),
}

const partialFormatFields = Object.fromEntries(Object.entries(formatFields).map(([k, f]) => [k, opt(f.schema as Schema<unknown>)])) as Record<keyof typeof formatFields, ReturnType<typeof opt<unknown>>>

const scope = tagged<TrainableScope>('kind', {
  all: obj({ kind: req(oneOf(['all'] as const)) }) as Schema<TrainableScope>,
  last: obj({ kind: req(oneOf(['last'] as const)), layers: req(int(1)) }) as Schema<TrainableScope>,
  biases: obj({ kind: req(oneOf(['biases'] as const)) }) as Schema<TrainableScope>,
})

const modelRef: Schema<string | ModelSpec> = (v, path, ctx) => {
  if (typeof v === 'string') {
    if ((BUILTIN_MODEL_NAMES as readonly string[]).includes(v)) return v
    ctx.errors.push({ path, message: `unknown built-in model "${v}" (known: ${BUILTIN_MODEL_NAMES.join(', ')})` })
    return undefined
  }
  const r = parseModelSpec(v)
  if (r.ok) return r.spec
  for (const e of r.errors) ctx.errors.push({ path: e.path ? `${path}.${e.path}` : path, message: e.message })
  return undefined
}

const corruption: Schema<string> = (v, path, ctx) => {
  if (v === 'none' || (typeof v === 'string' && CORRUPTIONS.has(v))) return v as string
  ctx.errors.push({ path, message: `must be "none" or one of ${[...CORRUPTIONS.keys()].join(', ')}, got ${JSON.stringify(v)}` })
  return undefined
}

const algorithmId: Schema<string> = (v, path, ctx) => {
  if (typeof v === 'string' && trainingAlgorithms.has(v)) return v
  ctx.errors.push({ path, message: `unknown algorithm ${JSON.stringify(v)} (known: ${[...trainingAlgorithms.keys()].join(', ')})` })
  return undefined
}

/** A profile reference as written (a preset id or a whole profile) and the parsed profile it stands for: resolved once, here. */
interface ResolvedRef { ref: string | Record<string, unknown>; profile: HardwareProfile }

const profileRef: Schema<ResolvedRef> = (v, path, ctx) => {
  const r = resolveProfileRef(v, path)
  ctx.errors.push(...r.errors)
  return r.profile ? { ref: v as string | Record<string, unknown>, profile: r.profile } : undefined
}

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
    dataset: opt(oneOf(['mnist', 'synthetic'] as const), 'mnist'),
    pretrainPerClass: opt(int(1, 100000), 250),
    corruption: opt(corruption, 'rotate'),
    severity: opt(int(1, 5), 3),
    shots: opt(int(1, 10000), 20),
    testPerClass: opt(int(1, 10000), 50),
    classes: opt(array(int(0, 9), { min: 2 })),
  }), {} as never),
  model: opt(modelRef, 'cnn-mnist'),
  init: opt(oneOf(['pretrained', 'scratch'] as const), 'pretrained'),
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
    hyperparameters: opt(anyValue as Schema<Record<string, unknown>>, {}),
    formats: opt(obj(partialFormatFields)),
    steps: opt(int(0, 1_000_000)),
  }), { min: 1 }), DEFAULT_RUNS as never),
  profiles: opt(array(profileRef), [] as never),
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
  if (typeof spec.model === 'string') {
    const m = getBuiltinModel(spec.model as (typeof BUILTIN_MODEL_NAMES)[number])
    if (spec.data.dataset === 'mnist' && m.input.shape.join() !== '28,28,1') {
      errors.push({ path: 'model', message: `${spec.model} takes [${m.input.shape.join(', ')}] inputs; MNIST images are [28, 28, 1]` })
    }
  }
  if (errors.length) return { ok: false, errors }
  const profiles = resolved.map((p) => p.profile)
  return { ok: true, spec, profiles, plan: planExperiment(spec, profiles) }
}

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
