// The choices the form offers, made from the catalog (so a new algorithm, corruption or model appears in
// the form without touching it), with the words shown for each.
import type { ExperimentCatalog, ExperimentSpec } from '../../api/bridge'

export interface Option {
  value: string | number
  label: string
  /** tooltip of the option */
  title?: string
}

export const datasetOptions = (c: ExperimentCatalog): Option[] => c.datasets.map((d) => ({ value: d.id, label: d.label }))

/** kws-espeak's target domains (simulators/data/kws.ts KWS_SHIFTS) */
export const kwsShiftOptions: Option[] = [
  { value: 'unseen-voices', label: 'unseen voices, 30 dB SNR' },
  { value: 'unseen-voices-noisy', label: 'unseen voices, 5 dB SNR' },
]

export const corruptionOptions = (c: ExperimentCatalog): Option[] =>
  c.corruptions.map((x) => ({ value: x.id, label: x.id === 'none' ? 'none (clean target)' : x.id.replace(/_/g, ' '), title: x.description }))

export const shapeText = (shape: readonly number[]): string => shape.join('×')

export const modelOptions = (c: ExperimentCatalog): Option[] =>
  c.models.map((m) => ({ value: m.id, label: `${m.id} (${shapeText(m.inputShape)} → ${m.classes})`, title: m.description }))

export const algorithmOptions = (c: ExperimentCatalog): Option[] => c.algorithms.map((a) => ({ value: a.id, label: a.label, title: a.reference }))

// `init` and the scope kinds exist in the engine only as types: these words are the form's own.
export const initOptions: Option[] = [
  { value: 'pretrained', label: 'Pretrained on the clean source domain' },
  { value: 'scratch', label: 'From scratch (random weights)' },
]

export const scopeOptions: Option[] = [
  { value: 'all', label: 'All layers' },
  { value: 'last', label: 'Last N layers' },
  { value: 'biases', label: 'Biases only' },
]

// `satisfies` makes a new mode of the engine a compile error here until it has words
const DEVICE_FORMATS = {
  nearest: 'each device at the nearest formats it runs',
  requested: 'every device at the requested formats',
} satisfies Record<ExperimentSpec['deviceFormats'], string>

export const deviceFormatOptions: Option[] = Object.entries(DEVICE_FORMATS).map(([value, label]) => ({ value, label }))

export const accumulatorOptions = (c: ExperimentCatalog): Option[] => c.formats.accumulatorBits.map((b) => ({ value: b, label: `${b}-bit` }))

export const plainOptions = (values: readonly string[]): Option[] => values.map((v) => ({ value: v, label: v }))

/** "what severity controls" of the chosen corruption, as a hint under the severity field. */
export function severityHint(c: ExperimentCatalog, corruption: unknown): string {
  const x = c.corruptions.find((k) => k.id === corruption)
  if (!x || x.id === 'none') return 'not used without a corruption'
  return `severity 1–5: ${x.severity}`
}
