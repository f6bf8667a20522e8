/**
 * Every built-in hardware preset (one JSON file per device in this folder) parses against the profile
 * schema and its cost model's compute schema (parseProfile), has a source for every number, and every
 * source either names a document (datasheet, manual, paper, repository path, URL) or shows its arithmetic
 * ("derived: …"). Also: ids are unique and equal to the file names, and there are at least 12 real devices
 * and 3 generic ones. The MLPerf Tiny calibration list (../calibration/mlperf-tiny.json) only names devices
 * that have a preset.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { validate } from '../../../core/schema'
import { parseProfile } from '../parse-profile'
import { profileSchema } from '../profile'

/** Absolute file-system paths (Unix home/work/tmp roots, macOS /Users, Windows drives, file: URLs). */
const LOCAL_PATH = /(^|[\s(;,])(\/(work|home|tmp|Users|mnt|root)\/|[A-Za-z]:\\|file:\/\/)/
const here = dirname(fileURLToPath(import.meta.url))
const files = readdirSync(here).filter((f) => f.endsWith('.json')).sort()
const presets = files.map((file) => ({ file, raw: JSON.parse(readFileSync(join(here, file), 'utf8')) as Record<string, unknown> }))

/** paths of every number in a JSON value, arrays of numbers as one path (the rule parseProfile applies) */
function numberPaths(v: unknown, path: string, out: string[]): string[] {
  if (typeof v === 'number') out.push(path)
  else if (Array.isArray(v)) {
    if (v.some((x) => typeof x === 'number')) out.push(path)
    else v.forEach((x, i) => numberPaths(x, `${path}[${i}]`, out))
  } else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) numberPaths(x, path ? `${path}.${k}` : k, out)
  return out
}

/** the source that covers a path: the path itself or its nearest ancestor ("memory.sram" covers "memory.sram.sizeKiB") */
function sourceFor(path: string, sources: Record<string, string>): string | undefined {
  for (let p = path; p; p = p.includes('.') ? p.slice(0, p.lastIndexOf('.')) : '') if (typeof sources[p] === 'string') return sources[p]
  return undefined
}

/** a source names a document (URL, repository or file path, datasheet/manual/paper/notes) or shows its derivation */
const NAMES_A_DOCUMENT = /https?:\/\/|[\w-]+\.(?:com|org|io|pdf|md|json|txt|ini|py|h|ts|cfg|html)\b|[\w-]+\/[\w.-]+\/|datasheet|manual|paper|arXiv|doi |ISSCC|research notes|README|Product Specification/i

describe('hardware presets', () => {
  it('there are at least 12 real devices and 3 generic ones', () => {
    const generic = presets.filter((p) => String(p.raw.id).startsWith('generic-'))
    expect(presets.length - generic.length).toBeGreaterThanOrEqual(12)
    expect(generic.length).toBeGreaterThanOrEqual(3)
  })

  it('ids are unique and equal to the file names', () => {
    for (const { file, raw } of presets) expect(`${String(raw.id)}.json`).toBe(file)
    expect(new Set(presets.map((p) => p.raw.id)).size).toBe(presets.length)
  })

  describe.each(presets)('$file', ({ raw }) => {
    it('matches the common profile schema', () => {
      const r = validate(profileSchema, raw)
      expect(r.ok ? [] : r.errors).toEqual([])
    })

    it('parses with its cost model (compute block, companion, memory placement, sourcing rule)', () => {
      const r = parseProfile(raw)
      expect(r.ok ? [] : r.errors).toEqual([])
    })

    it('has a non-empty source for every number', () => {
      const sources = raw.sources as Record<string, string>
      const paths = numberPaths({ ...raw, sources: undefined, schemaVersion: undefined }, '', [])
      const missing = paths.filter((p) => !(sourceFor(p, sources) ?? '').trim())
      expect(missing).toEqual([])
    })

    it('every source names a document, or starts with "derived:" or "fitted:" (fitted to a cited measurement)', () => {
      const bad = Object.entries(raw.sources as Record<string, unknown>).filter(
        ([, s]) => typeof s !== 'string' || s.trim() === '' || !(s.startsWith('derived:') || s.startsWith('fitted:') || NAMES_A_DOCUMENT.test(s)),
      )
      expect(bad).toEqual([])
    })

    it('no source cites a path on a development machine (a reader cannot open it; cite the public document)', () => {
      const local = Object.entries(raw.sources as Record<string, string>).filter(([, s]) => LOCAL_PATH.test(s))
      expect(local).toEqual([])
    })
  })
})

describe('MLPerf Tiny calibration measurements', () => {
  const list = JSON.parse(readFileSync(join(here, '../calibration/mlperf-tiny.json'), 'utf8')) as Array<Record<string, unknown>>
  const ids = new Set(presets.map((p) => p.raw.id))
  const models = ['dscnn-kws', 'mobilenetv1-vww', 'resnet8-cifar10', 'fc-autoencoder-ad']

  it('a preset with fitted constants names the runtime and MLPerf Tiny round, and that round has a measurement on the device', () => {
    for (const { raw } of presets) {
      const fitted = Object.values(raw.sources as Record<string, string>).some((s) => s.startsWith('fitted:'))
      const to = raw.calibratedTo as { runtime: string; round: string } | undefined
      expect({ id: raw.id, named: to !== undefined }).toEqual({ id: raw.id, named: fitted })
      if (to) expect(list.some((m) => m.device === raw.id && m.round === to.round), `${String(raw.id)} ${to.round}`).toBe(true)
    }
  })

  it('the profile schema rejects an unknown round and an empty runtime, naming the field', () => {
    const base = presets.find((p) => p.raw.calibratedTo)!.raw
    const bad = validate(profileSchema, { ...base, calibratedTo: { runtime: '', round: 'v9' } })
    expect(bad.ok).toBe(false)
    const text = bad.ok ? '' : bad.errors.map((e) => `${e.path}: ${e.message}`).join('\n')
    expect(text).toMatch(/calibratedTo\.round/)
    expect(text).toMatch(/calibratedTo\.runtime/)
  })

  it('every preset says what its energy constants rest on; "device-measured" only where the device has MLPerf Tiny energy runs', () => {
    for (const { raw } of presets) {
      const basis = (raw.energy as { basis?: { staticMw: string; macPjByBits: string } }).basis
      expect(basis, String(raw.id)).toBeDefined()
      const measured = list.some((m) => m.device === raw.id && typeof m.energyUj === 'number')
      for (const b of Object.values(basis!)) if (b === 'device-measured') expect(measured, `${String(raw.id)} claims device-measured energy`).toBe(true)
      // a device-measured static power is fitted to those runs, and its source says so
      if (basis!.staticMw === 'device-measured') expect((raw.sources as Record<string, string>)['energy.staticMw']).toMatch(/^fitted: device-measured/)
    }
  })

  it('the profile schema rejects an unknown energy basis, naming the field', () => {
    const base = presets[0].raw
    const bad = validate(profileSchema, { ...base, energy: { ...(base.energy as object), basis: { staticMw: 'vibes', macPjByBits: 'datasheet' } } })
    expect(bad.ok ? [] : bad.errors.map((e) => e.path)).toEqual(['energy.basis.staticMw'])
    const missing = validate(profileSchema, { ...base, energy: { ...(base.energy as object), basis: { staticMw: 'datasheet' } } })
    expect(missing.ok ? [] : missing.errors.map((e) => e.path)).toEqual(['energy.basis.macPjByBits'])
  })

  it('has at least 8 measurements on several device classes', () => {
    expect(list.length).toBeGreaterThanOrEqual(8)
    const classes = new Set(list.map((m) => presets.find((p) => p.raw.id === m.device)?.raw.class))
    expect(classes.size).toBeGreaterThanOrEqual(3)
  })

  it.each(list.map((m, i) => [i, m] as const))('measurement %i names a preset, a model, a latency and a source', (_i, m) => {
    expect(ids.has(m.device as string)).toBe(true)
    expect(models).toContain(m.model)
    expect(typeof m.latencyMs === 'number' && m.latencyMs > 0).toBe(true)
    expect(m.energyUj === null || (typeof m.energyUj === 'number' && m.energyUj > 0)).toBe(true)
    expect(String(m.source)).toMatch(NAMES_A_DOCUMENT)
    expect(String(m.round)).toMatch(/^v\d\.\d$/)
  })
})
