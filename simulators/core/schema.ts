/**
 * A small declarative validator for JSON data files (experiments, hardware profiles): each schema
 * node checks one value, fills defaults, and reports every problem with the path of its field.
 * Unknown fields are errors, not warnings: a typo in a data file must not be silently ignored.
 */

/** One problem in a data file, tied to its field: `layers[3].kernel[1]`, `input.shape`; '' for the document. */
export interface FieldError {
  path: string
  message: string
}

/** `layers[2]` + `kernel` → `layers[2].kernel`; keys that are not identifiers are quoted: `layers[2]["a b"]`. */
export function fieldPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`
  if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key)) return parent === '' ? key : `${parent}.${key}`
  return `${parent}[${JSON.stringify(key)}]`
}

export interface Ctx {
  errors: FieldError[]
}

/** Checks `v` at `path`; returns the value with defaults filled in (undefined after an error). */
export type Schema<T> = (v: unknown, path: string, ctx: Ctx) => T | undefined

const show = (v: unknown) => (v === undefined ? 'nothing' : JSON.stringify(v) ?? String(v))
const fail = (ctx: Ctx, path: string, message: string): undefined => {
  ctx.errors.push({ path, message })
  return undefined
}

export function num(o: { min?: number; max?: number; integer?: boolean } = {}): Schema<number> {
  return (v, path, ctx) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) return fail(ctx, path, `must be a number, got ${show(v)}`)
    if (o.integer && !Number.isSafeInteger(v)) return fail(ctx, path, `must be an integer, got ${v}`)
    if (o.min !== undefined && v < o.min) return fail(ctx, path, `must be at least ${o.min}, got ${v}`)
    if (o.max !== undefined && v > o.max) return fail(ctx, path, `must be at most ${o.max}, got ${v}`)
    return v
  }
}

export const int = (min?: number, max?: number) => num({ min, max, integer: true })

export function str(o: { nonEmpty?: boolean } = {}): Schema<string> {
  return (v, path, ctx) => {
    if (typeof v !== 'string') return fail(ctx, path, `must be a string, got ${show(v)}`)
    if (o.nonEmpty && v.trim() === '') return fail(ctx, path, 'must not be empty')
    return v
  }
}

export const bool: Schema<boolean> = (v, path, ctx) => (typeof v === 'boolean' ? v : fail(ctx, path, `must be true or false, got ${show(v)}`))

// What a schema node accepts, kept beside the checking function for tools that list a schema's value
// sets (the studio's menus read them through the main process instead of copying them).
const described = new WeakMap<Schema<unknown>, { values?: readonly (string | number)[]; shape?: Shape }>()
function describe<T>(s: Schema<T>, info: { values?: readonly (string | number)[]; shape?: Shape }): Schema<T> {
  described.set(s as Schema<unknown>, info)
  return s
}

export function oneOf<T extends string | number>(values: readonly T[]): Schema<T> {
  return describe<T>((v, path, ctx) => (values.includes(v as T) ? (v as T) : fail(ctx, path, `must be one of ${values.map((x) => JSON.stringify(x)).join(', ')}, got ${show(v)}`)), { values })
}

export function array<T>(item: Schema<T>, o: { min?: number; max?: number } = {}): Schema<T[]> {
  return (v, path, ctx) => {
    if (!Array.isArray(v)) return fail(ctx, path, `must be a list, got ${show(v)}`)
    if (o.min !== undefined && v.length < o.min) return fail(ctx, path, `must have at least ${o.min} entr${o.min === 1 ? 'y' : 'ies'}`)
    if (o.max !== undefined && v.length > o.max) return fail(ctx, path, `must have at most ${o.max} entries`)
    const before = ctx.errors.length
    const out = v.map((x, i) => item(x, fieldPath(path, i), ctx))
    return ctx.errors.length === before ? (out as T[]) : undefined
  }
}

/** A field: its schema, and a default (making it optional) or `optional` (may be absent). */
export interface Field<T> {
  schema: Schema<T>
  default?: T
  optional?: boolean
}

export const req = <T>(schema: Schema<T>): Field<T> => ({ schema })
export const opt = <T>(schema: Schema<T>, dflt?: T): Field<T> => (dflt === undefined ? { schema, optional: true } : { schema, default: dflt })

type Shape = Record<string, Field<unknown>>
type Out<S extends Shape> = { [K in keyof S]: S[K] extends Field<infer T> ? T : never }

export function obj<S extends Shape>(shape: S): Schema<Out<S>> {
  return describe<Out<S>>((v, path, ctx) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail(ctx, path, `must be an object, got ${show(v)}`)
    const rec = v as Record<string, unknown>
    const before = ctx.errors.length
    for (const k of Object.keys(rec)) {
      if (!Object.hasOwn(shape, k)) ctx.errors.push({ path: fieldPath(path, k), message: `unknown field (known: ${Object.keys(shape).join(', ')})` })
    }
    const out: Record<string, unknown> = {}
    for (const [k, f] of Object.entries(shape)) {
      const p = fieldPath(path, k)
      if (rec[k] === undefined) {
        // defaults go through their schema too, so a defaulted object gets its own fields' defaults
        if (f.default !== undefined) out[k] = f.schema(structuredCloneJson(f.default), p, ctx)
        else if (!f.optional) ctx.errors.push({ path: p, message: 'is required' })
        continue
      }
      out[k] = f.schema(rec[k], p, ctx)
    }
    return ctx.errors.length === before ? (out as Out<S>) : undefined
  }, { shape })
}

/**
 * Every field of an object schema whose value is one of a set of strings, by dotted path
 * (`memory.weightsIn` → ['sram', 'flash', 'dram']), through nested objects. Lists and free-form values
 * are not walked.
 */
export function enumFields(schema: Schema<unknown>, prefix = ''): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  const shape = described.get(schema)?.shape
  for (const [k, f] of Object.entries(shape ?? {})) {
    const path = prefix ? `${prefix}.${k}` : k
    const info = described.get(f.schema)
    if (info?.values?.every((x) => typeof x === 'string')) out[path] = [...(info.values as string[])]
    else if (info?.shape) Object.assign(out, enumFields(f.schema, path))
  }
  return out
}

/** Chooses the schema by a discriminating field (e.g. `kind`). */
export function tagged<T>(tag: string, cases: Record<string, Schema<T>>): Schema<T> {
  return (v, path, ctx) => {
    const t = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[tag] : undefined
    const s = typeof t === 'string' ? cases[t] : undefined
    if (!s) return fail(ctx, fieldPath(path, tag), `must be one of ${Object.keys(cases).map((c) => JSON.stringify(c)).join(', ')}, got ${show(t)}`)
    return s(v, path, ctx)
  }
}

/** Accepts anything (validated elsewhere, e.g. hyperparameters against their algorithm). */
export const anyValue: Schema<unknown> = (v) => v

function structuredCloneJson<T>(v: T): T {
  return typeof v === 'object' && v !== null ? (JSON.parse(JSON.stringify(v)) as T) : v
}

/** Runs a schema on raw data: the value, or every error. */
export function validate<T>(schema: Schema<T>, raw: unknown): { ok: true; value: T } | { ok: false; errors: FieldError[] } {
  const ctx: Ctx = { errors: [] }
  const value = schema(raw, '', ctx)
  return ctx.errors.length === 0 && value !== undefined ? { ok: true, value } : { ok: false, errors: ctx.errors }
}
