// Disk cache of pretrained float weights, keyed by everything they depend on (pretrainKey): the
// source model trains once per configuration. Lives in node_modules/.cache (the usual place for tool
// caches, never committed), or LASTMILE_CACHE.
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { FloatParams } from '../../simulators/training/float/float-network'
import type { GraphNode } from '../../simulators/model/graph'
import { floatParamsFromJson, floatParamsToJson, type FloatParamsJson } from '../../simulators/training/network/params-io'

/** The folder holding package.json above this file: the source tree, or the built app's root (bundles nest). */
function packageRoot(from: string): string {
  for (let d = from; ; d = dirname(d)) {
    if (existsSync(join(d, 'package.json'))) return d
    if (dirname(d) === d) return from
  }
}

export function cacheDir(): string {
  return process.env.LASTMILE_CACHE ?? join(packageRoot(import.meta.dirname), 'node_modules', '.cache', 'lastmile', 'pretrained')
}

function fileFor(key: string): string {
  return join(cacheDir(), `${createHash('sha256').update(key).digest('hex').slice(0, 32)}.json`)
}

export function loadPretrained(key: string, graph: GraphNode[]): FloatParams | undefined {
  const f = fileFor(key)
  if (!existsSync(f)) return undefined
  try {
    const raw = JSON.parse(readFileSync(f, 'utf8')) as FloatParamsJson & { key: string }
    if (raw.key !== key) return undefined
    return floatParamsFromJson(graph, raw)
  } catch {
    return undefined // a damaged cache entry is recomputed, not fatal
  }
}

export function savePretrained(key: string, p: FloatParams): void {
  const f = fileFor(key)
  mkdirSync(cacheDir(), { recursive: true })
  const body = JSON.stringify({ key, ...floatParamsToJson(p) })
  writeFileSync(`${f}.tmp`, body) // JSON numbers round-trip doubles exactly
  renameSync(`${f}.tmp`, f)
}
