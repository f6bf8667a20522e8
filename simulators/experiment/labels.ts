/**
 * What a run and its task are called in the store, the charts, error messages and reports. Its own file (types and constants only
 * besides these functions) so that the window can name runs and their task before their first event without loading the
 * runner.
 */
import { KWS_CLASS_NAMES, NOISY_SNR_DB, SOURCE_SNR_DB } from '../data/kws'
import type { DataSpec, ExperimentSpec } from './spec'

/** A run's label: its own, or its algorithm's id, numbered when the algorithm appears more than once. */
export function runLabel(spec: ExperimentSpec, i: number): string {
  const r = spec.runs[i]
  if (!r) return `run ${i + 1}`
  return r.label ?? (spec.runs.filter((x) => x.algorithm === r.algorithm).length > 1 ? `${r.algorithm} #${i + 1}` : r.algorithm)
}

/*
 * Words for an experiment's distribution shift, derived from its spec for every data set, so that no
 * summary (CLI headline, device-selection report, studio dashboard) says "no shift" for a kws-espeak
 * experiment whose shift is its `data.shift`: image sets are shifted by `data.corruption`, kws-espeak by
 * which clips form the target domain (data/kws.ts), and any data set by target classes the source model
 * never saw (`data.classes` outside `data.pretrainClasses`: held-out classes, or a new keyword).
 */

/** kws-espeak's target domains in words (simulators/data/kws.ts kwsDomains). */
const KWS_SHIFT_WORDS: Record<NonNullable<DataSpec['shift']>, string> = {
  'unseen-voices': `unseen voices at ${SOURCE_SNR_DB} dB SNR`,
  'unseen-voices-noisy': `unseen voices at ${NOISY_SNR_DB} dB SNR`,
}

/** Target-task classes absent from pretraining, in increasing order (none when both default to all). */
export function newClasses(d: Pick<DataSpec, 'classes' | 'pretrainClasses'>, classCount: number): number[] {
  if (!d.pretrainClasses) return []
  const seen = new Set(d.pretrainClasses)
  const target = d.classes ?? Array.from({ length: classCount }, (_, c) => c)
  return [...new Set(target)].filter((c) => !seen.has(c)).sort((a, b) => a - b)
}

const CLASS_COUNT: Record<DataSpec['dataset'], number> = { mnist: 10, synthetic: 10, 'kws-espeak': KWS_CLASS_NAMES.length }

/**
 * "unseen voices at 30 dB SNR + new keyword "yes"", "rotate severity 3", "no shift (clean target)",
 * "rotate severity 3 + held-out classes 5, 6".
 */
export function shiftText(d: DataSpec): string {
  const kws = d.dataset === 'kws-espeak'
  const base = kws ? KWS_SHIFT_WORDS[d.shift ?? 'unseen-voices'] : d.corruption === 'none' ? undefined : `${d.corruption} severity ${d.severity}`
  const fresh = newClasses(d, CLASS_COUNT[d.dataset])
  const names = fresh.map((c) => (kws ? `"${KWS_CLASS_NAMES[c] ?? c}"` : String(c)))
  const held = fresh.length === 0 ? undefined : kws ? `new keyword${fresh.length > 1 ? 's' : ''} ${names.join(', ')}` : `held-out class${fresh.length > 1 ? 'es' : ''} ${names.join(', ')}`
  if (!base && !held) return 'no shift (clean target)'
  return [base, held].filter(Boolean).join(' + ')
}

/** What one example of the data set is called in summaries. */
export const exampleNoun = (d: Pick<DataSpec, 'dataset'>): string => (d.dataset === 'kws-espeak' ? 'clips' : 'images')
