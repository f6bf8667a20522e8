// Pure helpers of the Devices section (no Vue, no DOM): a profile flattened into form fields, the key
// figures of the library table, parsing what the user typed, and matching the main process's validation
// errors to fields. Validation itself stays in the main process (api().checkProfile): one source of truth.
import type { FieldError, HardwareProfile, ProfileCatalog } from '../../api/bridge'

/** 'auto': a text field where the schema has no free text (e.g. an imported "big" where a number belongs): typing a number stores a number */
export type FieldKind = 'number' | 'text' | 'auto' | 'textarea' | 'enum' | 'numberList' | 'stringList' | 'json'

export interface FieldDef {
  /** dotted path as the engine reports errors ("memory.sram.sizeKiB", "energy.macPjByBits.8", `sources["clockMHz"]`) */
  path: string
  /** the keys from the profile's root (setting a value never re-parses `path`) */
  keys: string[]
  section: string
  /** the path inside the section, without the field's own key ("sram" for memory.sram.sizeKiB) */
  group: string
  label: string
  kind: FieldKind
  /** for 'enum' */
  options?: string[]
}

export const SECTIONS = ['General', 'Formats', 'Compute', 'Memory', 'Operations', 'Companion', 'Energy', 'Sources', 'Other'] as const
export type Section = (typeof SECTIONS)[number]

const SECTION_OF: Record<string, Section> = {
  schemaVersion: 'General', id: 'General', name: 'General', class: 'General', costModel: 'General', description: 'General', clockMHz: 'General',
  formats: 'Formats', compute: 'Compute', memory: 'Memory', operations: 'Operations', companion: 'Companion', energy: 'Energy', sources: 'Sources',
}

/**
 * The value set of the field at `path` in `doc`, from the engine's schemas (api().getProfileCatalog()):
 * the profile's own fields, and a compute block's by the cost model that block belongs to.
 */
export function enumOptions(catalog: ProfileCatalog, doc: Record<string, unknown>, path: string): string[] | undefined {
  if (catalog.fields[path]) return catalog.fields[path]
  const companion = isRecord(doc.companion) ? doc.companion : undefined
  const [block, model] = path.startsWith('compute.') ? ['compute.', doc.costModel] : path.startsWith('companion.compute.') ? ['companion.compute.', companion?.costModel] : []
  if (!block || typeof model !== 'string') return undefined
  return catalog.compute[model]?.[path.slice(block.length)]
}
/** The schema's free-text fields; any other string in a profile stands where a number or enum value belongs. */
const TEXT_PATHS = new Set(['id', 'name', 'costModel', 'description', 'companion.costModel'])
/** Lists whose element type must be known even when a draft empties them. */
const STRING_LISTS = new Set(['formats.rounding'])

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

function kindOf(path: string, v: unknown, options: string[] | undefined): FieldKind | undefined {
  if (options && (typeof v === 'string' || v === null)) return 'enum'
  // null: what an emptied number input leaves behind (the check then says "must be a number")
  if (typeof v === 'number' || v === null) return 'number'
  if (typeof v === 'string') return path === 'description' ? 'textarea' : TEXT_PATHS.has(path) ? 'text' : 'auto'
  if (Array.isArray(v)) {
    if (v.length === 0) return STRING_LISTS.has(path) ? 'stringList' : 'numberList'
    if (v.every((x) => typeof x === 'number')) return 'numberList'
    // comma-separated text cannot hold an item that contains a comma: such a list is edited as JSON
    if (v.every((x) => typeof x === 'string' && !x.includes(','))) return 'stringList'
  }
  if (isRecord(v) && Object.keys(v).length > 0) return undefined // recurse into it
  return 'json'
}

/**
 * The profile's fields in document order, nested objects flattened; sources become one text field per
 * key. Enum fields (menus) are those the catalog has a value set for.
 */
export function flattenProfile(doc: Record<string, unknown>, catalog: ProfileCatalog): FieldDef[] {
  const out: FieldDef[] = []
  const walk = (v: unknown, keys: string[]) => {
    const path = keys.join('.')
    const options = enumOptions(catalog, doc, path)
    const kind = kindOf(path, v, options)
    if (kind === undefined) {
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) walk(x, [...keys, k])
      return
    }
    const section = SECTION_OF[keys[0]] ?? 'Other'
    const group = section === 'General' || section === 'Other' ? keys.slice(0, -1).join('.') : keys.slice(1, -1).join('.')
    out.push({ path, keys, section, group, label: keys[keys.length - 1], kind, ...(kind === 'enum' && { options }) })
  }
  for (const [k, v] of Object.entries(doc)) {
    if (k === 'schemaVersion') continue // fixed at 1; shown in the header, editable in the JSON view
    if (k === 'sources' && isRecord(v)) {
      // the engine reports source errors as sources["<path>"], and the keys themselves contain dots
      for (const [key, text] of Object.entries(v)) {
        out.push({ path: `sources[${JSON.stringify(key)}]`, keys: ['sources', key], section: 'Sources', group: '', label: key, kind: typeof text === 'string' ? 'textarea' : 'json' })
      }
      continue
    }
    walk(v, [k])
  }
  return out
}

export function getAt(doc: unknown, keys: readonly string[]): unknown {
  let v = doc
  for (const k of keys) v = isRecord(v) ? v[k] : undefined
  return v
}

/** Sets a value in place, creating missing objects on the way. */
export function setAt(doc: Record<string, unknown>, keys: readonly string[], value: unknown): void {
  let o = doc
  for (const k of keys.slice(0, -1)) {
    if (!isRecord(o[k])) o[k] = {}
    o = o[k] as Record<string, unknown>
  }
  o[keys[keys.length - 1]] = value
}

/** The source covering a field: its own key or the nearest parent's (the engine's rule, parse-profile.ts). */
export function sourceFor(path: string, sources: unknown): string | undefined {
  if (!isRecord(sources)) return undefined
  for (let p = path; p; p = p.includes('.') ? p.slice(0, p.lastIndexOf('.')) : '') {
    const s = sources[p]
    if (typeof s === 'string' && s.trim() !== '') return s
  }
  return undefined
}

/** What an input shows for a value. */
export function formatFieldValue(kind: FieldKind, v: unknown): string {
  if (v === undefined || v === null) return ''
  switch (kind) {
    case 'numberList':
    case 'stringList':
      return Array.isArray(v) ? v.map(String).join(', ') : typeof v === 'string' ? v : JSON.stringify(v)
    case 'json':
      return JSON.stringify(v)
    default:
      return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : JSON.stringify(v)
  }
}

export type ParsedInput = { ok: true; value: unknown } | { ok: false; message: string }

/**
 * What the user typed → the value for the draft. Text that is not a number is kept as text rather than
 * refused here, so the main process's check reports it with its usual message at the field's path; only
 * JSON that does not parse fails locally (there is no value to send).
 */
export function parseFieldInput(kind: FieldKind, text: string): ParsedInput {
  const t = text.trim()
  const asNumber = (s: string): unknown => (s !== '' && Number.isFinite(Number(s)) ? Number(s) : s)
  switch (kind) {
    case 'number':
    case 'auto':
      return { ok: true, value: t === '' ? null : asNumber(t) }
    case 'numberList':
      return { ok: true, value: t === '' ? [] : t.split(',').map((s) => s.trim()).filter((s) => s !== '').map(asNumber) }
    case 'stringList':
      return { ok: true, value: t === '' ? [] : t.split(',').map((s) => s.trim()).filter((s) => s !== '') }
    case 'json':
      try {
        return { ok: true, value: JSON.parse(t) }
      } catch (e) {
        return { ok: false, message: `not valid JSON: ${e instanceof Error ? e.message : String(e)}` }
      }
    default:
      return { ok: true, value: text }
  }
}

export interface ErrorAssignment {
  /** messages by field path */
  byField: Map<string, string[]>
  /** errors no field shows (a missing required field, a whole block of the wrong type, …) */
  unmatched: FieldError[]
  /** fields whose number lacks a source (the engine's sources["<path>"] error), to offer "add source" */
  missingSource: Set<string>
  /** error path → the field that shows it */
  fieldOf: Map<string, string>
}

/**
 * Puts each error next to its field: the exact path, else a list's field for an element error
 * ("formats.weightBits[1]" → "formats.weightBits"), else for a missing source the number it is about.
 */
export function assignErrors(errors: readonly FieldError[], fieldPaths: ReadonlySet<string>): ErrorAssignment {
  const byField = new Map<string, string[]>()
  const unmatched: FieldError[] = []
  const missingSource = new Set<string>()
  const fieldOf = new Map<string, string>()
  const add = (e: FieldError, field: string, message = e.message) => {
    byField.set(field, [...(byField.get(field) ?? []), message])
    fieldOf.set(e.path, field)
  }
  for (const e of errors) {
    const listPath = e.path.replace(/(\[\d+\])+$/, '')
    const sourceOf = /^sources\["(.*)"\]$/.exec(e.path)?.[1]
    if (fieldPaths.has(e.path)) add(e, e.path)
    else if (fieldPaths.has(listPath)) add(e, listPath)
    else if (sourceOf !== undefined && fieldPaths.has(sourceOf)) {
      add(e, sourceOf, 'has no source: add one (a datasheet, manual, paper, or "derived: …")')
      missingSource.add(sourceOf)
    } else unmatched.push(e)
  }
  return { byField, unmatched, missingSource, fieldOf }
}

// ---- key figures (the library table: ProfileEntry.figures, computed by the engine) ---------------------

/** A number for a table cell: thousands separated, at most 3 significant decimals; "—" when absent. */
export function formatFigure(v: number | undefined): string {
  if (v === undefined) return '—'
  return v.toLocaleString('en-US', { maximumFractionDigits: Math.abs(v) >= 100 ? 0 : 3 })
}

/** A memory size for a KiB column: KiB up to 99,999, then MiB or GiB with the unit (gigabytes of DRAM do not fit a column). */
export function formatKiB(v: number | undefined): string {
  if (v === undefined) return '—'
  if (v < 100_000) return formatFigure(v)
  return v >= 1024 * 1024 ? `${formatFigure(v / (1024 * 1024))} GiB` : `${formatFigure(v / 1024)} MiB`
}

/** What an energy constant rests on, for a table cell ("generic-process-node" → "generic process node"); "unstated" when the profile does not say. */
export function formatBasis(b: string | undefined): string {
  return b ? b.replace(/-/g, ' ') : 'unstated'
}

/** Case-insensitive match on name, id, class and cost model. */
export function matchesFilter(p: HardwareProfile, filter: string): boolean {
  const q = filter.trim().toLowerCase()
  if (!q) return true
  return [p.name, p.id, p.class, p.costModel].some((s) => typeof s === 'string' && s.toLowerCase().includes(q))
}

/** The draft a "Duplicate" starts: a deep copy under `<id>-copy` / `<name> (copy)`. */
export function duplicateOf(p: HardwareProfile): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(p)) as Record<string, unknown>
  copy.id = `${p.id}-copy`
  copy.name = `${p.name} (copy)`
  return copy
}
