/**
 * The offline keyword-spotting set `kws-espeak` (built by scripts/kws/, committed under data/kws-espeak/,
 * loaded by the host in workers/data/kws.ts): 49 × 10 MFCC "images" of 12 classes in MLPerf Tiny's order.
 * What the validator needs without loading it, and the distribution shifts of its last-mile task:
 * the source domain is the source voices at 30 dB SNR; the target domain is voices never used for
 * pretraining, clean (30 dB) or noisy (5 dB). Counts follow scripts/kws/recipe.ts (the loader test checks them).
 */
import type { Dataset } from './dataset'

export const KWS_SHAPE: readonly number[] = [49, 10, 1]
export const KWS_CLASSES = 12
/** class names by label, MLPerf Tiny's order (the loader checks the committed file agrees) */
export const KWS_CLASS_NAMES: readonly string[] = ['down', 'go', 'left', 'no', 'off', 'on', 'right', 'stop', 'up', 'yes', 'silence', 'unknown']
export const KWS_SHIFTS = ['unseen-voices', 'unseen-voices-noisy'] as const
export type KwsShift = (typeof KWS_SHIFTS)[number]
/** clips per class in the source domain (4 voices × 4 variants × 2 speeds × 2 pitches at 30 dB) */
export const KWS_SOURCE_PER_CLASS = 64
/** clips per class in either target domain (2 unseen voices × 4 × 2 × 2 at one SNR) */
export const KWS_TARGET_PER_CLASS = 32
export const SOURCE_SNR_DB = 30
export const NOISY_SNR_DB = 5

export interface KwsClipInfo {
  voice: string
  /** null for the silence class (noise only) */
  snrDb: number | null
  /** index of the rendering (word × voice × variant × speed × pitch), shared by its SNR copies */
  rendering: number
}

/** The data set with what each clip was rendered from (the shifts select on it). */
export interface KwsData {
  dataset: Dataset
  clips: KwsClipInfo[]
  sourceVoices: readonly string[]
}

/**
 * Indices of the source and target domains. Silence clips carry no SNR: each rendering has two
 * noise-only copies; the first counts as "30 dB", the second as "5 dB", so silence splits like the words.
 */
export function kwsDomains(data: KwsData, shift: KwsShift): { source: Int32Array; target: Int32Array } {
  const source: number[] = []
  const target: number[] = []
  const seen = new Set<number>()
  const targetSnr = shift === 'unseen-voices' ? SOURCE_SNR_DB : NOISY_SNR_DB
  data.clips.forEach((c, i) => {
    const first = !seen.has(c.rendering)
    seen.add(c.rendering)
    const snr = c.snrDb ?? (first ? SOURCE_SNR_DB : NOISY_SNR_DB)
    const isSource = data.sourceVoices.includes(c.voice)
    if (isSource && snr === SOURCE_SNR_DB) source.push(i)
    else if (!isSource && snr === targetSnr) target.push(i)
  })
  return { source: Int32Array.from(source), target: Int32Array.from(target) }
}
