/**
 * Errors about a model description, each tied to the field it concerns. Validation and shape inference
 * share this type so the studio can show every problem next to the JSON it comes from.
 */
export interface FieldError {
  /** where in the description, e.g. `layers[3].kernel[1]`, `input.shape`; '' for the document itself */
  path: string
  message: string
}

/** Thrown by the convenience entry points (loadModelSpec, inferShapes); carries every error, not just the first. */
export class ModelSpecError extends Error {
  readonly errors: readonly FieldError[]
  constructor(errors: readonly FieldError[], what = 'invalid model description') {
    super(`${what}:\n${errors.map((e) => `  ${e.path || '(document)'}: ${e.message}`).join('\n')}`)
    this.name = 'ModelSpecError'
    this.errors = errors
  }
}

/** `layers[2]` + `kernel` → `layers[2].kernel`; keys that are not identifiers are quoted: `layers[2]["a b"]`. */
export function fieldPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`
  if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key)) return parent === '' ? key : `${parent}.${key}`
  return `${parent}[${JSON.stringify(key)}]`
}
