// What a valid draft will train and where, from the check's plan (simulators/experiment/plan.ts): one row
// per planned run, its devices grouped by the change of formats they needed, so 17 devices read as a few
// lines ("5 devices: 16-bit weights → 8-bit") rather than 17 sentences.
import type { AlgorithmInfo, PlannedDevice, PlannedRun } from '../../api/bridge'
import { changeWords, formatWords, formatsTag, formatsWords } from './formats-text'

export interface ChangeGroup {
  /** the changes these devices share, in words ("16-bit weights → 8-bit"); empty: none */
  changes: string[]
  /** the requested formats these devices lack ("16-bit weights") */
  lacks: string[]
  /** profile ids, in plan order */
  devices: string[]
  /** the engine's sentence per device and change, with the reason ("… Alif … runs 8"), for a tooltip */
  details: string[]
}

export interface PlanRow {
  index: number
  label: string
  steps: number
  /** "W8 A8 G16 acc32 half-away" */
  tag: string
  /** every format in words */
  words: string
  deviceCount: number
  /** the devices that run the requested formats */
  unchanged: string[]
  /** the devices that needed other formats, by change */
  changed: ChangeGroup[]
}

const keyOf = (d: PlannedDevice) => JSON.stringify(d.changes.map((c) => [c.field, c.requested, c.used]))

/** Devices with the same changes (field, requested, used) together, in the order they first appear. */
export function groupChanges(devices: readonly PlannedDevice[]): ChangeGroup[] {
  const groups = new Map<string, ChangeGroup>()
  for (const d of devices) {
    const key = keyOf(d)
    let g = groups.get(key)
    if (!g) groups.set(key, (g = { changes: d.changes.map(changeWords), lacks: d.changes.map((c) => formatWords(c.field, c.requested)), devices: [], details: [] }))
    g.devices.push(d.profile)
    g.details.push(...d.changes.map((c) => c.text))
  }
  return [...groups.values()]
}

const usesGradients = (algorithms: readonly AlgorithmInfo[], id: string) => algorithms.find((a) => a.id === id)?.usesGradientFormat ?? true

export function planRows(plan: readonly PlannedRun[], algorithms: readonly AlgorithmInfo[]): PlanRow[] {
  return plan.map((r) => {
    const groups = groupChanges(r.devices)
    const g = usesGradients(algorithms, r.algorithm)
    return {
      index: r.index,
      label: r.label,
      steps: r.steps,
      tag: formatsTag(r.formats, g),
      words: formatsWords(r.formats, g),
      deviceCount: r.devices.length,
      unchanged: groups.find((x) => x.changes.length === 0)?.devices ?? [],
      changed: groups.filter((x) => x.changes.length > 0),
    }
  })
}

/**
 * With 'requested' formats nothing is changed and a device lacking them is infeasible: which devices those
 * are, per run of the spec, read from the plan the same draft has with 'nearest' (the engine's own choice).
 */
export function lackingBySpecRun(nearestPlan: readonly PlannedRun[]): Map<number, ChangeGroup[]> {
  const out = new Map<number, ChangeGroup[]>()
  for (const r of nearestPlan) {
    const changed = groupChanges(r.devices).filter((g) => g.changes.length > 0)
    if (changed.length) out.set(r.specRun, [...(out.get(r.specRun) ?? []), ...changed])
  }
  return out
}

export const plural = (n: number, one: string, many = `${one}s`): string => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`

/** "5 devices: 16-bit weights → 8-bit" */
export const groupText = (g: ChangeGroup): string => `${plural(g.devices.length, 'device')}: ${g.changes.join(', ')}`

/** "4 trainings on 3 devices": the card's headline. */
export function planHeadline(plan: readonly PlannedRun[]): string {
  const devices = new Set(plan.flatMap((r) => r.devices.map((d) => d.profile))).size
  return `${plural(plan.length, 'training')} ${devices ? `on ${plural(devices, 'device')}` : 'without a device (accuracy only)'}`
}
