// Disk cache of pretrained float weights, keyed by everything they depend on (pretrainKey): the
// source model trains once per configuration. Lives in node_modules/.cache (the usual place for tool
// caches, never committed), or LASTMILE_CACHE.
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { FloatParams } from '../../simulators/training/float-network'

export function cacheDir(): string {
  return process.env.LASTMILE_CACHE ?? resolve(import.meta.dirname, '..', '..', 'node_modules', '.cache', 'lastmile', 'pretrained')
}

function fileFor(key: string): string {
  return join(cacheDir(), `${createHash('sha256').update(key).digest('hex').slice(0, 32)}.json`)
}

export function loadPretrained(key: string): FloatParams | undefined {
  const f = fileFor(key)
  if (!existsSync(f)) return undefined
  try {
    const raw = JSON.parse(readFileSync(f, 'utf8')) as { key: string; w: (number[] | null)[]; b: (number[] | null)[] }
    if (raw.key !== key) return undefined
    return { w: raw.w.map((a) => (a ? Float64Array.from(a) : undefined)), b: raw.b.map((a) => (a ? Float64Array.from(a) : undefined)) }
  } catch {
    return undefined // a damaged cache entry is recomputed, not fatal
  }
}

export function savePretrained(key: string, p: FloatParams): void {
  const f = fileFor(key)
  mkdirSync(cacheDir(), { recursive: true })
  const body = JSON.stringify({ key, w: p.w.map((a) => (a ? Array.from(a) : null)), b: p.b.map((a) => (a ? Array.from(a) : null)) })
  writeFileSync(`${f}.tmp`, body) // JSON numbers round-trip doubles exactly
  renameSync(`${f}.tmp`, f)
}
