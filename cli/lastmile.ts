// The headless CLI: `lastmile run [spec.json] --out DIR --seed N --workers N`, `lastmile help`.
// Runs an experiment (the built-in default without a spec), shows progress on stderr, and writes an
// experiment folder: spec.json, metrics.jsonl (appended as events arrive, so a killed run keeps what it had) and
// summary.json. Built by electron-vite as an extra main entry (out/main/cli.js); cli/bin.mjs launches it.
import { appendFileSync, mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { parseExperiment } from '../simulators/experiment/validate'
import { runExperiment, type HostEvent } from '../workers/experiment/host'
import { formatProfiles, formatSummary } from './report'
import { duration } from './duration'

const USAGE = `usage:
  lastmile run [spec.json] [--out DIR] [--seed N] [--profile ID[,ID…]] [--workers N] [--save-weights] [--quiet]
      runs an experiment (the built-in default experiment without spec.json) and writes
      DIR/spec.json, DIR/metrics.jsonl and DIR/summary.json (DIR defaults to experiments/<time>-<name>)
      --workers N      runs at once, each in its own worker thread (default: one per core; 0 = in-process)
      --save-weights   also write each run's trained integer weights to DIR/weights/
      --profile ID     price every step on these hardware profiles (see: lastmile profiles)
  lastmile results [--out docs/results.md]
      runs the experiments behind the research notes' four findings (fixed seeds, several minutes)
      and writes what the studio measured, with a verdict per finding
  lastmile profiles
      lists the hardware presets with their key figures
  lastmile sweep [spec.json] [--out DIR] [--workers N] [--shard i/n]
      runs a sweep (the built-in default sweep without spec.json): devices × format settings × runs × seeds;
      --shard i/n runs every n-th training, for batch schedulers (docs/batch/)
  lastmile report DIR... [--out DIR]
      merges sweep folders (shards) and writes the device-selection report: report.html, report.pdf,
      trials.csv, report.json
  lastmile calibrate [--out docs/calibration.md]
      predicts MLPerf Tiny inference on the presets and compares with public measurements
  lastmile help`

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    console.log(USAGE)
    return command ? 0 : 2
  }
  if (command === 'results') return (await import('./results')).results(rest)
  if (command === 'profiles') { console.log(formatProfiles()); return 0 }
  if (command === 'calibrate') return (await import('./calibrate')).calibrate(rest)
  if (command === 'sweep') return (await import('./sweep')).sweep(rest)
  if (command === 'report') return (await import('./sweep-report')).report(rest)
  if (command !== 'run') {
    console.error(`lastmile: unknown command "${command}"\n${USAGE}`)
    return 2
  }
  let args
  try {
    args = parseArgs({ args: rest, allowPositionals: true, options: { out: { type: 'string' }, seed: { type: 'string' }, workers: { type: 'string' }, quiet: { type: 'boolean' }, 'save-weights': { type: 'boolean' }, profile: { type: 'string', multiple: true } } })
  } catch (e) {
    console.error(`lastmile run: ${(e as Error).message}\n${USAGE}`)
    return 2
  }
  const [specPath] = args.positionals
  let raw: Record<string, unknown> = {}
  if (specPath) {
    try {
      raw = JSON.parse(readFileSync(specPath, 'utf8')) as Record<string, unknown>
    } catch (e) {
      console.error(`lastmile run: cannot read ${specPath}: ${(e as Error).message}`)
      return 2
    }
  }
  if (args.values.seed !== undefined) raw = { ...raw, seed: Number(args.values.seed) }
  if (args.values.profile) raw = { ...raw, profiles: args.values.profile.flatMap((p) => p.split(',')).filter(Boolean) }
  const parsed = parseExperiment(raw)
  if (!parsed.ok) {
    console.error(`lastmile run: ${specPath ?? 'the experiment'} is not valid:`)
    for (const e of parsed.errors) console.error(`  ${e.path || '(document)'}: ${e.message}`)
    return 2
  }
  const spec = parsed.spec
  const workers = args.values.workers === undefined ? undefined : Number(args.values.workers)
  if (workers !== undefined && !(Number.isInteger(workers) && workers >= 0)) {
    console.error(`lastmile run: --workers must be a non-negative integer, got ${args.values.workers}`)
    return 2
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19)
  const out = resolve(args.values.out ?? join('experiments', `${stamp}-${spec.name}`))
  mkdirSync(out, { recursive: true })
  writeFileSync(join(out, 'spec.json'), JSON.stringify(spec, null, 2) + '\n')
  const metrics = join(out, 'metrics.jsonl')
  if (existsSync(metrics)) writeFileSync(metrics, '')
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
    if (!args.values.quiet) console.log(formatSummary(result))
    console.log(`\nexperiment folder: ${out}`)
    return 0
  } catch (e) {
    progress.done()
    console.error(`lastmile run: ${(e as Error).stack ?? e}`)
    writeFileSync(join(out, 'summary.json'), JSON.stringify({ spec, error: String((e as Error).message ?? e) }, null, 2) + '\n')
    return 1
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
