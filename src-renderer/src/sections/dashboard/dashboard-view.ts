// What the dashboard's header, summary table and callouts show, derived from ExperimentData (pure, tested).
// Finished runs take the summary's numbers; running ones the running sums of the step columns, so a row
// reads the same before and after the run ends.
import type { RunStatus, ExperimentStatus } from '../../api/bridge'
import type { ExperimentData, RunData } from '../../model/experiment-data'
import { pct, shortDeviceNames } from '../../charts/format'

export interface RunProgress {
  run: number
  label: string
  status: RunStatus
  done: number
  total: number
  error?: string
}

export interface HeaderView {
  name: string
  status: ExperimentStatus
  /** a short sentence about the stage (pretraining progress, cached weights, training, ended) */
  stage: string
  runs: RunProgress[]
}

export interface SummaryRow {
  key: string
  /** rows of this algorithm run (its first row spans them for the per-algorithm columns), 0 on the others */
  span: number
  run: number
  label: string
  status: RunStatus
  profileId?: string
  device?: string
  /** the device's full name (tooltip) */
  deviceFull?: string
  zeroShot?: number
  latest?: number
  /** `latest` is the final evaluation (the run finished) */
  final: boolean
  best?: number
  stepsDone: number
  totalSteps: number
  peakBytes?: number
  sramNeeded?: number
  sramHas?: number
  feasible?: boolean
  secondsTotal?: number
  secondsPerStep?: number
  energyTotalUj?: number
  energyPerStepUj?: number
  wallStepsPerSecond?: number
}

export interface InfeasibleCallout {
  run: number
  profileId: string
  label: string
  device: string
  reasons: string[]
}

export function stageText(d: ExperimentData): string {
  const p = d.pretrain
  if (d.stage === 'preparing' || (!d.stage && d.runs.every((x) => x.status === 'queued') && d.meta.status === 'running')) {
    if (p?.cached) return 'Preparing: using cached pretrained weights'
    if (p?.progress) return `Pretraining the source model: epoch ${p.progress.epoch}, loss ${p.progress.loss.toFixed(3)}, accuracy ${pct(p.progress.accuracy)}`
    return 'Preparing the task'
  }
  const source = p?.sourceAccuracy !== undefined ? ` · source model ${pct(p.cleanTestAccuracy ?? p.sourceAccuracy)} on clean test digits${p.cached ? ' (cached pretrained weights)' : ''}` : p?.cached ? ' · cached pretrained weights' : ''
  if (d.stage === 'ended' || d.meta.status !== 'running') return `Ended${source}`
  const running = d.runs.filter((x) => x.status === 'running').length
  return `Training: ${running} of ${d.runs.length} runs in progress${source}`
}

export function headerView(d: ExperimentData): HeaderView {
  return {
    name: d.name,
    status: d.meta.status,
    stage: stageText(d),
    runs: d.runs.map((p) => ({ run: p.run, label: p.label, status: p.status, done: p.stepsDone, total: p.totalSteps, ...(p.error && { error: p.error }) })),
  }
}

function accuracyFigures(p: RunData): Pick<SummaryRow, 'zeroShot' | 'latest' | 'final' | 'best'> {
  const s = p.summary
  if (s) return { zeroShot: s.zeroShotAccuracy, latest: s.finalAccuracy, final: true, best: s.bestAccuracy }
  const zero = p.evals.find((e) => e.step === 0)
  const last = p.evals[p.evals.length - 1]
  return {
    zeroShot: zero?.accuracy, latest: last?.accuracy, final: false,
    best: p.evals.length ? Math.max(...p.evals.map((e) => e.accuracy)) : undefined,
  }
}

/** One row per (algorithm × device); one per algorithm without device columns when nothing is priced. */
export function summaryRows(d: ExperimentData): SummaryRow[] {
  const rows: SummaryRow[] = []
  const short = shortDeviceNames(d.profiles)
  for (const p of d.runs) {
    const totals = p.totals(d.profileIds)
    const base = {
      run: p.run, label: p.label, status: p.status, ...accuracyFigures(p), stepsDone: p.stepsDone, totalSteps: p.totalSteps,
      peakBytes: p.summary?.peakBytes ?? (p.rows ? totals.peakBytes : undefined), wallStepsPerSecond: p.summary?.stepsPerSecond,
    }
    if (!d.profiles.length) {
      rows.push({ key: `${p.run}-none`, span: 1, ...base })
      continue
    }
    for (const [i, prof] of d.profiles.entries()) {
      const live = totals.profiles[prof.id]
      const done = p.summary?.profiles.find((r) => r.profile === prof.id)
      const seconds = done?.totals.seconds ?? live?.seconds
      const energy = done?.totals.energyUj.total ?? live?.energyUj
      const steps = done?.steps ?? p.rows
      rows.push({
        key: `${p.run}-${prof.id}`, span: i === 0 ? d.profiles.length : 0, ...base, profileId: prof.id, device: short.get(prof.id)!, deviceFull: prof.name,
        sramNeeded: live?.sramBytes ?? done?.placement.sramBytes,
        sramHas: prof.memory.sram.sizeKiB * 1024,
        feasible: p.verdict(prof.id)?.feasible,
        secondsTotal: seconds, secondsPerStep: seconds !== undefined && steps > 0 ? seconds / steps : undefined,
        energyTotalUj: energy, energyPerStepUj: energy !== undefined && steps > 0 ? energy / steps : undefined,
      })
    }
  }
  return rows
}

/** Every (algorithm × device) that cannot run as configured, with the engine's reasons. */
export function infeasibleCallouts(d: ExperimentData): InfeasibleCallout[] {
  const out: InfeasibleCallout[] = []
  for (const p of d.runs) {
    for (const prof of d.profiles) {
      const v = p.verdict(prof.id)
      if (v && !v.feasible) out.push({ run: p.run, profileId: prof.id, label: p.label, device: prof.name, reasons: v.reasons.length ? v.reasons.map((r) => r.text) : ['the engine reported it infeasible without a reason'] })
    }
  }
  return out
}

export const RUN_ENDED_BADLY: readonly RunStatus[] = ['failed', 'cancelled', 'interrupted']
