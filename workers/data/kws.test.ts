import { describe, expect, test } from 'vitest'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { createHash } from 'node:crypto'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadKws, kwsDataDir } from './kws'
import { KWS_CLASSES, KWS_SHIFTS, KWS_SOURCE_PER_CLASS, KWS_TARGET_PER_CLASS, kwsDomains } from '../../simulators/data/kws'
import { classCounts, subset } from '../../simulators/data/dataset'
import { kwsClips } from '../../scripts/kws/recipe'

describe('kws-espeak data set as committed', () => {
  test('loader checks the SHA-256 and reads the clips the recipe lists, in its order', () => {
    const kws = loadKws()
    const recipe = kwsClips()
    expect(kws.dataset.count).toBe(recipe.length)
    expect(Array.from(kws.dataset.labels)).toEqual(recipe.map((c) => c.label))
    expect(kws.clips.map((c) => c.voice)).toEqual(recipe.map((c) => c.voice))
    expect(kws.dataset.shape).toEqual([49, 10, 1])
    // images are (int8 + 128)/255: every value times 255 is an integer code
    for (let i = 0; i < kws.dataset.images.length; i += 997) expect(Number.isInteger(Math.round(kws.dataset.images[i] * 255 * 1e4) / 1e4)).toBe(true)
  })

  test('every shift gives the per-class domain sizes the validator assumes, with disjoint voices', () => {
    const kws = loadKws()
    for (const shift of KWS_SHIFTS) {
      const d = kwsDomains(kws, shift)
      expect(classCounts(subset(kws.dataset, d.source))).toEqual(new Array(KWS_CLASSES).fill(KWS_SOURCE_PER_CLASS))
      expect(classCounts(subset(kws.dataset, d.target))).toEqual(new Array(KWS_CLASSES).fill(KWS_TARGET_PER_CLASS))
      const sourceVoices = new Set(Array.from(d.source, (i) => kws.clips[i].voice))
      for (const i of d.target) expect(sourceVoices.has(kws.clips[i].voice)).toBe(false)
    }
  })

  let espeak = true
  try { execFileSync('espeak-ng', ['--version']) } catch { espeak = false }
  test.skipIf(!espeak)('the generator is deterministic: two subset builds are byte-identical (needs espeak-ng)', () => {
    const run = () => {
      const out = mkdtempSync(join(tmpdir(), 'kws-'))
      execFileSync(process.execPath, ['scripts/kws/generate.mjs', out, '--subset'], { stdio: 'ignore' })
      return createHash('sha256').update(readFileSync(join(out, 'features.i8'))).digest('hex')
    }
    expect(run()).toBe(run())
    expect(kwsDataDir()).toMatch(/kws-espeak$/)
  }, 60_000)
  if (!espeak) console.warn('kws determinism test skipped: espeak-ng is not installed (apt-get install espeak-ng)')
})
