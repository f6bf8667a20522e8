// The hardware profile library the Devices section edits: the engine's presets (read-only) plus user
// profiles, one JSON file per profile in a folder the caller passes (the app uses userData/profiles).
// Electron-free, so it is tested under plain Node.
//
//   <dir>/<id>.json   one user profile, exactly as the user saved it (validated before writing)
//
// Decisions:
// - A user profile is stored and returned AS SAVED, not as parseProfile's output. parseProfile fills
//   defaults (e.g. memory.sram.latencyCycles = 0), and its sourcing rule covers only the numbers written
//   in the document: a filled-in default has no source, so re-checking (the editor) or re-parsing (a run)
//   a defaulted profile would fail. The stored document is valid by construction and stays valid.
// - Ids name files, so they are restricted to a file-name-safe pattern, checked before any path is built.
// - Files are replaced atomically (temp file, fsync, rename), as in runs/store.ts: a crash leaves the old
//   or the new profile, never half of one.
// - Hand-edited files that do not parse or validate are skipped by list() and explained by problems(),
//   so one bad file never hides the others.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { writeJsonAtomic } from '../../workers/fs-atomic'
import { presets } from '../../simulators/hardware/profiles/library'
import { parseProfile } from '../../simulators/hardware/profiles/parse-profile'
import { keyFigures } from '../../simulators/hardware/profiles/figures'
import type { FieldError, HardwareProfile, ProfileCheck, ProfileEntry } from '../preload/api'

/**
 * A profile id names its file (`<id>.json`): lower-case, file-name-safe on every OS, and never a name Windows
 * reserves for a device (con, prn, aux, nul, com0–9, lpt0–9, also with an extension: "con.json" opens the console).
 */
export const PROFILE_ID_PATTERN = /^(?!(?:con|prn|aux|nul|com[0-9]|lpt[0-9])(?:\.|$))[a-z0-9][a-z0-9._-]{0,63}$/

export interface ProfileProblem {
  /** the file name inside the library folder */
  file: string
  message: string
}

export interface ProfileLibrary {
  /** presets (in preset order), then user profiles sorted by name */
  list(): ProfileEntry[]
  /** validates without saving: the engine's rules plus a file-name-safe id */
  check(raw: unknown): ProfileCheck
  /** validates and, only if valid, writes <dir>/<id>.json (overwriting that user profile); a preset's id is refused */
  save(raw: unknown): ProfileCheck
  /** deletes a user profile; a preset, a malformed or an unknown id throws */
  remove(id: string): void
  get(id: string): ProfileEntry | undefined
  /**
   * preset id → unchanged; user profile id → the whole profile (a stored experiment is self-contained);
   * object → unchanged. Throws for an unknown id, and an UnusableProfileError for a broken user file.
   */
  resolveRef(ref: string | Record<string, unknown>): string | Record<string, unknown>
  /** user profile files that list() skipped, and why */
  problems(): ProfileProblem[]
}

/** resolveRef's error for a saved user profile whose file no longer parses or validates. */
export class UnusableProfileError extends Error {
  override name = 'UnusableProfileError'
}

const ID_MESSAGE = 'must be 1 to 64 characters: lower-case letters, digits, ".", "_" or "-", starting with a letter or digit, and not a device name Windows reserves (con, prn, aux, nul, com0–9, lpt0–9) (it names the profile file)'

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

export function createProfileLibrary(dir: string): ProfileLibrary {
  // a folder that cannot be made (read-only parent) fails its first write instead, with the reason
  try { mkdirSync(dir, { recursive: true }) } catch { /* see above */ }
  const fileOf = (id: string) => join(dir, `${id}.json`)
  const entry = (profile: HardwareProfile, origin: ProfileEntry['origin']): ProfileEntry => ({ profile, origin, figures: keyFigures(profile) })
  const presetEntry = (profile: HardwareProfile): ProfileEntry => entry(profile, 'preset')

  function check(raw: unknown): ProfileCheck {
    const r = parseProfile(raw)
    const id = isRecord(raw) ? raw.id : undefined
    const idBad = typeof id === 'string' && !PROFILE_ID_PATTERN.test(id)
    // parseProfile already reports a missing, non-string or empty id; don't say it twice
    if (!idBad || (!r.ok && r.errors.some((e) => e.path === 'id'))) return r
    const idError: FieldError = { path: 'id', message: `${ID_MESSAGE}, got ${JSON.stringify(id)}` }
    return { ok: false, errors: [idError, ...(r.ok ? [] : r.errors)] }
  }

  /** A user profile file → its profile, or why it is not listed. */
  function readUserFile(file: string): { profile: HardwareProfile } | { problem: string } {
    let raw: unknown
    try {
      raw = JSON.parse(readFileSync(join(dir, file), 'utf8'))
    } catch (e) {
      return { problem: `not readable JSON: ${e instanceof Error ? e.message : String(e)}` }
    }
    const r = check(raw)
    if (!r.ok) return { problem: `invalid profile: ${r.errors.map((e) => `${e.path || '(document)'}: ${e.message}`).join('; ')}` }
    const id = r.profile.id
    if (file !== `${id}.json`) return { problem: `the file name must be "${id}.json", the profile's id` }
    if (presets().has(id)) return { problem: `"${id}" is a preset's id; a user profile cannot replace a preset` }
    return { profile: raw as HardwareProfile }
  }

  function scan(): { entries: ProfileEntry[]; problems: ProfileProblem[] } {
    const entries: ProfileEntry[] = []
    const problems: ProfileProblem[] = []
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
      const r = readUserFile(file)
      if ('problem' in r) problems.push({ file, message: r.problem })
      else entries.push(entry(r.profile, 'user'))
    }
    entries.sort((a, b) => a.profile.name.localeCompare(b.profile.name) || (a.profile.id < b.profile.id ? -1 : 1))
    return { entries, problems }
  }

  function get(id: string): ProfileEntry | undefined {
    const preset = presets().get(id)
    if (preset) return presetEntry(preset)
    if (!PROFILE_ID_PATTERN.test(id) || !existsSync(fileOf(id))) return undefined
    const r = readUserFile(`${id}.json`)
    return 'profile' in r ? entry(r.profile, 'user') : undefined
  }

  return {
    list: () => [...[...presets().values()].map(presetEntry), ...scan().entries],
    problems: () => scan().problems,
    check,
    get,

    save(raw) {
      const r = check(raw)
      if (!r.ok) return r
      const id = r.profile.id
      if (presets().has(id)) return { ok: false, errors: [{ path: 'id', message: `"${id}" is a preset; duplicate it under a new id` }] }
      // a JSON round trip: what is written is exactly what list() will read back
      const doc = JSON.parse(JSON.stringify(raw)) as HardwareProfile
      writeJsonAtomic(fileOf(id), doc)
      return { ok: true, profile: doc }
    },

    remove(id) {
      if (typeof id !== 'string' || !PROFILE_ID_PATTERN.test(id)) throw new Error(`invalid profile id ${JSON.stringify(id)}: ${ID_MESSAGE}`)
      if (presets().has(id)) throw new Error(`"${id}" is a preset; presets cannot be deleted`)
      // an existing but invalid file may be deleted too: that is how a broken hand edit is cleaned up
      if (!existsSync(fileOf(id))) throw new Error(`there is no user profile "${id}"`)
      rmSync(fileOf(id))
    },

    resolveRef(ref) {
      if (typeof ref !== 'string') return ref
      if (presets().has(ref)) return ref
      if (PROFILE_ID_PATTERN.test(ref) && existsSync(fileOf(ref))) {
        const r = readUserFile(`${ref}.json`)
        if ('problem' in r) throw new UnusableProfileError(`user profile "${ref}" cannot be used: ${r.problem}`)
        return r.profile as unknown as Record<string, unknown>
      }
      throw new Error(`unknown hardware profile "${ref}": neither a preset nor a saved user profile`)
    },
  }
}
