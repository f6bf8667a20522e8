/**
 * A sweep spec → its trials and the trainings they need. A trial is one (format setting, run, seed) of
 * the base experiment, judged on every device at the formats nearest to its setting (plan.ts). Its
 * trajectory depends only on what is trained, so trials and devices that need the same training share
 * it: the training key is everything that decides the trajectory (task, model, start, batch, steps,
 * evaluation, formats as trained, run with its resolved hyperparameters, seed), and each distinct key is
 * trained once and priced on every device that needs it. Shards split the trainings, never a training,
 * so the union of the shards is the unsharded sweep, bit for bit.
 */
import { cutKey, excerpt, type FieldError } from '../core/schema'
import { shuffle } from '../data/splits'
import { parseExperiment } from '../experiment/validate'
import { formatsTag, planExperiment, type PlannedDevice, type PlannedRun } from '../experiment/plan'
import { runLabel } from '../experiment/labels'
import { inexactAt } from '../experiment/exactness'
import { resolveModel } from '../model/builtin'
import type { ExperimentSpec, RunSpec } from '../experiment/spec'
import type { HardwareProfile } from '../hardware/profiles/profile'
import { getAlgorithm } from '../training/algorithms/registry'
import { resolveHyperparameters } from '../training/algorithms/algorithm'
import { STOCHASTIC_FORMATS_REASON, type NumericFormatsSpec } from '../training/network/formats'
import { MAX_SAMPLED_FROM, MAX_TRIALS, validateSweepShape, type FormatSetting, type SweepSpec } from './spec'

export interface Trial {
  index: number
  /** the format setting as asked (merged over the experiment's formats) */
  formats: NumericFormatsSpec
  /** the run of the base experiment (or sweep) it trains, with its hyperparameters */
  run: RunSpec
  seed: number
  label: string
  /** per device (in the sweep's device order): the training that judges it there, and what was changed */
  devices: { profile: string; training: number; changes: PlannedDevice['changes'] }[]
}

export interface Training {
  index: number
  key: string
  /** the experiment it trains: the base with this trial's formats, run (as runs[0]) and seed */
  spec: ExperimentSpec
  /** what runOne trains: spec.runs[0] at these formats, priced on these devices */
  run: PlannedRun
}

export interface ParsedSweep {
  spec: SweepSpec
  /** the base experiment as parsed (its profiles: the sweep's devices) */
  base: ExperimentSpec
  profiles: HardwareProfile[]
  trials: Trial[]
  trainings: Training[]
}

export type ParseSweepResult = ({ ok: true } & ParsedSweep) | { ok: false; errors: FieldError[] }

/** JSON with sorted object keys: the same value always gives the same text. */
export function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`
  if (v && typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`).join(',')}}`
  return JSON.stringify(v) ?? 'null'
}

function product<T extends Record<string, unknown>>(axes: Record<string, readonly unknown[] | undefined>): T[] {
  let out: Record<string, unknown>[] = [{}]
  for (const [k, values] of Object.entries(axes)) if (values?.length) out = out.flatMap((o) => values.map((v) => ({ ...o, [k]: v })))
  return out as T[]
}

/** Parses a sweep: its shape, the base experiment (with the devices and runs), every hyperparameter value. Never throws. */
export function parseSweep(raw: unknown): ParseSweepResult {
  const shape = validateSweepShape(raw)
  if (!shape.ok) return shape
  const spec = shape.value
  const baseRaw = { ...spec.experiment, profiles: spec.devices, ...(spec.runs && { runs: spec.runs }) }
  const base = parseExperiment(baseRaw)
  if (!base.ok) {
    // the devices and runs came from the sweep: report them there
    return { ok: false, errors: base.errors.map((e) => {
      if (e.path.startsWith('profiles')) return { ...e, path: `devices${e.path.slice('profiles'.length)}` }
      if (spec.runs && e.path.startsWith('runs')) return e
      return { ...e, path: `experiment.${e.path}` }
    }) }
  }
  // The sizes first, by arithmetic: listing a grid of 10^9 trials to count them would never end.
  const hpGrid = spec.hyperparameterGrid ?? {}
  const gridOf = (alg: string) => (Object.hasOwn(hpGrid, alg) ? hpGrid[alg] : undefined)
  const size = (axes: Record<string, readonly unknown[] | undefined> | undefined) => Object.values(axes ?? {}).reduce((a, v) => a * (v?.length || 1), 1)
  const runCount = base.spec.runs.reduce((a, r) => a + size(gridOf(r.algorithm)), 0)
  const settingCount = spec.formats.length * size(spec.grid)
  const total = settingCount * runCount * (spec.seeds ?? [base.spec.seed]).length
  if (!spec.sample && total > MAX_TRIALS) return { ok: false, errors: [{ path: 'grid', message: `makes ${total} trials, more than ${MAX_TRIALS}: narrow it or draw a sample ("sample": { "count", "seed" })` }] }
  if (spec.sample && total > MAX_SAMPLED_FROM) return { ok: false, errors: [{ path: 'sample', message: `draws from ${total} trials, more than ${MAX_SAMPLED_FROM}: narrow the grid` }] }

  // runs × their hyperparameter grids
  const errors: FieldError[] = []
  const runs: RunSpec[] = base.spec.runs.flatMap((run, i) => {
    const grid = gridOf(run.algorithm)
    if (!grid) return [run]
    return product<Record<string, unknown>>(grid).map((values) => {
      const hyperparameters = { ...run.hyperparameters, ...values }
      // checked until a few errors are found (a grid of 100,000 wrong values needs no 100,000 messages)
      if (errors.length < 20) try {
        resolveHyperparameters(getAlgorithm(run.algorithm), hyperparameters, `hyperparameterGrid.${run.algorithm}`)
      } catch (e) {
        errors.push({ path: `hyperparameterGrid.${run.algorithm}`, message: (e as Error).message })
      }
      const tag = Object.entries(values).map(([k, v]) => `${k} ${String(v)}`).join(', ')
      return { ...run, hyperparameters, label: `${run.label ?? runLabel(base.spec, i)} (${tag})` }
    })
  })
  for (const alg of Object.keys(hpGrid)) {
    if (!base.spec.runs.some((r) => r.algorithm === alg)) errors.push({ path: `hyperparameterGrid.${cutKey(alg)}`, message: `no run uses the algorithm ${excerpt(alg)}` })
  }
  const settings: FormatSetting[] = spec.formats.flatMap((f) => product<FormatSetting>({ ...(spec.grid ?? {}) }).map((g) => ({ ...f, ...g })))
  const seeds = spec.seeds ?? [base.spec.seed]
  // rounding as trained: stochastic is rejected as in an experiment's formats (training/network/formats.ts)
  spec.formats.forEach((f, i) => { if (f.rounding === 'stochastic') errors.push({ path: `formats[${i}].rounding`, message: STOCHASTIC_FORMATS_REASON }) })
  spec.grid?.rounding?.forEach((r, i) => { if (r === 'stochastic') errors.push({ path: `grid.rounding[${i}]`, message: STOCHASTIC_FORMATS_REASON }) })
  if (errors.length) return { ok: false, errors: [...new Map(errors.map((e) => [`${e.path}|${e.message}`, e])).values()] }

  // every (setting, run, seed), or a seeded sample of them, in a fixed order
  let combos = settings.flatMap((setting) => runs.flatMap((run) => seeds.map((seed) => ({ setting, run, seed }))))
  if (spec.sample && spec.sample.count < combos.length) {
    const order = shuffle(Int32Array.from(combos.keys()), spec.sample.seed)
    combos = [...order.subarray(0, spec.sample.count)].sort((a, b) => a - b).map((i) => combos[i])
  }

  const trainings: Training[] = []
  const byKey = new Map<string, Training>()
  // formats a training cannot run at (experiment/exactness.ts), once per distinct formats
  const model = resolveModel(base.spec.model)
  const inexact = new Map<string, string | undefined>()
  const settingsPath = spec.grid ? 'grid' : 'formats'
  const trials: Trial[] = combos.map(({ setting, run, seed }, index) => {
    const formats = { ...base.spec.formats, ...setting } as NumericFormatsSpec
    const trialSpec: ExperimentSpec = { ...base.spec, formats, runs: [run], seed }
    const label = runLabel(trialSpec, 0)
    const plan = planExperiment(trialSpec, base.profiles)
    const devices: Trial['devices'] = []
    for (const p of plan) {
      const key = trainingKey(trialSpec, p)
      let t = byKey.get(key)
      if (!t) {
        t = { index: trainings.length, key, spec: trialSpec, run: { ...p, index: trainings.length, label: `${label} · ${formatsTag(p.formats, getAlgorithm(run.algorithm).usesGradientFormat)}${seeds.length > 1 ? ` · seed ${seed}` : ''}`, devices: [] } }
        byKey.set(key, t)
        trainings.push(t)
        const fkey = stableJson(p.formats)
        if (!inexact.has(fkey)) {
          const why = inexactAt(model, p.formats)
          inexact.set(fkey, why)
          if (why) errors.push({ path: settingsPath, message: `${t.run.label}: ${why}` })
        }
      }
      for (const d of p.devices) {
        if (!t.run.devices.some((x) => x.profile === d.profile)) t.run.devices.push({ profile: d.profile, changes: d.changes })
        devices.push({ profile: d.profile, training: t.index, changes: d.changes })
      }
    }
    // the sweep's device order, whatever order the plan grouped them in
    devices.sort((a, b) => base.profiles.findIndex((x) => x.id === a.profile) - base.profiles.findIndex((x) => x.id === b.profile))
    return { index, formats, run, seed, label, devices }
  })
  if (errors.length) return { ok: false, errors: errors.slice(0, 20) }
  // each training priced on its devices in the sweep's order
  for (const t of trainings) t.run.devices.sort((a, b) => base.profiles.findIndex((x) => x.id === a.profile) - base.profiles.findIndex((x) => x.id === b.profile))
  return { ok: true, spec, base: base.spec, profiles: base.profiles, trials, trainings }
}

/** What decides a training's trajectory, as text: equal keys train bit-identically. */
export function trainingKey(spec: ExperimentSpec, run: PlannedRun): string {
  const r = spec.runs[run.specRun]
  const hp = resolveHyperparameters(getAlgorithm(r.algorithm), r.hyperparameters, 'hyperparameters')
  return stableJson({
    data: spec.data, model: spec.model, init: spec.init, pretrain: spec.pretrain, batch: spec.batch, evalEvery: spec.evalEvery,
    steps: run.steps, formats: run.formats, algorithm: r.algorithm, scope: r.scope, hyperparameters: hp, seed: spec.seed,
  })
}

/** Shard `i` of `n` (0-based): every n-th training, so each shard has a share of every kind of work. */
export function shardOf(trainings: readonly Training[], i: number, n: number): Training[] {
  if (!(Number.isInteger(n) && n >= 1 && Number.isInteger(i) && i >= 0 && i < n)) throw new RangeError(`shard ${i}/${n}: need 0 ≤ i < n`)
  return trainings.filter((t) => t.index % n === i)
}

/** What a prepared task is shared by: trainings with equal keys here train on the same data and start. */
export function prepareKey(spec: ExperimentSpec): string {
  return stableJson({ data: spec.data, model: spec.model, init: spec.init, pretrain: spec.pretrain, seed: spec.seed })
}
