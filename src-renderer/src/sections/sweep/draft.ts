// The sweep form's state as text fields, and the sweep spec it stands for. The form never validates on
// its own: the spec goes to the main process (sweeps:check → parseSweep), whose errors name a field path;
// errorsAt() hands each form field the errors under its path, and unclaimed() the rest, so no message is
// ever dropped. Only the experiment's JSON is parsed here (a JSON syntax error has no spec path to name).
import type { FieldError } from '../../api/bridge'
import { CONSTRAINT_FIELDS, constraintsToDraft, draftToConstraints, localConstraintErrors, type ConstraintsDraft } from './constraints'

export interface SettingDraft {
  weightBits: string
  activationBits: string
  gradientBits: string
  accumulatorBits: string
  rounding: string
}

export interface SweepDraft {
  name: string
  /** the base experiment as JSON ({} is the built-in default experiment) */
  experimentText: string
  devices: string[]
  /** format settings, each combined with the grid below */
  settings: SettingDraft[]
  /** comma-separated widths: their product with the settings (empty: no grid axis) */
  gridWeightBits: string
  gridActivationBits: string
  algorithms: string[]
  /** comma-separated seeds (empty: the experiment's seed) */
  seeds: string
  constraints: ConstraintsDraft
  /** spec fields the form has no control for (description, hyperparameterGrid, sample, run options) */
  passthrough: Record<string, unknown>
}

const SETTING_KEYS = ['weightBits', 'activationBits', 'gradientBits', 'accumulatorBits', 'rounding'] as const
const str = (v: unknown) => (v === undefined || v === null ? '' : String(v))
const list = (v: unknown) => (Array.isArray(v) ? v.map(str).join(', ') : '')

/** "4, 8,16" -> [4, 8, 16]; a token that is not a number stays text, for the schema to name. */
export function parseList(s: string): (number | string)[] {
  return s.split(/[,\s]+/).map((t) => t.trim()).filter(Boolean).map((t) => (Number.isFinite(Number(t)) ? Number(t) : t))
}

export function draftFromSpec(raw: unknown): SweepDraft {
  const s = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>
  const { name, experiment, devices, formats, grid, runs, seeds, constraints, ...passthrough } = s
  const g = (grid ?? {}) as Record<string, unknown>
  const runList = Array.isArray(runs) ? (runs as Record<string, unknown>[]) : []
  const settings = (Array.isArray(formats) && formats.length ? formats : [{}]) as Record<string, unknown>[]
  // runs the form cannot show as a bare algorithm (hyperparameters, scope, a label) are kept as they are
  const richRuns = runList.filter((r) => Object.keys(r).some((k) => k !== 'algorithm'))
  return {
    name: str(name ?? 'sweep'),
    experimentText: JSON.stringify(experiment ?? {}, null, 2),
    devices: Array.isArray(devices) ? devices.filter((d): d is string => typeof d === 'string') : [],
    settings: settings.map((f) => Object.fromEntries(SETTING_KEYS.map((k) => [k, str(f[k])])) as unknown as SettingDraft),
    gridWeightBits: list(g.weightBits),
    gridActivationBits: list(g.activationBits),
    algorithms: [...new Set(runList.map((r) => String(r.algorithm)))],
    seeds: list(seeds),
    constraints: constraintsToDraft(constraints as never),
    passthrough: { ...passthrough, ...(richRuns.length && { richRuns }) },
  }
}

export interface DraftSpec {
  spec: Record<string, unknown>
  /** errors found before the spec goes to the engine (the experiment's JSON, bounds in the form's units) */
  local: FieldError[]
}

export function draftToSpec(d: SweepDraft): DraftSpec {
  const local: FieldError[] = [...localConstraintErrors(d.constraints)]
  let experiment: unknown = {}
  try {
    experiment = d.experimentText.trim() ? JSON.parse(d.experimentText) : {}
  } catch (e) {
    local.push({ path: 'experiment', message: `is not valid JSON: ${(e as Error).message}` })
  }
  const { richRuns, ...passthrough } = d.passthrough as { richRuns?: Record<string, unknown>[] }
  const formats = d.settings.map((f) => {
    const out: Record<string, unknown> = {}
    for (const k of SETTING_KEYS) {
      const t = f[k].trim()
      if (t) out[k] = k === 'rounding' ? t : (parseList(t).length === 1 ? parseList(t)[0] : t)
    }
    return out
  })
  const grid: Record<string, unknown> = {}
  if (d.gridWeightBits.trim()) grid.weightBits = parseList(d.gridWeightBits)
  if (d.gridActivationBits.trim()) grid.activationBits = parseList(d.gridActivationBits)
  const runs = d.algorithms.flatMap((a) => {
    const rich = (richRuns ?? []).filter((r) => r.algorithm === a)
    return rich.length ? rich : [{ algorithm: a }]
  })
  const spec: Record<string, unknown> = {
    ...passthrough,
    name: d.name,
    experiment,
    devices: d.devices,
    formats,
    ...(Object.keys(grid).length && { grid }),
    // no algorithm ticked: an empty list, which the schema rejects under `runs`
    runs,
    ...(d.seeds.trim() && { seeds: parseList(d.seeds) }),
    constraints: draftToConstraints(d.constraints),
  }
  return { spec, local }
}

/** Whether `path` is `field` or below it: the schema writes `formats[1].weightBits`, `grid.weightBits[0]`. */
export const isUnder = (path: string, field: string) => path === field || path.startsWith(`${field}.`) || path.startsWith(`${field}[`)

/** The messages for one field: errors at `path` or under it (`formats` claims `formats[1].weightBits`, shown as "[1].weightBits: …"). */
export function errorsAt(errors: readonly FieldError[], path: string, exact = false): string[] {
  return errors.filter((e) => (exact ? e.path === path : isUnder(e.path, path)))
    .map((e) => (e.path === path ? e.message : `${e.path.slice(path.length).replace(/^\./, '')}: ${e.message}`))
}

/** The form's own messages, and the engine's for every other path (the form's say it in the form's units). */
export function preferLocal(local: readonly FieldError[], engine: readonly FieldError[]): FieldError[] {
  const mine = new Set(local.map((e) => e.path))
  return [...local, ...engine.filter((e) => !mine.has(e.path))]
}

export interface FormField { path: string; exact?: boolean }

/** Errors no field claims (shown above the Start button, so none is lost). */
export function unclaimed(errors: readonly FieldError[], fields: readonly FormField[]): FieldError[] {
  return errors.filter((e) => !fields.some((f) => (f.exact ? e.path === f.path : isUnder(e.path, f.path))))
}

/** The form's fields, by the spec path whose errors they show (`grid` itself: the trial-count message only). */
export const FORM_FIELDS: FormField[] = [
  ...['name', 'experiment', 'devices', 'formats', 'grid.weightBits', 'grid.activationBits', 'runs', 'seeds'].map((path) => ({ path })),
  // the constraints editor's own fields (anything else under `constraints` goes to the list above Start)
  ...[...CONSTRAINT_FIELDS.map((f) => f.spec), 'requiredFormats.weightBits', 'requiredFormats.activationBits', 'rankBy', 'mustFit'].map((p) => ({ path: `constraints.${p}` })),
  { path: 'grid', exact: true },
]

export function emptySetting(): SettingDraft {
  return { weightBits: '', activationBits: '', gradientBits: '', accumulatorBits: '', rounding: '' }
}
