/**
 * Errors about a model description, each tied to the field it concerns (core/schema.ts's FieldError).
 * Validation and shape inference share them so the studio can show every problem next to the JSON it
 * comes from.
 */
import type { FieldError } from '../core/schema'

/** Thrown by the convenience entry points (loadModelSpec, inferShapes); carries every error, not just the first. */
export class ModelSpecError extends Error {
  readonly errors: readonly FieldError[]
  constructor(errors: readonly FieldError[], what = 'invalid model description') {
    super(`${what}:\n${errors.map((e) => `  ${e.path || '(document)'}: ${e.message}`).join('\n')}`)
    this.name = 'ModelSpecError'
    this.errors = errors
  }
}
