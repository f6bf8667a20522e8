// The draft experiment the form edits: a spec whose leaves may be invalid while the user types (an empty
// number field is '' until it is a number again); the main process's checkExperiment says what is wrong.
// These helpers keep its *structure* sound, so the form can always walk it.
import type { ExperimentCatalog, ExperimentSpec, HyperparameterDoc } from '../../api/bridge'

/** Shape of an ExperimentSpec; leaf values are unchecked (see the file comment). */
export type Draft = ExperimentSpec
export type DraftRun = Draft['runs'][number]

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/**
 * A draft restored from storage (or imported) made safe to render: any section that is not an object or
 * list becomes its default, missing fields take their defaults; values are kept as they are, wrong or not,
 * so the checker reports them instead of the form silently repairing them.
 */
export function normalizeDraft(raw: unknown, defaults: ExperimentSpec): Draft {
  const d = structuredClone(defaults)
  if (!isRecord(raw)) return d
  const section = <K extends 'data' | 'pretrain' | 'formats'>(k: K) => (isRecord(raw[k]) ? { ...d[k], ...raw[k] } : d[k]) as Draft[K]
  const runs = Array.isArray(raw.runs) && raw.runs.length > 0 && raw.runs.every(isRecord) ? raw.runs.map(normalizeRun) : d.runs
  return { ...d, ...raw, data: section('data'), pretrain: section('pretrain'), formats: section('formats'), runs, profiles: Array.isArray(raw.profiles) ? raw.profiles : [] } as Draft
}

function normalizeRun(r: Record<string, unknown>): DraftRun {
  return {
    ...r,
    algorithm: typeof r.algorithm === 'string' ? r.algorithm : '',
    scope: isRecord(r.scope) ? r.scope : { kind: 'all' },
    hyperparameters: isRecord(r.hyperparameters) ? r.hyperparameters : {},
  } as DraftRun
}

/** A new run: the first algorithm no run uses yet (comparing is the point), at its defaults. */
export function newRun(runs: readonly DraftRun[], catalog: ExperimentCatalog): DraftRun {
  const used = new Set(runs.map((r) => r.algorithm))
  const alg = catalog.algorithms.find((a) => !used.has(a.id)) ?? catalog.algorithms[0]
  return { algorithm: alg.id, scope: { kind: 'all' }, hyperparameters: {} }
}

/** A copy placed after the original, labelled so the two stay apart in reports. */
export function duplicateRun(run: DraftRun): DraftRun {
  const copy = structuredClone(run)
  copy.label = `${run.label || run.algorithm} (copy)`
  return copy
}

/**
 * Another algorithm for a run: its hyperparameters go back to the new algorithm's defaults (the same name
 * may mean another thing, or not exist, in the other algorithm); label, scope and steps stay.
 */
export function withAlgorithm(run: DraftRun, id: string): DraftRun {
  return { ...run, algorithm: id, hyperparameters: {} }
}

/**
 * A sensible spinner step for a real-valued hyperparameter: the decade of its default (lr 0.05 → 0.01),
 * or of a tenth of its range when the default is 0, at most 1; refined until the minimum is a multiple,
 * because the browser steps from `min` (min 0.01, step 100 would give 100.01, 200.01, …).
 */
export function numberStep(doc: Extract<HyperparameterDoc, { kind: 'number' }>, dflt: unknown): number {
  if (doc.integer) return 1
  const base = typeof dflt === 'number' && dflt > 0 ? dflt : Math.min(1, doc.max / 10)
  let step = 10 ** Math.floor(Math.log10(base))
  const aligned = (s: number) => Math.abs(doc.min / s - Math.round(doc.min / s)) < 1e-9
  for (let i = 0; i < 12 && !aligned(step); i++) step /= 10
  return Number(step.toPrecision(1))
}

/** The value a hyperparameter field shows: the run's own, else the algorithm default. */
export function hyperparameterValue(run: DraftRun, name: string, defaults: Record<string, unknown>): unknown {
  return Object.hasOwn(run.hyperparameters, name) ? run.hyperparameters[name] : defaults[name]
}

/**
 * A run whose last own format was cleared loses its `formats` object, so the spec says "as the
 * experiment" by leaving the field out (as the validator's defaults would), not with an empty object.
 */
export function dropEmptyRunFormats(draft: Draft): void {
  for (const run of draft.runs) if (isRecord(run.formats) && Object.keys(run.formats).length === 0) delete run.formats
}
