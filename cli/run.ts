// `lastmile run`: runs an experiment (the built-in default without a spec), shows progress on stderr, and writes
// an experiment folder: spec.json, status.json, metrics.jsonl (appended as events arrive, so a killed run keeps
// what it had) and summary.json.
//
// status.json says which of running / finished / failed / interrupted the folder holds: written "running" (with
// the pid) before the first step, then "finished" or "failed" with the summary, "interrupted" on SIGINT/SIGTERM.
// A kill -9 leaves "running" with a pid that no longer exists: that is how a reader tells a killed run from a
// finished one. A reused --out starts clean: an older summary.json, status.json or weights never mix into a new run.
import { appendFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { parseExperiment } from '../simulators/experiment/validate'
import { runExperiment, type HostEvent } from '../workers/experiment/host'
import { formatSummary } from './report'
import { duration } from './duration'
import { folderName, oneLine } from './errors'

export const RUN_USAGE = `usage: lastmile run [spec.json] [--out DIR] [--seed N] [--profile ID[,ID…]] [--workers N] [--save-weights] [--quiet]
  runs an experiment (the built-in default experiment without spec.json) and writes DIR/spec.json,
  DIR/status.json, DIR/metrics.jsonl and DIR/summary.json (DIR defaults to experiments/<time>-<name>)
  --seed N         the experiment's seed (an integer 0..4294967295)
  --profile ID     price every step on these hardware profiles (see: lastmile profiles)
  --workers N      runs at once, each in its own worker thread (default: one per core; 0 = in-process)
  --save-weights   also write each run's trained integer weights to DIR/weights/
  --quiet          no progress lines (the results table is still printed)`

type Status = 'running' | 'finished' | 'failed' | 'interrupted'

export async function run(rest: string[]): Promise<number> {
  let args
  try {
    args = parseArgs({ args: rest, allowPositionals: true, options: { out: { type: 'string' }, seed: { type: 'string' }, workers: { type: 'string' }, quiet: { type: 'boolean' }, 'save-weights': { type: 'boolean' }, profile: { type: 'string', multiple: true }, help: { type: 'boolean', short: 'h' } } })
  } catch (e) {
    console.error(`lastmile run: ${(e as Error).message}\n${RUN_USAGE}`)
    return 2
  }
  if (args.values.help) { console.log(RUN_USAGE); return 0 }
  if (args.positionals.length > 1) {
    console.error(`lastmile run: one experiment file at most, got ${args.positionals.length} (${args.positionals.map((p) => JSON.stringify(p)).join(', ')})`)
    return 2
  }
  const [specPath] = args.positionals
  let raw: Record<string, unknown> = {}
  if (specPath) {
    try {
      raw = JSON.parse(readFileSync(specPath, 'utf8')) as Record<string, unknown>
    } catch (e) {
      console.error(`lastmile run: cannot read ${specPath}: ${oneLine(e)}`)
      return 2
    }
  }
  if (args.values.seed !== undefined) {
    const seed = args.values.seed
    if (!/^\d{1,10}$/.test(seed) || Number(seed) > 2 ** 32 - 1) {
      console.error(`lastmile run: --seed must be an integer from 0 to 4294967295, got ${JSON.stringify(seed)}`)
      return 2
    }
    raw = { ...raw, seed: Number(seed) }
  }
  if (args.values.profile) raw = { ...raw, profiles: args.values.profile.flatMap((p) => p.split(',')).filter(Boolean) }
  const parsed = parseExperiment(raw)
  if (!parsed.ok) {
    console.error(`lastmile run: ${specPath ?? 'the experiment'} is not valid:`)
    for (const e of parsed.errors) console.error(`  ${e.path || '(document)'}: ${e.message}`)
    return 2
  }
  const spec = parsed.spec
  const workers = args.values.workers === undefined ? undefined : /^\d{1,4}$/.test(args.values.workers) ? Number(args.values.workers) : NaN
  if (workers !== undefined && !(Number.isInteger(workers) && workers >= 0)) {
    console.error(`lastmile run: --workers must be a non-negative integer, got ${JSON.stringify(args.values.workers)}`)
    return 2
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19)
  // a name from the spec stays one folder inside experiments/ (no "..", no separators)
  const out = resolve(args.values.out ?? join('experiments', `${stamp}-${folderName(spec.name)}`))
  const metrics = join(out, 'metrics.jsonl')
  const setStatus = (status: Status, extra: Record<string, unknown> = {}) =>
    writeFileSync(join(out, 'status.json'), JSON.stringify({ status, pid: process.pid, at: new Date().toISOString(), ...extra }, null, 2) + '\n')
  try {
    mkdirSync(out, { recursive: true })
    for (const stale of ['summary.json', 'status.json', 'weights']) rmSync(join(out, stale), { recursive: true, force: true })
    writeFileSync(join(out, 'spec.json'), JSON.stringify(spec, null, 2) + '\n')
    writeFileSync(metrics, '')
    setStatus('running')
  } catch (e) {
    console.error(`lastmile run: cannot write the experiment folder ${out}: ${oneLine(e)}`)
    return 1
  }
  const interrupt = (signal: NodeJS.Signals) => {
    try { setStatus('interrupted', { signal }) } catch { /* the folder keeps "running": still told apart by its dead pid */ }
    process.exit(signal === 'SIGINT' ? 130 : 143)
  }
  process.once('SIGINT', interrupt)
  process.once('SIGTERM', interrupt)
  const progress = new Progress(parsed.plan.map((r) => ({ label: r.label, steps: r.steps })), !args.values.quiet && process.stderr.isTTY === true)
  const onEvent = (e: HostEvent) => {
    if (e.type === 'weights') {
      mkdirSync(join(out, 'weights'), { recursive: true })
      writeFileSync(join(out, 'weights', `${e.run}-${e.label.replace(/[^\w.-]+/g, '_')}.json`), JSON.stringify(e.weights))
      return
    }
    appendFileSync(metrics, JSON.stringify(e) + '\n')
    progress.update(e)
  }
  try {
    const result = await runExperiment(parsed, { workers, onEvent, emitWeights: args.values['save-weights'] })
    progress.done()
    writeFileSync(join(out, 'summary.json'), JSON.stringify(result, null, 2) + '\n')
    setStatus('finished')
    console.log(formatSummary(result))
    console.log(`\nexperiment folder: ${out}`)
    return 0
  } catch (e) {
    progress.done()
    console.error(`lastmile run: ${oneLine(e)}`)
    if (process.env.LASTMILE_DEBUG) console.error((e as Error).stack)
    try {
      writeFileSync(join(out, 'summary.json'), JSON.stringify({ spec, error: oneLine(e) }, null, 2) + '\n')
      setStatus('failed', { error: oneLine(e) })
    } catch { /* the disk refused: the message above is what is left */ }
    return 1
  } finally {
    process.removeListener('SIGINT', interrupt)
    process.removeListener('SIGTERM', interrupt)
  }
}


/** One line per run on stderr with elapsed time and time left, redrawn in place on a terminal; plain lines otherwise. */
class Progress {
  private readonly state: { label: string; steps: number; step: number; acc?: number; elapsed: number }[]
  private drawn = 0
  private pretrainNote = ''
  private last = 0

  constructor(runs: { label: string; steps: number }[], private readonly tty: boolean) {
    this.state = runs.map((r) => ({ ...r, step: 0, elapsed: 0 }))
  }

  update(e: HostEvent): void {
    if (e.type === 'pretrain') {
      this.pretrainNote = e.progress ? `pretraining source model: epoch ${e.progress.epoch + 1}, loss ${e.progress.loss.toFixed(3)}, accuracy ${(100 * e.progress.accuracy).toFixed(1)} %`
        : e.cleanTestAccuracy === undefined ? 'source model: initialised from the seed (init: scratch)'
        : `source model ${e.cached ? 'from cache' : 'pretrained'}: clean test accuracy ${(100 * e.cleanTestAccuracy).toFixed(1)} %`
      if (!this.tty) process.stderr.write(this.pretrainNote + '\n')
    } else if (e.type === 'step') {
      const s = this.state[e.run]
      // without a terminal, a line at every tenth of the run
      if (!this.tty && Math.floor((10 * e.step) / s.steps) > Math.floor((10 * s.step) / s.steps) && e.step < s.steps) {
        process.stderr.write(`${s.label}: step ${e.step}/${s.steps}, ${duration(e.elapsedSeconds)}, about ${duration((e.elapsedSeconds / e.step) * (s.steps - e.step))} left\n`)
      }
      s.step = e.step
      s.elapsed = e.elapsedSeconds
    }
    else if (e.type === 'eval') this.state[e.run].acc = e.accuracy
    else if (e.type === 'run-end' && !this.tty) process.stderr.write(`${e.label}: done in ${duration(e.wallSeconds)}, accuracy ${(100 * e.finalAccuracy).toFixed(1)} %\n`)
    if (this.tty && (Date.now() - this.last > 100 || e.type !== 'step')) this.draw()
  }

  private draw(): void {
    this.last = Date.now()
    const lines = [this.pretrainNote, ...this.state.map((s) => {
      const width = 30
      const filled = Math.round((width * s.step) / Math.max(1, s.steps))
      const acc = s.acc === undefined ? '' : `  test accuracy ${(100 * s.acc).toFixed(1)} %`
      // time left at the run's own pace so far
      const left = s.step > 0 && s.step < s.steps ? `, ${duration((s.elapsed / s.step) * (s.steps - s.step))} left` : ''
      const time = s.step > 0 ? `  ${duration(s.elapsed)}${left}` : ''
      return `${s.label.padEnd(18)} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(s.step).padStart(5)}/${s.steps}${time}${acc}`
    })]
    if (this.drawn) process.stderr.write(`\x1b[${this.drawn}A`)
    for (const l of lines) process.stderr.write(`\x1b[2K${l}\n`)
    this.drawn = lines.length
  }

  done(): void {
    if (this.tty) this.draw()
  }
}
