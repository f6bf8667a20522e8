/**
 * The preset library: every profile in presets/ (one JSON file each, listed in presets/index.ts),
 * parsed once, plus resolving an experiment's profile references (a preset id, or a whole profile).
 */
import { excerpt, type FieldError } from '../../core/schema'
import { PRESET_FILES } from './presets/index'
import { parseProfile } from './parse-profile'
import type { HardwareProfile } from './profile'

let cache: Map<string, HardwareProfile> | undefined

/** All presets by id; a preset that does not validate is a programming error (the tests check them all). */
export function presets(): ReadonlyMap<string, HardwareProfile> {
  if (!cache) {
    cache = new Map()
    for (const raw of PRESET_FILES) {
      const r = parseProfile(raw)
      if (!r.ok) throw new Error(`preset ${(raw as { id?: string }).id ?? '?'} is invalid: ${r.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`)
      if (cache.has(r.profile.id)) throw new Error(`two presets share the id "${r.profile.id}"`)
      cache.set(r.profile.id, r.profile)
    }
  }
  return cache
}

export function getPreset(id: string): HardwareProfile {
  const p = presets().get(id)
  if (!p) throw new RangeError(`unknown hardware profile ${excerpt(id)}; presets: ${[...presets().keys()].join(', ')}`)
  return p
}

/** A preset id or a full profile object → a parsed profile, or errors under `path`. */
export function resolveProfileRef(ref: unknown, path: string): { profile?: HardwareProfile; errors: FieldError[] } {
  if (typeof ref === 'string') {
    const p = presets().get(ref)
    return p ? { profile: p, errors: [] } : { errors: [{ path, message: `unknown hardware profile ${excerpt(ref)} (presets: ${[...presets().keys()].join(', ')})` }] }
  }
  const r = parseProfile(ref)
  return r.ok ? { profile: r.profile, errors: [] } : { errors: r.errors.map((e) => ({ path: e.path ? `${path}.${e.path}` : path, message: e.message })) }
}
