// What the dashboard's header, ranked table and callouts show, derived from ExperimentData (pure, tested).
// Finished runs take the summary's numbers; running ones the running sums of the step columns, so a row
// reads the same before and after the run ends.
import type { Blocker, ExperimentStatus, FormatChange, RunStatus, RunSummary } from '../../api/bridge'
import type { ExperimentData, RunData } from '../../model/experiment-data'
import { pct, shortDeviceNames } from '../../charts/format'
import { exampleNoun, shiftText } from '../../../../simulators/experiment/labels'

type Learning = RunSummary['learning']

export interface RunProgress {
  run: number
  label: string
  status: RunStatus
  done: number
  total: number
  error?: string
  /** host wall time so far and left at this pace (s); undefined before the first step */
  elapsed?: number
  left?: number
  /** how many devices its trace is priced on */
  devices: number
}

export interface HeaderView {
  name: string
  status: ExperimentStatus
  /** a short sentence about the stage (pretraining progress, cached weights, training, ended) */
  stage: string
  /** the task in one line, its shift derived from the spec: "kws-espeak · dscnn-kws · unseen voices at 30 dB SNR · 8 shots per class" */
  task: string
  runs: RunProgress[]
}

/** The dashboard's headline of the task (the same words as the CLI summary and the device-selection report). */
export function taskText(d: ExperimentData): string {
  const s = d.spec
  const model = typeof s.model === 'string' ? s.model : s.model.name
  return `${s.data.dataset} · ${model} · ${shiftText(s.data)} · ${s.data.shots} shots per class`
}

/** What a training learned and how far it got: the same on every device it is priced on. */
export interface TrainingFigures {
  run: number
  label: string
  status: RunStatus
  zeroShot?: number
  latest?: number
  /** `latest` is the final evaluation (the run finished) */
  final: boolean
  best?: number
  /** final minus zero-shot, and whether that is more than the test set's spread (finished runs only) */
  gain?: number
  learning?: Learning['verdict']
  /** the run's arithmetic warnings (saturation, clipping), finished runs only */
  warnings: string[]
  stepsDone: number
  totalSteps: number
}

/** One (training × device) the plan prices: the unit a device decision is made on. */
export interface EntryRow extends TrainingFigures {
  key: string
  profileId: string
  /** short name for the cell; the full one in `deviceFull` (tooltip) */
  device: string
  deviceFull: string
  deviceClass: string
  /** what was changed from the requested formats to run on this device (empty: as requested) */
  changes: FormatChange[]
  /** undefined until the engine has judged it */
  feasible?: boolean
  blockers: Blocker[]
  sramNeeded?: number
  sramHas: number
  secondsTotal?: number
  secondsPerStep?: number
  energyTotalUj?: number
  energyPerStepUj?: number
}

/** One row per training: accuracy and what it cost the host. */
export interface RunRow extends TrainingFigures {
  peakBytes?: number
  wallStepsPerSecond?: number
}

/** The (training × device) pairs that cannot run, grouped by why (memory, formats, operations). */
export interface BlockerGroup {
  kind: Blocker['kind']
  title: string
  items: { run: number; label: string; profileId: string; device: string; texts: string[] }[]
}

export function stageText(d: ExperimentData): string {
  const p = d.pretrain
  if (d.stage === 'queued') return 'Queued: waiting for a free worker (starts when an earlier experiment ends)'
  if (d.stage === 'preparing' || (!d.stage && d.runs.every((x) => x.status === 'queued') && d.meta.status === 'running')) {
    if (p?.cached) return 'Preparing: using cached pretrained weights'
    if (p?.progress) return `Pretraining the source model: epoch ${p.progress.epoch}, loss ${p.progress.loss.toFixed(3)}, accuracy ${pct(p.progress.accuracy)}`
    return 'Preparing the task'
  }
  const source = p?.sourceAccuracy !== undefined ? ` · source model ${pct(p.cleanTestAccuracy ?? p.sourceAccuracy)} on clean test ${exampleNoun(d.spec.data)}${p.cached ? ' (cached pretrained weights)' : ''}` : p?.cached ? ' · cached pretrained weights' : ''
  if (d.stage === 'ended' || d.meta.status !== 'running') return `Ended${source}`
  const running = d.runs.filter((x) => x.status === 'running').length
  return `Training: ${running} of ${d.runs.length} runs in progress${source}`
}

export function headerView(d: ExperimentData): HeaderView {
  return {
    name: d.name,
    status: d.meta.status,
    stage: stageText(d),
    task: taskText(d),
    runs: d.runs.map((p) => {
      const t = p.timing()
      return {
        run: p.run, label: p.label, status: p.status, done: p.stepsDone, total: p.totalSteps, devices: p.devices.length,
        ...(p.error && { error: p.error }), ...(t && { elapsed: t.elapsed }), ...(t?.left !== undefined && { left: t.left }),
      }
    }),
  }
}

function trainingFigures(p: RunData): TrainingFigures {
  const base = { run: p.run, label: p.label, status: p.status, stepsDone: p.stepsDone, totalSteps: p.totalSteps }
  const s = p.summary
  if (s) {
    return {
      ...base, zeroShot: s.zeroShotAccuracy, latest: s.finalAccuracy, final: true, best: s.bestAccuracy,
      gain: s.learning?.gain, learning: s.learning?.verdict, warnings: s.health?.warnings ?? [],
    }
  }
  const zero = p.evals.find((e) => e.step === 0)
  const last = p.evals[p.evals.length - 1]
  return {
    ...base, zeroShot: zero?.accuracy, latest: last?.accuracy, final: false, warnings: [],
    best: p.evals.length ? Math.max(...p.evals.map((e) => e.accuracy)) : undefined,
  }
}

/** One row per (training × device) in the plan; none when the experiment is not priced on hardware. */
export function entryRows(d: ExperimentData): EntryRow[] {
  const short = shortDeviceNames(d.profiles)
  const totals = new Map(d.runs.map((r) => [r.run, r.totals(d.profileIds)]))
  return d.pairs().map(({ run: p, profile: prof, device }) => {
    const live = totals.get(p.run)!.profiles[prof.id]
    const done = p.summary?.profiles.find((r) => r.profile === prof.id)
    const seconds = done?.totals.seconds ?? live?.seconds
    const energy = done?.totals.energyUj.total ?? live?.energyUj
    const steps = done?.steps ?? p.rows
    const verdict = p.verdict(prof.id)
    return {
      key: `${p.run}-${prof.id}`, ...trainingFigures(p),
      profileId: prof.id, device: short.get(prof.id)!, deviceFull: prof.name, deviceClass: prof.class, changes: device.changes,
      feasible: verdict?.feasible, blockers: verdict?.reasons ?? [],
      sramNeeded: live?.sramBytes ?? done?.placement.sramBytes, sramHas: prof.memory.sram.sizeKiB * 1024,
      secondsTotal: seconds, secondsPerStep: seconds !== undefined && steps > 0 ? seconds / steps : undefined,
      energyTotalUj: energy, energyPerStepUj: energy !== undefined && steps > 0 ? energy / steps : undefined,
    }
  })
}

/** One row per training, for an experiment without devices. */
export function runRows(d: ExperimentData): RunRow[] {
  return d.runs.map((p) => ({
    ...trainingFigures(p),
    peakBytes: p.summary?.peakBytes ?? (p.rows ? p.totals([]).peakBytes : undefined), wallStepsPerSecond: p.summary?.stepsPerSecond,
  }))
}

export type SortKey = 'rank' | 'device' | 'run' | 'feasible' | 'accuracy' | 'gain' | 'sram' | 'time' | 'energy' | 'health'
export interface Sort { key: SortKey; dir: 1 | -1 }

/** runs on it first, then not judged yet, then cannot run */
const feasibleOrder = (r: EntryRow) => (r.feasible === true ? 0 : r.feasible === undefined ? 1 : 2)

const VALUE: Record<Exclude<SortKey, 'rank'>, (r: EntryRow) => number | string | undefined> = {
  device: (r) => r.device.toLowerCase(),
  run: (r) => r.run,
  feasible: feasibleOrder,
  accuracy: (r) => r.latest,
  gain: (r) => r.gain,
  sram: (r) => (r.sramNeeded === undefined ? undefined : r.sramNeeded / r.sramHas),
  time: (r) => r.secondsPerStep,
  energy: (r) => r.energyPerStepUj,
  health: (r) => r.warnings.length,
}

function compareValues(a: number | string | undefined, b: number | string | undefined): number {
  if (a === b) return 0
  if (a === undefined) return 1 // missing figures last in either direction (see sortRows)
  if (b === undefined) return -1
  return a < b ? -1 : 1
}

/**
 * The ranking a device decision starts from: the pairs that run first, then higher accuracy (latest
 * evaluation), then less energy per step, then less time per step; ties keep the plan's order.
 */
export function rankCompare(a: EntryRow, b: EntryRow): number {
  return feasibleOrder(a) - feasibleOrder(b)
    || (a.latest === undefined || b.latest === undefined ? compareValues(a.latest, b.latest) : b.latest - a.latest)
    || compareValues(a.energyPerStepUj, b.energyPerStepUj)
    || compareValues(a.secondsPerStep, b.secondsPerStep)
}

/** Sorted copy; rows without the sorted figure stay last in both directions; ties fall back to the ranking. */
export function sortRows(rows: readonly EntryRow[], sort: Sort): EntryRow[] {
  const ranked = [...rows].sort(rankCompare)
  if (sort.key === 'rank') return sort.dir === 1 ? ranked : ranked.reverse()
  const v = VALUE[sort.key]
  return ranked
    .map((r, i) => ({ r, i, x: v(r) }))
    .sort((a, b) => {
      if (a.x === undefined || b.x === undefined) return compareValues(a.x, b.x) || a.i - b.i
      return compareValues(a.x, b.x) * sort.dir || a.i - b.i
    })
    .map((e) => e.r)
}

/** The devices in ranking order (each at its best row), for the charts' default choice. */
export function rankedDevices(rows: readonly EntryRow[]): string[] {
  const seen = new Set<string>()
  for (const r of [...rows].sort(rankCompare)) seen.add(r.profileId)
  return [...seen]
}

const BLOCKER_TITLES: Record<Blocker['kind'], string> = {
  memory: 'Too little on-chip memory',
  formats: 'Number formats the device lacks',
  operations: 'Operations the device lacks',
}

/** Every (training × device) that cannot run as configured, grouped by the kind of its first reason. */
export function blockerGroups(d: ExperimentData): BlockerGroup[] {
  const groups = new Map<Blocker['kind'], BlockerGroup>()
  for (const { run: p, profile } of d.pairs()) {
    const v = p.verdict(profile.id)
    if (!v || v.feasible) continue
    const kind = v.reasons[0]?.kind ?? 'operations'
    let g = groups.get(kind)
    if (!g) groups.set(kind, (g = { kind, title: BLOCKER_TITLES[kind], items: [] }))
    g.items.push({
      run: p.run, label: p.label, profileId: profile.id, device: profile.name,
      texts: v.reasons.length ? v.reasons.map((r) => r.text) : ['the engine reported it infeasible without a reason'],
    })
  }
  return [...groups.values()]
}

/** The runs whose arithmetic lost something worth a warning (saturation, clipping), with the engine's words. */
export function healthNotes(d: ExperimentData): { run: number; label: string; warnings: string[] }[] {
  return d.runs.filter((p) => p.summary?.health?.warnings.length).map((p) => ({ run: p.run, label: p.label, warnings: p.summary!.health.warnings }))
}

/** The devices each training was moved to other formats for, grouped by training (what the plan changed and why). */
export function formatChanges(d: ExperimentData): { run: number; label: string; devices: { device: string; texts: string[] }[] }[] {
  return d.runs
    .map((p) => ({
      run: p.run, label: p.label,
      devices: p.devices.filter((x) => x.changes.length).map((x) => ({ device: d.profiles.find((q) => q.id === x.profile)?.name ?? x.profile, texts: x.changes.map((c) => c.text) })),
    }))
    .filter((g) => g.devices.length)
}

export const RUN_ENDED_BADLY: readonly RunStatus[] = ['failed', 'cancelled', 'interrupted']
