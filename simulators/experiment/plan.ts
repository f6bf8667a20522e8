/**
 * Which trainings an experiment runs, and on which devices each is priced. A training's trajectory
 * depends on its formats, algorithm, hyperparameters, task and seed, never on the device: so each run of
 * the spec trains once per distinct set of formats and that one trace is priced on every device that
 * shares it (bit-identical to training it per device: tested).
 *
 * With `deviceFormats: 'nearest'` (the default) every device is judged at formats it can run: per device,
 * each requested format it lacks becomes the nearest one it has (W16 → W8 on an int8-only NPU,
 * 64 → 32-bit accumulators, half-even → half-away), and the change is said per device. With
 * 'requested' every run trains once at the requested formats and a device lacking them is infeasible,
 * with the reason. A run without devices trains once at the requested formats.
 */
import type { HardwareProfile } from '../hardware/profiles/profile'
import type { NumericFormatsSpec } from '../training/network/formats'
import type { RoundingMode } from '../core/rounding'
import { getAlgorithm } from '../training/algorithms/registry'
import { runLabel } from './labels'
import type { ExperimentSpec } from './spec'

/** The formats a device has that decide whether a run can run there (profile.formats). */
type DeviceFormat = 'weightBits' | 'activationBits' | 'gradientBits' | 'accumulatorBits' | 'rounding'

export interface FormatChange {
  field: DeviceFormat
  requested: number | string
  used: number | string
  /** in words: "16-bit weights → 8-bit: Arm Ethos-U55 runs 8 only" */
  text: string
}

export interface PlannedDevice {
  /** profile id */
  profile: string
  /** what was changed from the requested formats to run on it (empty: it runs them as requested) */
  changes: FormatChange[]
}

export interface PlannedRun {
  /** its index among the experiment's runs: the `run` of every event it sends */
  index: number
  /** the run of the spec it trains (spec.runs[specRun]) */
  specRun: number
  label: string
  algorithm: string
  steps: number
  /** the formats it trains in */
  formats: NumericFormatsSpec
  /** the devices its trace is priced on, in the experiment's profile order */
  devices: PlannedDevice[]
}

// Substitutes only among the modes a run can train at (training/network/formats.ts: not stochastic).
const NEAREST_ROUNDING: Record<RoundingMode, readonly RoundingMode[]> = {
  // a round-to-nearest mode is replaced by the other one first: ties are rare, the rest agrees exactly
  'half-even': ['half-away', 'floor'],
  'half-away': ['half-even', 'floor'],
  // stochastic rounding is unbiased: the nearest unbiased substitute is round-to-nearest
  stochastic: ['half-away', 'half-even', 'floor'],
  floor: ['half-away', 'half-even'],
}

/** The supported width nearest to `bits`; a tie goes to the wider one (more precision, no new overflow). */
function nearestWidth(bits: number, have: readonly number[]): number {
  return [...have].sort((a, b) => Math.abs(a - bits) - Math.abs(b - bits) || b - a)[0]
}

const WHAT: Record<Exclude<DeviceFormat, 'rounding'>, string> = {
  weightBits: 'weights', activationBits: 'activations', gradientBits: 'gradients', accumulatorBits: 'accumulators',
}

/** The formats `p` runs nearest to `requested`, and each change with its reason. */
export function nearestFormats(requested: NumericFormatsSpec, p: HardwareProfile, usesGradients: boolean): { formats: NumericFormatsSpec; changes: FormatChange[] } {
  const formats = { ...requested }
  const changes: FormatChange[] = []
  for (const field of ['weightBits', 'activationBits', 'gradientBits', 'accumulatorBits'] as const) {
    if (field === 'gradientBits' && !usesGradients) continue // the run never computes in it
    const have = p.formats[field]
    const want = requested[field]
    if (have.includes(want)) continue
    const used = nearestWidth(want, have)
    ;(formats as Record<typeof field, number>)[field] = used // a width the profile lists, valid for the field
    changes.push({ field, requested: want, used, text: `${want}-bit ${WHAT[field]} → ${used}-bit: ${p.name} runs ${have.join('/')}` })
  }
  if (!p.formats.rounding.includes(requested.rounding)) {
    const used = NEAREST_ROUNDING[requested.rounding].find((m) => p.formats.rounding.includes(m))
    // a profile that rounds only stochastically has no substitute: the run keeps the requested mode,
    // and pricing says the device lacks it (unsupportedFormats)
    if (used !== undefined) {
      formats.rounding = used
      changes.push({ field: 'rounding', requested: requested.rounding, used, text: `${requested.rounding} rounding → ${used}: ${p.name} rounds ${p.formats.rounding.join(', ')}` })
    }
  }
  return { formats, changes }
}

/** The formats run `i` of the spec asks for: the experiment's, with the run's own overrides. */
export function requestedFormats(spec: ExperimentSpec, i: number): NumericFormatsSpec {
  return { ...spec.formats, ...(spec.runs[i].formats ?? {}) } as NumericFormatsSpec
}

/** "W8 A8 G16 acc32 half-away": the formats a device decides on, for tables. */
export function formatsTag(f: NumericFormatsSpec, usesGradients = true): string {
  return `W${f.weightBits} A${f.activationBits}${usesGradients ? ` G${f.gradientBits}` : ''} acc${f.accumulatorBits} ${f.rounding}`
}

/** Only what differs from `from` ("W8 acc32"), for the label of a run trained at adapted formats. */
function differenceTag(f: NumericFormatsSpec, from: NumericFormatsSpec): string {
  const parts: string[] = []
  if (f.weightBits !== from.weightBits) parts.push(`W${f.weightBits}`)
  if (f.activationBits !== from.activationBits) parts.push(`A${f.activationBits}`)
  if (f.gradientBits !== from.gradientBits) parts.push(`G${f.gradientBits}`)
  if (f.accumulatorBits !== from.accumulatorBits) parts.push(`acc${f.accumulatorBits}`)
  if (f.rounding !== from.rounding) parts.push(f.rounding)
  return parts.join(' ')
}

/** The profiles a planned run is priced on, in its devices' order, from the experiment's parsed profiles. */
export function profilesOf(run: PlannedRun, profiles: readonly HardwareProfile[]): HardwareProfile[] {
  return run.devices.map((d) => {
    const p = profiles.find((x) => x.id === d.profile)
    if (!p) throw new Error(`run ${run.index} (${run.label}) is priced on "${d.profile}", which is not among the experiment's profiles`)
    return p
  })
}

export function planExperiment(spec: ExperimentSpec, profiles: readonly HardwareProfile[]): PlannedRun[] {
  const plan: PlannedRun[] = []
  spec.runs.forEach((run, specRun) => {
    const requested = requestedFormats(spec, specRun)
    const usesGradients = getAlgorithm(run.algorithm).usesGradientFormat
    // one training per distinct formats, in the order devices first need it (the requested formats first)
    const groups = new Map<string, { formats: NumericFormatsSpec; devices: PlannedDevice[] }>()
    const group = (formats: NumericFormatsSpec) => {
      const key = JSON.stringify(formats)
      let g = groups.get(key)
      if (!g) groups.set(key, (g = { formats, devices: [] }))
      return g
    }
    if (profiles.length === 0 || spec.deviceFormats === 'requested') group(requested).devices.push(...profiles.map((p) => ({ profile: p.id, changes: [] })))
    else {
      const fits = profiles.map((p) => ({ p, ...nearestFormats(requested, p, usesGradients) }))
      if (fits.some((f) => f.changes.length === 0)) group(requested)
      for (const f of fits) group(f.changes.length ? f.formats : requested).devices.push({ profile: f.p.id, changes: f.changes })
    }
    const base = runLabel(spec, specRun)
    for (const g of groups.values()) {
      const diff = differenceTag(g.formats, requested)
      plan.push({
        index: plan.length, specRun, algorithm: run.algorithm, steps: run.steps ?? spec.steps, formats: g.formats, devices: g.devices,
        label: diff ? `${base} · ${diff}` : base,
      })
    }
  })
  return plan
}
