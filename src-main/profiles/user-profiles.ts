// The one place the user's profile ids become profiles. The engine's validator knows only preset ids and
// whole profiles; the form's check (experiments/catalog.ts) and the start of an experiment
// (runs/service.ts) both pass what the window sent through here first, with the library's resolveRef.
import type { FieldError } from '../../simulators/core/schema'
import { parseExperiment, type ParsedExperiment } from '../../simulators/experiment/validate'
import { UnusableProfileError, type ProfileLibrary } from './library'

export type RefResolver = ProfileLibrary['resolveRef']

/**
 * `raw` with each string in `raw.profiles` resolved: a preset id stays, a user profile id becomes the whole
 * stored document. An id that resolves to nothing stays as it was, for the validator to report at its path
 * (with the list of presets); a user profile whose file is broken is an error here, with its reason.
 */
export function resolveUserProfiles(raw: unknown, resolve: RefResolver): { raw: unknown; errors: FieldError[] } {
  const refs = isRecord(raw) && Array.isArray(raw.profiles) ? (raw.profiles as unknown[]) : undefined
  if (!refs) return { raw, errors: [] }
  const errors: FieldError[] = []
  const profiles = refs.map((ref, i) => {
    if (typeof ref !== 'string') return ref
    try {
      return resolve(ref)
    } catch (e) {
      if (e instanceof UnusableProfileError) errors.push({ path: `profiles[${i}]`, message: e.message })
      return ref
    }
  })
  return { raw: { ...(raw as Record<string, unknown>), profiles }, errors }
}

/** Errors of the resolution first; the validator's errors at the same paths say less and are dropped. */
export function mergeErrors(resolution: FieldError[], validation: FieldError[]): FieldError[] {
  const paths = new Set(resolution.map((e) => e.path))
  return [...resolution, ...validation.filter((e) => !paths.has(e.path))]
}

/** What the window sent, as the engine parses it: user profile ids resolved first (experiments and landscape studies). */
export function parseWithProfiles(raw: unknown, resolve: RefResolver = (ref) => ref): ({ ok: true } & ParsedExperiment) | { ok: false; errors: FieldError[] } {
  const resolved = resolveUserProfiles(raw, resolve)
  const parsed = parseExperiment(resolved.raw)
  if (!parsed.ok || resolved.errors.length) return { ok: false, errors: mergeErrors(resolved.errors, parsed.ok ? [] : parsed.errors) }
  return parsed
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}
