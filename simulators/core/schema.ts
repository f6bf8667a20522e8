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

/** Longest key quoted whole in a path; a longer (necessarily unknown) key is cut, so a path stays short. */
const MAX_KEY_IN_PATH = 64

/** A key as written in a path, cut to MAX_KEY_IN_PATH characters. */
export const cutKey = (key: string): string => (key.length > MAX_KEY_IN_PATH ? `${key.slice(0, MAX_KEY_IN_PATH)}…` : key)

/** `layers[2]` + `kernel` → `layers[2].kernel`; keys that are not identifiers are quoted: `layers[2]["a b"]`. */
export function fieldPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`
  key = cutKey(key)
  if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key)) return parent === '' ? key : `${parent}.${key}`
  return `${parent}[${JSON.stringify(key)}]`
}

/**
 * Bounds on any data file, checked before the schema looks at it. The files are small (the largest
 * preset profile or model description is a few hundred values, nested at most 8 deep: a residual's
 * shortcut layer's kernel in an experiment's inline model in a sweep), so these bounds are far above
 * any real file, and they keep every later check, which may recurse, well inside the stack and in
 * bounded time: a JSON text nested 2,500 deep would otherwise overflow the stack of a recursive check.
 */
export const MAX_DEPTH = 64
/** values (numbers, strings, objects, lists, …) in one file */
export const MAX_VALUES = 1_000_000

/**
 * The first place where `root` nests deeper than `maxDepth` or holds more than `maxValues` values, as a
 * field error; checked iteratively (an explicit stack, no recursion), so any depth is safe to check.
 */
export function checkBounds(root: unknown, maxDepth = MAX_DEPTH, maxValues = MAX_VALUES): FieldError | undefined {
  interface Frame { node: Record<string | number, unknown>; keys: readonly string[] | undefined; length: number; i: number; key: string | number }
  const stack: Frame[] = []
  const pathTo = (key: string | number | undefined): string => {
    let p = ''
    for (let i = 1; i < stack.length; i++) p = fieldPath(p, stack[i].key)
    return key === undefined ? p : fieldPath(p, key)
  }
  let values = 0
  let next: { v: unknown; key: string | number } | undefined = { v: root, key: '' }
  for (;;) {
    if (next) {
      const { v, key } = next
      next = undefined
      if (++values > maxValues) return { path: pathTo(stack.length ? key : undefined), message: `the file holds more than ${maxValues.toLocaleString('en-US')} values` }
      if (typeof v === 'object' && v !== null) {
        if (stack.length >= maxDepth) return { path: pathTo(key), message: `nests more than ${maxDepth} levels deep` }
        const keys = Array.isArray(v) ? undefined : Object.keys(v)
        stack.push({ node: v as Record<string | number, unknown>, keys, length: keys ? keys.length : (v as unknown[]).length, i: 0, key })
      }
    }
    const top = stack.at(-1)
    if (top === undefined) return undefined
    if (top.i >= top.length) { stack.pop(); continue }
    const k = top.keys ? top.keys[top.i] : top.i
    top.i++
    next = { v: top.node[k], key: k }
  }
}

/** Longest excerpt of a value quoted in a message. */
export const MAX_EXCERPT = 80

/**
 * A value as JSON, cut to `max` characters: what a message quotes. Serialises only as much as it shows
 * (each nesting level costs at least one character, so the recursion is at most `max` deep), never the
 * whole value, which may be a list of a million entries.
 */
export function excerpt(v: unknown, max = MAX_EXCERPT): string {
  const s = partialJson(v, max + 1)
  return s.length > max ? `${s.slice(0, max - 1)}…` : s
}

function partialJson(v: unknown, budget: number): string {
  if (budget <= 0) return ''
  switch (typeof v) {
    case 'string': return JSON.stringify(v.length > budget ? v.slice(0, budget) : v)
    case 'number': return Object.is(v, -0) ? '-0' : String(v)
    case 'boolean': return String(v)
    case 'undefined': return 'undefined'
    case 'bigint': return `${v}n`
    case 'object': {
      if (v === null) return 'null'
      const isList = Array.isArray(v)
      let out = isList ? '[' : '{'
      const keys = isList ? undefined : Object.keys(v)
      const n = keys ? keys.length : (v as unknown[]).length
      for (let i = 0; i < n && out.length < budget; i++) {
        if (i > 0) out += ','
        if (keys) out += `${JSON.stringify(keys[i].slice(0, budget))}:`
        out += partialJson(keys ? (v as Record<string, unknown>)[keys[i]] : (v as unknown[])[i], budget - out.length)
      }
      return out + (isList ? ']' : '}')
    }
    default: return String(typeof v)
  }
}

export interface Ctx {
  errors: FieldError[]
}

/**
 * Errors listed for one file at most: a list of 100,000 wrong entries is reported by its first ones (and
 * a note that there are more), not by 100,000 messages, which took a second to write.
 */
export const MAX_ERRORS = 100
const full = (ctx: Ctx): boolean => ctx.errors.length >= MAX_ERRORS

/** Checks `v` at `path`; returns the value with defaults filled in (undefined after an error). */
export type Schema<T> = (v: unknown, path: string, ctx: Ctx) => T | undefined

const show = (v: unknown) => (v === undefined ? 'nothing' : excerpt(v))
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
    const out: (T | undefined)[] = []
    for (let i = 0; i < v.length; i++) {
      if (full(ctx)) break
      out.push(item(v[i], fieldPath(path, i), ctx))
    }
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
      if (full(ctx)) break
      if (!Object.hasOwn(shape, k)) ctx.errors.push({ path: fieldPath(path, k), message: `unknown field (known: ${Object.keys(shape).join(', ')})` })
    }
    const out: Record<string, unknown> = {}
    for (const [k, f] of Object.entries(shape)) {
      const p = fieldPath(path, k)
      // own properties only: an inherited member (e.g. from a prototype) is not a field of the file
      const given = Object.hasOwn(rec, k) ? rec[k] : undefined
      if (given === undefined) {
        // defaults go through their schema too, so a defaulted object gets its own fields' defaults
        if (f.default !== undefined) out[k] = f.schema(structuredCloneJson(f.default), p, ctx)
        else if (!f.optional) ctx.errors.push({ path: p, message: 'is required' })
        continue
      }
      out[k] = f.schema(given, p, ctx)
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
    const t = typeof v === 'object' && v !== null && Object.hasOwn(v, tag) ? (v as Record<string, unknown>)[tag] : undefined
    // own cases only: `kind: "constructor"` must not find Object.prototype.constructor
    const s = typeof t === 'string' && Object.hasOwn(cases, t) ? cases[t] : undefined
    if (!s) return fail(ctx, fieldPath(path, tag), `must be one of ${Object.keys(cases).map((c) => JSON.stringify(c)).join(', ')}, got ${show(t)}`)
    return s(v, path, ctx)
  }
}

/** Accepts anything (validated elsewhere, e.g. hyperparameters against their algorithm). */
export const anyValue: Schema<unknown> = (v) => v

function structuredCloneJson<T>(v: T): T {
  return typeof v === 'object' && v !== null ? (JSON.parse(JSON.stringify(v)) as T) : v
}

/** Runs a schema on raw data: the value, or every error. The bounds (checkBounds) come first. */
export function validate<T>(schema: Schema<T>, raw: unknown): { ok: true; value: T } | { ok: false; errors: FieldError[] } {
  const tooBig = checkBounds(raw)
  if (tooBig) return { ok: false, errors: [tooBig] }
  const ctx: Ctx = { errors: [] }
  const value = schema(raw, '', ctx)
  if (full(ctx)) ctx.errors.push({ path: '', message: `the first ${MAX_ERRORS} errors are listed; there may be more` })
  return ctx.errors.length === 0 && value !== undefined ? { ok: true, value } : { ok: false, errors: ctx.errors }
}
