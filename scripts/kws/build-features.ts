/**
 * Builds the offline keyword-spotting data set `kws-espeak`: Debian's espeak-ng speaks the MLPerf Tiny /
 * Speech Commands v2 keywords with several voices, variants, speeds and pitches; each clip is resampled to
 * 16 kHz, centred in 1 s, mixed with seeded white noise at several SNRs and turned into 49 × 10 MFCCs by
 * simulators/data/mfcc.ts (the MLPerf Tiny front end). Features are stored as int8 with one scale per
 * coefficient. Run: `node scripts/kws/generate.mjs [outDir] [--subset]` (needs `apt-get install espeak-ng`).
 * Everything is deterministic: same espeak-ng build + same seed → byte-identical files.
 */
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { MFCC_CLIP_SAMPLES, MFCC_COEFFICIENTS, MFCC_FRAMES, mfcc } from '../../simulators/data/mfcc'
import { KWS_RECIPE, type KwsClip, kwsClips } from './recipe'

const ESPEAK_RATE = 22050 // espeak-ng --stdout writes 16-bit mono WAV at 22,050 Hz

function speak(clip: KwsClip): Float64Array {
  const wav = execFileSync('espeak-ng', ['-v', `${clip.voice}+${clip.variant}`, '-s', String(clip.speed), '-p', String(clip.pitch), '--stdout', clip.word ?? ''])
  // 44-byte RIFF header; the streamed header's data size is a placeholder, so the file length is used
  const n = (wav.length - 44) >> 1
  const out = new Float64Array(n)
  for (let i = 0; i < n; i++) out[i] = wav.readInt16LE(44 + 2 * i) / 32768
  return out
}

/** 22,050 → 16,000 Hz by linear interpolation (speech energy sits below 4 kHz, the front end's upper mel edge). */
function resample(x: Float64Array): Float64Array {
  const n = Math.floor((x.length * 16000) / ESPEAK_RATE)
  const y = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const t = (i * ESPEAK_RATE) / 16000
    const j = Math.floor(t)
    const f = t - j
    y[i] = x[j] * (1 - f) + (j + 1 < x.length ? x[j + 1] : 0) * f
  }
  return y
}

/** Trim to the span above 1 % of the peak, centre it in 1 s (cut symmetrically if longer). */
function centre(x: Float64Array): Float64Array {
  let peak = 0
  for (const v of x) peak = Math.max(peak, Math.abs(v))
  let a = 0
  let b = x.length - 1
  while (a < b && Math.abs(x[a]) < 0.01 * peak) a++
  while (b > a && Math.abs(x[b]) < 0.01 * peak) b--
  const len = b - a + 1
  const out = new Float64Array(MFCC_CLIP_SAMPLES)
  if (len >= MFCC_CLIP_SAMPLES) {
    const s = a + ((len - MFCC_CLIP_SAMPLES) >> 1)
    out.set(x.subarray(s, s + MFCC_CLIP_SAMPLES))
  } else out.set(x.subarray(a, b + 1), (MFCC_CLIP_SAMPLES - len) >> 1)
  return out
}

/** mulberry32: a small public-domain 32-bit PRNG; only integer ops, so identical in every engine. */
function mulberry32(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Speech + white noise at snrDb (signal power over the clip's voiced span); snrDb null → noise only (silence). */
function mix(speech: Float64Array | null, snrDb: number | null, seed: number): Float64Array {
  const rnd = mulberry32(seed)
  const noise = new Float64Array(MFCC_CLIP_SAMPLES)
  // Irwin–Hall: sum of 12 uniforms − 6 ≈ N(0, 1) without log/sqrt/cos
  for (let i = 0; i < noise.length; i++) {
    let s = -6
    for (let k = 0; k < 12; k++) s += rnd()
    noise[i] = s
  }
  if (!speech) {
    const level = KWS_RECIPE.silenceNoiseRms * (0.25 + 1.5 * rnd())
    return noise.map((v) => v * level)
  }
  let p = 0
  let voiced = 0
  for (const v of speech) if (v !== 0) { p += v * v; voiced++ }
  const signalPower = p / Math.max(1, voiced)
  const noiseRms = snrDb === null ? 0 : Math.sqrt(signalPower / 10 ** (snrDb / 10))
  return speech.map((v, i) => v + noise[i] * noiseRms)
}

export function main(args: string[]): void {

  const subset = args.includes('--subset')
  const outDir = args.find((a) => !a.startsWith('--')) ?? 'data/kws-espeak'
  const clips = kwsClips(subset)
  const features: Float64Array[] = []
  for (const clip of clips) {
    const speech = clip.word === null ? null : centre(resample(speak(clip)))
    features.push(mfcc(mix(speech, clip.snrDb, clip.noiseSeed)))
  }
  // symmetric per-coefficient int8 scale: max |x| over the data set / 127
  const per = MFCC_COEFFICIENTS
  const scales = new Array<number>(per).fill(0)
  for (const f of features) for (let i = 0; i < f.length; i++) scales[i % per] = Math.max(scales[i % per], Math.abs(f[i]) / 127)
  const bytes = new Int8Array(clips.length * MFCC_FRAMES * per)
  features.forEach((f, c) => {
    for (let i = 0; i < f.length; i++) bytes[c * f.length + i] = Math.max(-127, Math.min(127, Math.round(f[i] / scales[i % per])))
  })
  mkdirSync(outDir, { recursive: true })
  writeFileSync(join(outDir, 'features.i8'), bytes)
  const sha256 = createHash('sha256').update(bytes).digest('hex')
  const espeakVersion = execFileSync('espeak-ng', ['--version']).toString().trim()
  const meta = {
    schemaVersion: 1,
    id: 'kws-espeak',
    espeakVersion,
    shape: [clips.length, MFCC_FRAMES, per],
    classes: KWS_RECIPE.classes,
    sourceVoices: KWS_RECIPE.sourceVoices,
    recipe: KWS_RECIPE,
    scales,
    sha256,
    clips: clips.map((c) => ({ label: c.label, word: c.word, voice: c.voice, variant: c.variant, speed: c.speed, pitch: c.pitch, snrDb: c.snrDb, rendering: c.rendering })),
  }
  writeFileSync(join(outDir, 'kws-espeak.json'), JSON.stringify(meta) + '\n')
  console.log(`${clips.length} clips → ${outDir}/features.i8 (${bytes.length} bytes, sha256 ${sha256})`)
}


