/**
 * Parsing a hardware profile: the common schema (profile.ts), the compute block through its cost
 * model's schema, cross-field rules (weights in a memory the profile has; a companion core when an
 * operation runs on it), and the sourcing rule: every number must have a source.
 */
import { excerpt, validate, type FieldError } from '../../core/schema'
import { profileSchema, type HardwareProfile } from './profile'
import { costModels } from '../compute/registry'
import { checkPhysicalLimits, type LimitWarning } from './physical-limits'

/** `warnings`: values beyond any real part of the profile's class (physical-limits.ts); impossible ones are errors */
export type ParseProfileResult = { ok: true; profile: HardwareProfile; warnings: LimitWarning[] } | { ok: false; errors: FieldError[] }

/** Paths of every number in a JSON value ("memory.sram.sizeKiB", "formats.weightBits[0]" → "formats.weightBits"). */
function numericPaths(v: unknown, path: string, out: string[]): void {
  if (typeof v === 'number') out.push(path)
  else if (Array.isArray(v)) { if (v.some((x) => typeof x === 'number')) out.push(path); else v.forEach((x, i) => numericPaths(x, `${path}[${i}]`, out)) }
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) numericPaths(x, path ? `${path}.${k}` : k, out)
}

function covered(path: string, sources: Record<string, string>): boolean {
  for (let p = path; p; p = p.includes('.') ? p.slice(0, p.lastIndexOf('.')) : '') {
    if (Object.hasOwn(sources, p) && typeof sources[p] === 'string' && sources[p].trim() !== '') return true
    if (!p.includes('.')) break
  }
  return false
}

export function parseProfile(raw: unknown): ParseProfileResult {
  const r = validate(profileSchema, raw)
  if (!r.ok) return r
  const p = r.value as unknown as HardwareProfile
  const errors: FieldError[] = []
  const model = costModels.get(p.costModel)
  if (!model) errors.push({ path: 'costModel', message: `unknown cost model ${excerpt(p.costModel)} (known: ${[...costModels.keys()].join(', ')})` })
  else {
    const c = validate(model.computeSchema, p.compute)
    if (!c.ok) errors.push(...c.errors.map((e) => ({ path: e.path ? `compute.${e.path}` : 'compute', message: e.message })))
    else p.compute = c.value as Record<string, unknown>
  }
  if (p.companion) {
    const cm = costModels.get(p.companion.costModel)
    if (!cm) errors.push({ path: 'companion.costModel', message: `unknown cost model ${excerpt(p.companion.costModel)}` })
    else {
      const c = validate(cm.computeSchema, p.companion.compute)
      if (!c.ok) errors.push(...c.errors.map((e) => ({ path: e.path ? `companion.compute.${e.path}` : 'companion.compute', message: e.message })))
      else p.companion.compute = c.value as Record<string, unknown>
    }
  }
  if (p.memory.weightsIn !== 'sram' && !p.memory[p.memory.weightsIn]) errors.push({ path: 'memory.weightsIn', message: `weights are placed in ${p.memory.weightsIn}, but the profile has no memory.${p.memory.weightsIn}` })
  for (const [op, s] of Object.entries(p.operations)) {
    if (s === 'companion' && !p.companion) errors.push({ path: `operations.${op}`, message: 'runs on the companion core, but the profile has no companion' })
  }
  if (typeof p.sources !== 'object' || p.sources === null || Array.isArray(p.sources)) errors.push({ path: 'sources', message: 'must map field paths to their sources' })
  else {
    const paths: string[] = []
    numericPaths({ ...(raw as Record<string, unknown>), sources: undefined, schemaVersion: undefined }, '', paths)
    for (const path of paths) if (!covered(path, p.sources)) errors.push({ path: `sources["${path}"]`, message: `${path} has no source (a datasheet, manual, paper, or "derived: …" with the arithmetic)` })
  }
  const limits = checkPhysicalLimits(p)
  errors.push(...limits.errors)
  return errors.length ? { ok: false, errors } : { ok: true, profile: p, warnings: limits.warnings }
}
