/**
 * A sweep is data: one base experiment and the axes to vary over it — devices × number-format settings
 * × runs (algorithms with their hyperparameters, optionally gridded) × seeds — as a full grid or a seeded
 * random sample of it. Versioned JSON; every field but `devices` has a default; errors name the field.
 *
 *   {
 *     "name": "which-chip", "experiment": { … any experiment, `{}` is the default … },
 *     "devices": ["alif-e7-hp", "nrf52840", …],
 *     "formats": [{ "weightBits": 8, "activationBits": 8 }, { "weightBits": 16 }],      settings, or
 *     "grid": { "weightBits": [4, 8, 16], "activationBits": [8, 16] },                  their product
 *     "runs": [{ "algorithm": "zo-spsa" }],  "hyperparameterGrid": { "zo-spsa": { "lrFraction": [0.004, 0.008] } },
 *     "seeds": [1, 2], "sample": { "count": 10, "seed": 7 }
 *   }
 *
 * A trial is one (format setting, run, seed); on every device it is judged at the supported formats
 * nearest to the setting's (experiment/plan.ts), and a training shared by trials and devices runs once.
 */
import { array, bool, cutKey, excerpt, int, num, obj, oneOf, opt, req, str, anyValue, validate, type FieldError, type Schema } from '../core/schema'
import { ACCUMULATOR_BITS } from '../core/accumulator'
import { ROUNDING_MODES } from '../core/rounding'
import { MAX_INT_BITS, MIN_INT_BITS } from '../core/int-format'
import type { NumericFormatsSpec } from '../training/network/formats'

export const SWEEP_SCHEMA_VERSION = 1

/** The number formats a setting may set (the experiment's formats apply to the rest). */
export type FormatSetting = Partial<Pick<NumericFormatsSpec, 'weightBits' | 'activationBits' | 'gradientBits' | 'accumulatorBits' | 'accumulatorOverflow' | 'weightGranularity' | 'rounding'>>

export interface SweepSpec {
  schemaVersion: typeof SWEEP_SCHEMA_VERSION
  name: string
  description?: string
  /** the base experiment (raw: parsed with the experiment's own rules, errors under `experiment.`) */
  experiment: Record<string, unknown>
  /** every device every trial is judged on: preset ids, or whole profiles */
  devices: (string | Record<string, unknown>)[]
  /** format settings (default: the experiment's own formats only) */
  formats: FormatSetting[]
  /** a product of widths and roundings, combined with each of `formats` */
  grid?: { weightBits?: number[]; activationBits?: number[]; gradientBits?: number[]; accumulatorBits?: number[]; rounding?: string[] }
  /** the runs to compare (default: the experiment's runs): experiment run descriptions without formats or steps overrides */
  runs?: Record<string, unknown>[]
  /** per algorithm id, per hyperparameter, the values to try (each run of that algorithm is expanded) */
  hyperparameterGrid?: Record<string, Record<string, unknown[]>>
  /** the seeds (default: the experiment's seed) */
  seeds?: number[]
  /** a seeded random sample of `count` trials instead of all of them */
  sample?: { count: number; seed: number }
  /** what a device must achieve to be recommended (select.ts) */
  constraints: Constraints
}

/** The question a device selection answers. Absent bounds do not constrain. */
export interface Constraints {
  /** minimum test accuracy after adaptation (0..1) */
  minAccuracy?: number
  maxSecondsPerStep?: number
  maxEnergyUjPerStep?: number
  /** the whole adaptation: every training step of the run */
  maxSecondsPerAdaptation?: number
  maxEnergyUjPerAdaptation?: number
  /** the run must fit the device's memory (default true) */
  mustFit: boolean
  /** formats the device must run natively (e.g. { "weightBits": 8, "activationBits": 8 }) */
  requiredFormats?: { weightBits?: number; activationBits?: number; gradientBits?: number; accumulatorBits?: number }
  /** how the devices that pass are ranked */
  rankBy: 'accuracy' | 'energy' | 'time'
}

/** A grid of at most this many trials: beyond, say `sample` (a million trials is days on one machine). */
export const MAX_TRIALS = 100_000
/** A sample is drawn from at most this many trials (they are listed before drawing). */
export const MAX_SAMPLED_FROM = 1_000_000

const bits = int(MIN_INT_BITS, MAX_INT_BITS)
const setting = obj({
  weightBits: opt(bits), activationBits: opt(bits), gradientBits: opt(bits),
  accumulatorBits: opt(oneOf(ACCUMULATOR_BITS)),
  accumulatorOverflow: opt(oneOf(['saturate', 'wrap'] as const)),
  weightGranularity: opt(oneOf(['per-tensor', 'per-channel'] as const)),
  rounding: opt(oneOf(ROUNDING_MODES)),
})
const record: Schema<Record<string, unknown>> = (v, path, ctx) => {
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v as Record<string, unknown>
  ctx.errors.push({ path, message: `must be an object, got ${excerpt(v)}` })
  return undefined
}
const valuesByName: Schema<Record<string, unknown[]>> = (v, path, ctx) => {
  const r = record(v, path, ctx)
  if (!r) return undefined
  for (const [k, list] of Object.entries(r)) {
    if (!Array.isArray(list) || list.length === 0 || list.length > 1000) ctx.errors.push({ path: `${path}.${cutKey(k)}`, message: 'must be a list of 1 to 1000 values to try' })
  }
  return r as Record<string, unknown[]>
}
const hpGrid: Schema<Record<string, Record<string, unknown[]>>> = (v, path, ctx) => {
  const r = record(v, path, ctx)
  if (!r) return undefined
  const out: Record<string, Record<string, unknown[]>> = {}
  for (const [alg, grid] of Object.entries(r)) {
    const g = valuesByName(grid, `${path}.${cutKey(alg)}`, ctx)
    // an own property even for "__proto__" (an assignment would set the object's prototype)
    if (g) Object.defineProperty(out, alg, { value: g, enumerable: true, writable: true, configurable: true })
  }
  return out
}

export const sweepSchema = obj({
  schemaVersion: opt(oneOf([SWEEP_SCHEMA_VERSION] as const), SWEEP_SCHEMA_VERSION),
  name: opt(str({ nonEmpty: true }), 'sweep'),
  description: opt(str()),
  experiment: opt(record, {} as never),
  devices: req(array(anyValue as Schema<string | Record<string, unknown>>, { min: 1, max: 200 })),
  formats: opt(array(setting, { min: 1, max: 1000 }), [{}] as never),
  grid: opt(obj({
    weightBits: opt(array(bits, { min: 1, max: 31 })), activationBits: opt(array(bits, { min: 1, max: 31 })), gradientBits: opt(array(bits, { min: 1, max: 31 })),
    accumulatorBits: opt(array(oneOf(ACCUMULATOR_BITS), { min: 1, max: ACCUMULATOR_BITS.length })),
    rounding: opt(array(oneOf(ROUNDING_MODES), { min: 1, max: ROUNDING_MODES.length })),
  })),
  runs: opt(array(record, { min: 1, max: 100 })),
  hyperparameterGrid: opt(hpGrid),
  seeds: opt(array(int(0, 2 ** 32 - 1), { min: 1, max: 1000 })),
  sample: opt(obj({ count: req(int(1, MAX_TRIALS)), seed: req(int(0, 2 ** 32 - 1)) })),
  constraints: opt(obj({
    minAccuracy: opt(num({ min: 0, max: 1 })),
    maxSecondsPerStep: opt(num({ min: 0 })), maxEnergyUjPerStep: opt(num({ min: 0 })),
    maxSecondsPerAdaptation: opt(num({ min: 0 })), maxEnergyUjPerAdaptation: opt(num({ min: 0 })),
    mustFit: opt(bool, true),
    requiredFormats: opt(obj({ weightBits: opt(bits), activationBits: opt(bits), gradientBits: opt(bits), accumulatorBits: opt(oneOf(ACCUMULATOR_BITS)) })),
    rankBy: opt(oneOf(['accuracy', 'energy', 'time'] as const), 'accuracy'),
  }), {} as never),
})

export function validateSweepShape(raw: unknown): { ok: true; value: SweepSpec } | { ok: false; errors: FieldError[] } {
  const r = validate(sweepSchema, raw ?? {})
  return r.ok ? { ok: true, value: r.value as unknown as SweepSpec } : r
}

/** The built-in default sweep (`npx lastmile sweep` without a spec): 8 devices × 3 format settings × 2 algorithms. */
export const DEFAULT_SWEEP = {
  name: 'default-sweep',
  description: 'Which chip for last-mile adaptation of the default task: 2 NPUs, 2 DSPs and 4 MCUs, at W8A8, W16A8 and W16A16, with backprop and zo-spsa; the least energy per adaptation among those reaching 70 %.',
  experiment: {},
  devices: ['alif-e7-hp', 'nxp-imx93', 'generic-dsp-128', 'nxp-rt685-hifi4', 'stm32l4r5', 'nrf52840', 'esp32-s3', 'renesas-ra8d1'],
  formats: [{ weightBits: 8, activationBits: 8 }, { weightBits: 16, activationBits: 8 }, { weightBits: 16, activationBits: 16 }],
  runs: [{ algorithm: 'backprop' }, { algorithm: 'zo-spsa' }],
  // the question: the least energy per adaptation among the devices that reach 70 % and fit
  constraints: { minAccuracy: 0.7, rankBy: 'energy' },
} as const
