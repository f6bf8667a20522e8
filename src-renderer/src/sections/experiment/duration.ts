// Wall times in words, for the estimate before a run starts: exact enough to plan a coffee ("1 min 20 s"),
// and in round words when it is long ("about 1 day"), where seconds would be false precision.
import type { ExperimentEstimate } from '../../api/bridge'
import type { EstimateView } from './estimator'
import { plural } from './plan-preview'

/** Above this an experiment gets a warning before it starts: long enough to be worth a second look. */
export const LONG_RUN_SECONDS = 10 * 60

/** "under 1 s", "2.4 s", "45 s", "1 min 20 s", "2 h 5 min", "3 d 4 h" (two units at most). */
export function durationText(s: number): string {
  if (!Number.isFinite(s) || s < 0) return '—'
  if (s < 1) return 'under 1 s'
  if (s < 10) return `${Number(s.toFixed(1))} s`
  const sec = Math.round(s)
  if (sec < 60) return `${sec} s`
  const two = (a: number, ua: string, b: number, ub: string) => (b ? `${a} ${ua} ${b} ${ub}` : `${a} ${ua}`)
  if (sec < 3600) return two(Math.floor(sec / 60), 'min', sec % 60, 's')
  const min = Math.round(s / 60)
  if (min < 24 * 60) return two(Math.floor(min / 60), 'h', min % 60, 'min')
  const h = Math.round(s / 3600)
  return two(Math.floor(h / 24), 'd', h % 24, 'h')
}

/** "about 25 minutes", "about 5 hours", "about 1 day", "about 3 months". */
export function roughDuration(s: number): string {
  if (!Number.isFinite(s) || s < 0) return 'an unknown time'
  if (s < 45) return 'less than a minute'
  const about = (n: number, unit: string) => `about ${plural(Math.max(1, Math.round(n)), unit)}`
  const min = s / 60
  if (min < 50) return about(min, 'minute')
  const h = min / 60
  if (h < 22) return about(h, 'hour')
  const d = h / 24
  if (d < 60) return about(d, 'day')
  if (d < 730) return about(d / 30.44, 'month')
  return about(d / 365.25, 'year')
}

/** "≈ 1 min 20 s on this machine (5 runs, 2 at a time; measured from a trial step)" */
export function estimateLine(e: Pick<ExperimentEstimate, 'seconds' | 'workers' | 'runs'>): string {
  const n = e.runs.length
  const parallel = Math.max(1, Math.min(e.workers, n))
  const together = parallel === n ? 'all at once' : parallel === 1 ? 'one at a time' : `${parallel} at a time`
  const runs = n <= 1 ? plural(n, 'run') : `${plural(n, 'run')}, ${together}`
  const time = e.seconds < 1 ? durationText(e.seconds) : `≈ ${durationText(e.seconds)}`
  return `${time} on this machine (${runs}; measured from a trial step)`
}

/**
 * Null for an experiment of at most LONG_RUN_SECONDS; otherwise what to say before it starts: how long in
 * words, and the longest run (the one to shorten) with its own time.
 */
export function longRunWarning(e: Pick<ExperimentEstimate, 'seconds' | 'runs'>): { title: string; detail: string } | null {
  if (!(e.seconds > LONG_RUN_SECONDS)) return null
  const longest = [...e.runs].sort((a, b) => b.seconds - a.seconds)[0]
  const title = `Long experiment: ${roughDuration(e.seconds)} on this machine`
  if (!longest) return { title, detail: '' }
  const which = `“${longest.label}” (${plural(longest.steps, 'step')}, ${durationText(longest.seconds)})`
  // when one run is nearly all of it, say so rather than repeat the same time twice
  const lead = longest.seconds >= 0.9 * e.seconds ? `Nearly all of it is ${which}.` : `The longest run is ${which}.`
  return { title, detail: `${lead} Fewer steps or runs shorten it.` }
}

/**
 * The Run bar's status for a valid draft, with its time: "Ready to run · ≈ 1 min 20 s"; a long one reads
 * as a warning ("Ready to run, but long: about 1 day"), never as a plain "Ready to run".
 */
export function readyText(e: EstimateView): { text: string; long: boolean } {
  if (e.state === 'waiting') return { text: 'Ready to run · estimating the time…', long: false }
  if (e.state !== 'done') return { text: 'Ready to run', long: false }
  const long = longRunWarning(e.estimate) !== null
  return long
    ? { text: `Ready to run, but long: ${roughDuration(e.estimate.seconds)}`, long }
    : { text: `Ready to run · ${e.estimate.seconds < 1 ? '' : '≈ '}${durationText(e.estimate.seconds)}`, long }
}
