/**
 * Recipe of the `kws-espeak` data set: which words, voices, variants, speeds, pitches and SNRs are rendered.
 * Class order follows MLPerf Tiny KWS (github.com/mlcommons/tiny, keyword_spotting/get_dataset.py word_labels).
 * "unknown" words are other Speech Commands v2 words; "silence" is seeded noise only.
 * Source voices serve pretraining; `unseen` voices are the distribution shift for adaptation and test.
 */
export const KWS_RECIPE = {
  seed: 20261207,
  classes: ['down', 'go', 'left', 'no', 'off', 'on', 'right', 'stop', 'up', 'yes', 'silence', 'unknown'],
  unknownWords: ['bed', 'bird', 'cat', 'dog', 'eight', 'five', 'happy', 'house', 'marvin', 'nine', 'sheila', 'tree', 'wow', 'zero'],
  sourceVoices: ['en-us', 'en-gb', 'en-gb-x-rp', 'en-029'],
  unseenVoices: ['en-gb-scotland', 'en-us-nyc'],
  variants: ['m1', 'm3', 'f1', 'f3'],
  speeds: [140, 180], // words per minute (espeak-ng -s)
  pitches: [35, 65], // 0–99 (espeak-ng -p)
  snrDb: [30, 5], // each rendering is stored at each SNR (white noise)
  silenceNoiseRms: 0.01, // full scale = 1; scaled by a seeded factor in [0.25, 1.75)
  subset: { voices: ['en-us', 'en-gb-scotland'], variants: ['m1'], speeds: [160], pitches: [50] },
} as const

export interface KwsClip {
  label: number
  word: string | null
  voice: string
  variant: string
  speed: number
  pitch: number
  snrDb: number | null
  noiseSeed: number
  /** index of the rendering (word × voice × variant × speed × pitch) its SNR copies share */
  rendering: number
}

/** The clips in file order; `subset` renders a small slice (for the determinism test). */
export function kwsClips(subset = false): KwsClip[] {
  const r = KWS_RECIPE
  const voices = subset ? r.subset.voices : [...r.sourceVoices, ...r.unseenVoices]
  const variants = subset ? r.subset.variants : r.variants
  const speeds = subset ? r.subset.speeds : r.speeds
  const pitches = subset ? r.subset.pitches : r.pitches
  const out: KwsClip[] = []
  let unknownIndex = 0
  let rendering = 0
  for (let label = 0; label < r.classes.length; label++) {
    for (const voice of voices) for (const variant of variants) for (const speed of speeds) for (const pitch of pitches) {
      const name = r.classes[label]
      const word = name === 'silence' ? null : name === 'unknown' ? r.unknownWords[unknownIndex++ % r.unknownWords.length] : name
      for (const snrDb of r.snrDb) {
        out.push({ label, word, voice, variant, speed, pitch, snrDb: word === null ? null : snrDb, noiseSeed: (r.seed + out.length * 7919) >>> 0, rendering })
      }
      rendering++
    }
  }
  return out
}
