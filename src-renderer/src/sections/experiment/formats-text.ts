// Number formats in words, for the run editor's overrides and the plan preview. The engine has its own
// tags (plan.ts), but the window may not import it at run time: these are the form's, in the same style
// ("W8 A8 G16 acc32 half-away"), so a plan label and its formats column read alike.
import type { ExperimentSpec, FormatChange } from '../../api/bridge'

export type Formats = ExperimentSpec['formats']
export type FormatField = keyof Formats

/** Every format field in the order the form shows it; `satisfies` makes a new field a compile error here. */
const FIELDS = {
  weightBits: { tag: (v) => `W${v}`, words: (v) => `${v}-bit weights` },
  activationBits: { tag: (v) => `A${v}`, words: (v) => `${v}-bit activations` },
  gradientBits: { tag: (v) => `G${v}`, words: (v) => `${v}-bit gradients` },
  accumulatorBits: { tag: (v) => `acc${v}`, words: (v) => `${v}-bit accumulators` },
  accumulatorOverflow: { tag: (v) => `${v} overflow`, words: (v) => `accumulators ${v} on overflow` },
  weightGranularity: { tag: (v) => `${v} weights`, words: (v) => `weight scales ${v}` },
  rounding: { tag: (v) => `${v} rounding`, words: (v) => `${v} rounding` },
} satisfies Record<FormatField, { tag: (v: string) => string; words: (v: string) => string }>

export const FORMAT_FIELDS = Object.keys(FIELDS) as FormatField[]

/**
 * "W8 A8 G16 acc32 half-away": what decides whether and how a run runs on a device; gradients only for
 * algorithms that compute them. Overflow and weight scales are in `formatsWords` (the tooltip).
 */
export function formatsTag(f: Formats, usesGradients = true): string {
  return `W${f.weightBits} A${f.activationBits}${usesGradients ? ` G${f.gradientBits}` : ''} acc${f.accumulatorBits} ${f.rounding}`
}

/** Every field in words, for a tooltip. */
export function formatsWords(f: Formats, usesGradients = true): string {
  return FORMAT_FIELDS.filter((k) => usesGradients || k !== 'gradientBits').map((k) => FIELDS[k].words(String(f[k]))).join(', ')
}

/** A run's own formats ("W8, half-even rounding"), only the fields it sets; '' when it sets none. */
export function ownFormatsText(own: Partial<Record<FormatField, unknown>> | undefined): string {
  return FORMAT_FIELDS.filter((k) => own?.[k] !== undefined).map((k) => FIELDS[k].tag(String(own![k]))).join(', ')
}

/**
 * "16-bit weights → 8-bit", "half-even rounding → half-away": a change without the device and its reason
 * (the engine's `text` has both), so devices with the same change can be said once.
 */
/** "16-bit weights", "half-even rounding": one format in words. */
export const formatWords = (field: FormatField, value: unknown): string => FIELDS[field].words(String(value))

export function changeWords(c: Pick<FormatChange, 'field' | 'requested' | 'used'>): string {
  const field = FIELDS[c.field]
  return c.field === 'rounding' ? `${field.words(String(c.requested))} → ${c.used}` : `${field.words(String(c.requested))} → ${c.used}-bit`
}
