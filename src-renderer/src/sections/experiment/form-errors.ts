// Matching validation errors to the fields on screen. A field shows the errors whose path is its own (or,
// for a field standing for a whole list such as the devices, any path below it); whatever no field on
// screen claims goes to the list at the top of the form, so no error is ever silently dropped.
import type { FieldError } from '../../api/bridge'

export interface FieldClaim {
  path: string
  /** also claims errors of fields below the path (`profiles` claims `profiles[2].clockMHz`) */
  below?: boolean
}

export function claims(claim: FieldClaim, errorPath: string): boolean {
  if (errorPath === claim.path) return true
  return !!claim.below && (errorPath.startsWith(`${claim.path}.`) || errorPath.startsWith(`${claim.path}[`))
}

/** The messages of the errors a field claims, each prefixed by the sub-path it concerns when not its own. */
export function messagesFor(errors: readonly FieldError[], claim: FieldClaim): string[] {
  return errors.filter((e) => claims(claim, e.path)).map((e) => (e.path === claim.path ? e.message : `${e.path.slice(claim.path.length).replace(/^\./, '')}: ${e.message}`))
}

export function unclaimed(errors: readonly FieldError[], fields: Iterable<FieldClaim>): FieldError[] {
  const list = [...fields]
  return errors.filter((e) => !list.some((c) => claims(c, e.path)))
}

/** `data.shots: must be at least 1`; an error of the whole document has no path. */
export function describeError(e: FieldError): string {
  return e.path ? `${e.path}: ${e.message}` : e.message
}
