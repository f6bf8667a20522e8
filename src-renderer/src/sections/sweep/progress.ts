// What the progress bar says. Progress counts trainings (a training is shared by every trial and device
// that needs the same trajectory); trainings finished in an earlier session were not recomputed and
// say nothing about this session's pace, so the time left is this session's elapsed time per training it
// finished, times the trainings left. Before the first one ends there is no pace to go by.
import type { SweepProgress } from '../../api/bridge'
import { seconds } from '../../charts/format'

export function etaSeconds(p: SweepProgress): number | undefined {
  const finishedHere = p.done - p.skipped
  if (finishedHere <= 0 || p.elapsedSeconds <= 0) return undefined
  return (p.elapsedSeconds / finishedHere) * Math.max(0, p.total - p.done)
}

/** 0..1 of the bar */
export function fraction(p: SweepProgress): number {
  return p.total > 0 ? Math.min(1, p.done / p.total) : 0
}

export function progressText(p: SweepProgress): string {
  const eta = etaSeconds(p)
  const left = p.done >= p.total ? 'done' : eta === undefined ? 'time left: after the first training' : `about ${seconds(eta)} left`
  return `${p.done} / ${p.total} trainings · ${left}`
}

/**
 * Trials with a result on every device. Progress counts trainings (what the pool runs); a trial is
 * complete once each device's training for it has ended, which the rows read so far tell.
 */
export function trialsComplete(rows: readonly { trial: number }[], devices: number): number {
  const perTrial = new Map<number, number>()
  for (const r of rows) perTrial.set(r.trial, (perTrial.get(r.trial) ?? 0) + 1)
  return [...perTrial.values()].filter((n) => n >= devices).length
}
