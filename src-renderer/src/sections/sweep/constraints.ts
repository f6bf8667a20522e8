// The constraints editor's fields as text, and back. The form shows friendlier units than the spec keeps
// (accuracy in %, time per step in ms, energy per adaptation in mJ), so the conversion lives in one place
// and is tested both ways. An empty field means "no bound"; a field that is not a number is passed on as
// text so the engine's schema rejects it and names the field.
import type { Constraints, FieldError } from '../../api/bridge'

export type RankBy = Constraints['rankBy']

export interface ConstraintsDraft {
  minAccuracyPct: string
  maxMsPerStep: string
  maxUjPerStep: string
  maxSecondsPerAdaptation: string
  maxMjPerAdaptation: string
  mustFit: boolean
  requiredWeightBits: string
  requiredActivationBits: string
  rankBy: RankBy
}

/** spec field -> draft field, and the factor from the draft's unit to the spec's */
export const CONSTRAINT_FIELDS = [
  { spec: 'minAccuracy', draft: 'minAccuracyPct', factor: 1 / 100, label: 'Min. accuracy after adaptation (%)' },
  { spec: 'maxSecondsPerStep', draft: 'maxMsPerStep', factor: 1e-3, label: 'Max. time per step (ms)' },
  { spec: 'maxEnergyUjPerStep', draft: 'maxUjPerStep', factor: 1, label: 'Max. energy per step (µJ)' },
  { spec: 'maxSecondsPerAdaptation', draft: 'maxSecondsPerAdaptation', factor: 1, label: 'Max. time per adaptation (s)' },
  { spec: 'maxEnergyUjPerAdaptation', draft: 'maxMjPerAdaptation', factor: 1e3, label: 'Max. energy per adaptation (mJ)' },
] as const

export const RANK_BY: { id: RankBy; label: string }[] = [
  { id: 'accuracy', label: 'highest accuracy' },
  { id: 'energy', label: 'least energy per adaptation' },
  { id: 'time', label: 'shortest adaptation' },
]

/** Text for a number without binary-float noise (0.7 * 100 -> "70", not "70.00000000000001"). */
const text = (v: number | undefined) => (v === undefined ? '' : String(Number(v.toPrecision(12))))

export function constraintsToDraft(c: Partial<Constraints> | undefined): ConstraintsDraft {
  const d: ConstraintsDraft = {
    minAccuracyPct: '', maxMsPerStep: '', maxUjPerStep: '', maxSecondsPerAdaptation: '', maxMjPerAdaptation: '',
    mustFit: c?.mustFit ?? true,
    requiredWeightBits: text(c?.requiredFormats?.weightBits), requiredActivationBits: text(c?.requiredFormats?.activationBits),
    rankBy: c?.rankBy ?? 'accuracy',
  }
  for (const f of CONSTRAINT_FIELDS) {
    const v = c?.[f.spec]
    d[f.draft] = typeof v === 'number' ? text(v / f.factor) : ''
  }
  return d
}

/** A number if the text is one, else the trimmed text itself (the schema names the field). */
function numberOrText(s: string, factor = 1): number | string {
  const t = s.trim()
  const n = Number(t)
  return t !== '' && Number.isFinite(n) ? Number((n * factor).toPrecision(12)) : t
}

export function draftToConstraints(d: ConstraintsDraft): Record<string, unknown> {
  const out: Record<string, unknown> = { mustFit: d.mustFit, rankBy: d.rankBy }
  for (const f of CONSTRAINT_FIELDS) if (d[f.draft].trim() !== '') out[f.spec] = numberOrText(d[f.draft], f.factor)
  const req: Record<string, unknown> = {}
  if (d.requiredWeightBits.trim()) req.weightBits = numberOrText(d.requiredWeightBits)
  if (d.requiredActivationBits.trim()) req.activationBits = numberOrText(d.requiredActivationBits)
  if (Object.keys(req).length) out.requiredFormats = req
  return out
}

/**
 * Messages in the form's units. The schema checks accuracy as 0..1, so "200" typed as a percentage would
 * come back as "must be at most 1, got 2"; this says it the way it was typed (and takes precedence, see
 * preferLocal in draft.ts).
 */
export function localConstraintErrors(d: ConstraintsDraft): FieldError[] {
  const t = d.minAccuracyPct.trim()
  const n = Number(t)
  return t !== '' && Number.isFinite(n) && (n < 0 || n > 100) ? [{ path: 'constraints.minAccuracy', message: `must be from 0 to 100 %, got ${t} %` }] : []
}
