/**
 * Parse untrusted JSON into a ModelSpec. Model descriptions come from files a user edits, so every
 * problem is reported with the path of the field it concerns, and all problems are collected in one pass
 * (fixing one error at a time through a file dialog is miserable).
 *
 * Structure is checked first; shape inference (shapes.ts) runs only on a structurally valid description,
 * because shapes computed from malformed layers would produce follow-on errors that hide the real one.
 */
import { checkBounds, excerpt, fieldPath, type FieldError } from '../core/schema'
import { ModelSpecError } from './errors'
import { analyzeShapes, MAX_DIMENSION, MAX_LAYERS } from './shapes'
import { MODEL_SCHEMA_VERSION, type LayerType, type ModelSpec } from './spec'


export type ParseResult = { ok: true; spec: ModelSpec } | { ok: false; errors: FieldError[] }

export const SUPPORTED_SCHEMA_VERSIONS: readonly number[] = [MODEL_SCHEMA_VERSION]

const ACTIVATIONS = ['relu', 'relu6', 'none'] as const
const TASKS = ['classification', 'reconstruction'] as const

type FieldKind = 'posInt' | 'pair' | 'padding' | 'activation' | 'bool' | 'id' | 'shortcut'

/** Per layer type: its fields (besides `type`) and which of them are required. */
const LAYER_FIELDS: Record<LayerType, { fields: Record<string, FieldKind>; required: string[] }> = {
  dense: { fields: { id: 'id', units: 'posInt', activation: 'activation', bias: 'bool' }, required: ['units'] },
  conv2d: {
    fields: { id: 'id', filters: 'posInt', kernel: 'pair', stride: 'pair', padding: 'padding', dilation: 'pair', activation: 'activation', bias: 'bool' },
    required: ['filters', 'kernel'],
  },
  depthwiseConv2d: {
    fields: { id: 'id', kernel: 'pair', multiplier: 'posInt', stride: 'pair', padding: 'padding', dilation: 'pair', activation: 'activation', bias: 'bool' },
    required: ['kernel'],
  },
  maxPool2d: { fields: { id: 'id', kernel: 'pair', stride: 'pair', padding: 'padding' }, required: ['kernel'] },
  avgPool2d: { fields: { id: 'id', kernel: 'pair', stride: 'pair', padding: 'padding' }, required: ['kernel'] },
  globalAvgPool2d: { fields: { id: 'id' }, required: [] },
  flatten: { fields: { id: 'id' }, required: [] },
  relu: { fields: { id: 'id' }, required: [] },
  relu6: { fields: { id: 'id' }, required: [] },
  add: { fields: { id: 'id', from: 'id', shortcut: 'shortcut', activation: 'activation' }, required: ['from'] },
}

export const LAYER_TYPES = Object.keys(LAYER_FIELDS) as LayerType[]

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const isPosInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 1
const isNonNegInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0
const show = (v: unknown): string => (v === undefined ? 'undefined' : excerpt(v))
/** A field of a parsed JSON object: own properties only (`constructor` is not a field of `{}`). */
const own = (o: Record<string, unknown>, k: string): unknown => (Object.hasOwn(o, k) ? o[k] : undefined)

class Checker {
  readonly errors: FieldError[] = []
  /** every id seen so far (main chain and shortcuts), for uniqueness */
  private readonly ids = new Map<string, string>()
  /** ids of top-level layers before the current one: the tensors an add may refer to */
  private readonly earlier = new Set<string>()

  err(path: string, message: string): void { this.errors.push({ path, message }) }

  unknownFields(obj: Record<string, unknown>, allowed: readonly string[], path: string): void {
    for (const k of Object.keys(obj)) if (!allowed.includes(k)) this.err(fieldPath(path, k), 'unknown field')
  }

  /** a size: a positive integer up to MAX_DIMENSION (shapes.ts says why) */
  posInt(v: unknown, path: string): void {
    if (!isPosInt(v)) this.err(path, `must be a positive integer, got ${show(v)}`)
    else if (v > MAX_DIMENSION) this.err(path, `must be at most ${MAX_DIMENSION}, got ${v}`)
  }

  pair(v: unknown, path: string): void {
    if (!Array.isArray(v) || v.length !== 2) { this.err(path, `must be [height, width], two positive integers; got ${show(v)}`); return }
    v.forEach((x, i) => this.posInt(x, fieldPath(path, i)))
  }

  padding(v: unknown, path: string): void {
    if (v === 'same' || v === 'valid') return
    if (!Array.isArray(v) || v.length !== 4) { this.err(path, `must be 'same', 'valid' or [top, left, bottom, right]; got ${show(v)}`); return }
    v.forEach((x, i) => {
      if (!isNonNegInt(x)) this.err(fieldPath(path, i), `must be a non-negative integer, got ${show(x)}`)
      else if (x > MAX_DIMENSION) this.err(fieldPath(path, i), `must be at most ${MAX_DIMENSION}, got ${x}`)
    })
  }

  oneOf(v: unknown, options: readonly string[], path: string): void {
    if (typeof v !== 'string' || !options.includes(v)) this.err(path, `must be one of ${options.map((o) => `'${o}'`).join(', ')}; got ${show(v)}`)
  }

  string(v: unknown, path: string, nonEmpty: boolean): void {
    if (typeof v !== 'string') this.err(path, `must be a string, got ${show(v)}`)
    else if (nonEmpty && v.trim() === '') this.err(path, 'must not be empty')
  }

  layers(v: unknown, path: string, inShortcut: boolean): void {
    if (!Array.isArray(v)) { this.err(path, `must be an array of layers, got ${show(v)}`); return }
    if (v.length === 0 && !inShortcut) this.err(path, 'needs at least one layer')
    if (v.length > MAX_LAYERS) { this.err(path, `must have at most ${MAX_LAYERS} layers, got ${v.length}`); return }
    v.forEach((layer, i) => {
      const lp = fieldPath(path, i)
      const id = this.layer(layer, lp, inShortcut)
      // only main-chain outputs stay addressable; a shortcut's intermediate tensors are private to it
      if (id !== undefined && !inShortcut) this.earlier.add(id)
    })
  }

  /** Checks one layer; returns its id when it has a usable one. */
  private layer(v: unknown, path: string, inShortcut: boolean): string | undefined {
    if (!isObject(v)) { this.err(path, `must be a layer object, got ${show(v)}`); return undefined }
    const type = own(v, 'type')
    // an own key of the table: `type: "constructor"` or `"toString"` is an unknown type, not Object's
    if (typeof type !== 'string' || !Object.hasOwn(LAYER_FIELDS, type)) {
      this.err(fieldPath(path, 'type'), `unknown layer type ${show(type)}; known types: ${LAYER_TYPES.join(', ')}`)
      return undefined
    }
    const { fields, required } = LAYER_FIELDS[type as LayerType]
    this.unknownFields(v, ['type', ...Object.keys(fields)], path)
    for (const r of required) if (own(v, r) === undefined) this.err(fieldPath(path, r), `required for a ${type} layer`)
    if (type === 'add' && inShortcut) this.err(fieldPath(path, 'type'), 'an add cannot be nested inside a shortcut')

    let id: string | undefined
    for (const [name, kind] of Object.entries(fields)) {
      const fv = own(v, name)
      if (fv === undefined) continue
      const fp = fieldPath(path, name)
      switch (kind) {
        case 'posInt': this.posInt(fv, fp); break
        case 'pair': this.pair(fv, fp); break
        case 'padding': this.padding(fv, fp); break
        case 'activation': this.oneOf(fv, ACTIVATIONS, fp); break
        case 'bool': if (typeof fv !== 'boolean') this.err(fp, `must be true or false, got ${show(fv)}`); break
        case 'shortcut': this.layers(fv, fp, true); break
        case 'id':
          this.string(fv, fp, true)
          if (typeof fv !== 'string' || fv.trim() === '') break
          if (name === 'from') {
            if (!this.earlier.has(fv)) this.err(fp, `'${fv}' names no earlier layer (an add may refer to the id of a layer before it in the main sequence)`)
          } else {
            const first = this.ids.get(fv)
            if (first !== undefined) this.err(fp, `duplicate id '${fv}' (first used at ${first})`)
            else { this.ids.set(fv, path); id = fv }
          }
          break
      }
    }
    return id
  }
}

/** Validate untrusted data (parsed JSON) as a model description; never throws. */
export function parseModelSpec(raw: unknown): ParseResult {
  const c = new Checker()
  const tooBig = checkBounds(raw)
  if (tooBig) return { ok: false, errors: [tooBig] }
  if (!isObject(raw)) return { ok: false, errors: [{ path: '', message: `a model description must be an object, got ${show(raw)}` }] }
  c.unknownFields(raw, ['schemaVersion', 'name', 'description', 'source', 'task', 'input', 'layers'], '')

  if (own(raw, 'schemaVersion') === undefined) c.err('schemaVersion', `required; supported versions: ${SUPPORTED_SCHEMA_VERSIONS.join(', ')}`)
  else if (!SUPPORTED_SCHEMA_VERSIONS.includes(own(raw, 'schemaVersion') as number)) {
    c.err('schemaVersion', `unsupported schemaVersion ${show(own(raw, 'schemaVersion'))}; supported versions: ${SUPPORTED_SCHEMA_VERSIONS.join(', ')}`)
  }
  if (own(raw, 'name') === undefined) c.err('name', 'required')
  else c.string(own(raw, 'name'), 'name', true)
  for (const k of ['description', 'source'] as const) if (own(raw, k) !== undefined) c.string(own(raw, k), k, false)
  if (own(raw, 'task') === undefined) c.err('task', `required: ${TASKS.map((t) => `'${t}'`).join(' or ')}`)
  else c.oneOf(own(raw, 'task'), TASKS, 'task')

  const input = own(raw, 'input')
  if (input === undefined) c.err('input', 'required: { "shape": [H, W, C] } or { "shape": [features] }')
  else if (!isObject(input)) c.err('input', `must be an object { "shape": [...] }, got ${show(input)}`)
  else {
    c.unknownFields(input, ['shape'], 'input')
    const shape = own(input, 'shape')
    if (!Array.isArray(shape) || (shape.length !== 1 && shape.length !== 3)) {
      c.err('input.shape', `must be [H, W, C] (an image) or [features] (a vector); got ${show(shape)}`)
    } else shape.forEach((d, i) => c.posInt(d, fieldPath('input.shape', i)))
  }

  if (own(raw, 'layers') === undefined) c.err('layers', 'required')
  else c.layers(own(raw, 'layers'), 'layers', false)

  if (c.errors.length > 0) return { ok: false, errors: c.errors }
  // A deep copy: the caller's object may be mutated later, and undefined-valued keys disappear.
  const spec = JSON.parse(JSON.stringify(raw)) as ModelSpec
  const shapeErrors = analyzeShapes(spec).errors
  return shapeErrors.length > 0 ? { ok: false, errors: shapeErrors } : { ok: true, spec }
}

/** parseModelSpec for trusted call sites: returns the spec or throws a ModelSpecError listing every error. */
export function loadModelSpec(raw: unknown): ModelSpec {
  const r = parseModelSpec(raw)
  if (!r.ok) {
    const n = isObject(raw) ? own(raw, 'name') : undefined
    const name = typeof n === 'string' ? ` '${n.length > 80 ? `${n.slice(0, 79)}…` : n}'` : ''
    throw new ModelSpecError(r.errors, `invalid model description${name}`)
  }
  return r.spec
}

