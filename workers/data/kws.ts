// The committed keyword-spotting set data/kws-espeak/ (built by scripts/kws/generate.mjs, provenance in
// data/kws-espeak/PROVENANCE.md) as an engine Dataset plus what each clip was rendered from.
//
// features.i8 holds N × 49 × 10 int8 MFCCs (coefficient c of every frame in units of scales[c]). Images are
// (q + 128) / 255 in float32, so the studio's 8-bit input quantization with scale 1/255 gets the stored
// bytes back exactly (offset by 128) and nothing is lost between the file and the integer network.
// The file's SHA-256 must match kws-espeak.json, so the loader reads what the recipe produced.
// Node-only; loaded once per process and cached (treat it as read-only).
import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { makeDataset } from '../../simulators/data/dataset'
import { KWS_CLASSES, KWS_CLASS_NAMES, KWS_SHAPE, type KwsData } from '../../simulators/data/kws'

interface KwsMeta {
  schemaVersion: 1
  shape: [number, number, number]
  classes: string[]
  sourceVoices: string[]
  scales: number[]
  sha256: string
  clips: { label: number; voice: string; snrDb: number | null; rendering: number }[]
}

let cached: KwsData | undefined

/**
 * data/kws-espeak at the repository root. This module sits two folders below it both as source
 * (workers/data/) and in the electron-vite bundle (out/main/); the first candidate that exists wins.
 */
export function kwsDataDir(): string {
  const candidates = ['../../data/kws-espeak', '../../../data/kws-espeak'].map((p) => fileURLToPath(new URL(p, import.meta.url)))
  const dir = candidates.find((d) => existsSync(join(d, 'kws-espeak.json')))
  if (!dir) throw new Error(`kws-espeak: data set not found (looked in ${candidates.join(', ')}); regenerate it with node scripts/kws/generate.mjs`)
  return dir
}

export function loadKws(): KwsData {
  if (cached) return cached
  const dir = kwsDataDir()
  const meta = JSON.parse(readFileSync(join(dir, 'kws-espeak.json'), 'utf8')) as KwsMeta
  const bytes = readFileSync(join(dir, 'features.i8'))
  const sha = createHash('sha256').update(bytes).digest('hex')
  if (sha !== meta.sha256) throw new Error(`kws-espeak: features.i8 has SHA-256 ${sha}, kws-espeak.json records ${meta.sha256}`)
  if (meta.shape.slice(1).join() !== KWS_SHAPE.slice(0, 2).join() || meta.classes.length !== KWS_CLASSES) {
    throw new Error(`kws-espeak: expected ${KWS_CLASSES} classes of ${KWS_SHAPE.join('×')}, file has ${meta.classes.length} of ${meta.shape.join('×')}`)
  }
  if (meta.classes.join() !== KWS_CLASS_NAMES.join()) throw new Error(`kws-espeak: classes ${meta.classes.join(' ')} differ from the engine's ${KWS_CLASS_NAMES.join(' ')}`)
  const n = meta.clips.length
  if (bytes.length !== n * 490) throw new Error(`kws-espeak: features.i8 has ${bytes.length} bytes for ${n} clips of 490`)
  const images = new Float32Array(bytes.length)
  for (let i = 0; i < bytes.length; i++) images[i] = (((bytes[i] << 24) >> 24) + 128) / 255
  const labels = Uint8Array.from(meta.clips, (c) => c.label)
  const dataset = makeDataset('kws-espeak', images, labels, [49, 10, 1], KWS_CLASSES)
  cached = { dataset, clips: meta.clips.map(({ voice, snrDb, rendering }) => ({ voice, snrDb, rendering })), sourceVoices: meta.sourceVoices }
  return cached
}
