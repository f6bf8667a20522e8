#!/usr/bin/env node
// Sweep throughput on this machine (part of `npm run bench`, through scripts/bench-report.mjs; also runs alone).
// The sweep of every preset × 3 format settings × 2 algorithms on the default task, through the built CLI, with
// 1 and then 2 worker threads, each into a fresh folder (nothing resumed; the pretraining cache is warm after
// the first). Printed, never asserted: shared machines vary by ±25 % between runs, so compare figures of one run.
//   BENCH_SWEEP_STEPS=N  steps per training (default: the default task's 150 when run alone)
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { pathToFileURL } from 'node:url'

const root = resolve(import.meta.dirname, '..')
const cli = join(root, 'cli', 'bin.mjs')

/** Runs the sweep with 1 and 2 workers; returns the timings and the 2-worker / 1-worker throughput ratio. */
export function benchSweep({ steps = 150, log = console.log } = {}) {
  const presets = readdirSync(join(root, 'simulators/hardware/profiles/presets')).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort()
  const tmp = mkdtempSync(join(tmpdir(), 'lastmile-bench-sweep-'))
  try {
    const spec = join(tmp, 'sweep.json')
    writeFileSync(spec, JSON.stringify({
      name: 'bench-all-presets', experiment: { steps }, devices: presets,
      formats: [{ weightBits: 8, activationBits: 8 }, { weightBits: 16, activationBits: 8 }, { weightBits: 16, activationBits: 16 }],
      runs: [{ algorithm: 'backprop' }, { algorithm: 'zo-spsa' }],
    }))
    // warm the CLI bundle and the pretraining cache, untimed
    writeFileSync(join(tmp, 'warm.json'), JSON.stringify({ steps: 0, runs: [{ algorithm: 'backprop' }] }))
    spawnSync(process.execPath, [cli, 'run', join(tmp, 'warm.json'), '--out', join(tmp, 'warm'), '--quiet'], { cwd: root, stdio: 'ignore' })
    const trials = 6
    log(`sweep: ${presets.length} presets × 3 format settings × 2 algorithms = ${trials} trials, ${trials * presets.length} trial × device rows, ${steps} steps per training`)
    const runs = []
    for (const workers of [1, 2]) {
      const out = join(tmp, `w${workers}`)
      const t0 = performance.now()
      const r = spawnSync(process.execPath, [cli, 'sweep', spec, '--out', out, '--workers', String(workers), '--quiet'], { cwd: root, encoding: 'utf8' })
      const seconds = (performance.now() - t0) / 1000
      if (r.status !== 0) { log(`  ${workers} worker(s): failed: ${(r.stderr || r.stdout).slice(-300)}`); runs.push({ workers, failed: true }); continue }
      const trainings = readFileSync(join(out, 'trainings.jsonl'), 'utf8').trim().split('\n').length
      const row = { workers, seconds, trainings, trainingsPerMinute: (60 * trainings) / seconds, trialsPerMinute: (60 * trials) / seconds }
      runs.push(row)
      log(`  ${workers} worker${workers > 1 ? 's' : ' '}: ${seconds.toFixed(1)} s for ${trainings} distinct trainings — ${row.trainingsPerMinute.toFixed(1)} trainings/min, ${row.trialsPerMinute.toFixed(1)} trials/min, ${((60 * trials * presets.length) / seconds).toFixed(0)} trial × device rows/min`)
    }
    const [one, two] = runs
    const scaling = one.failed || two.failed ? null : one.seconds / two.seconds
    if (scaling !== null) log(`  2 workers / 1 worker: ${scaling.toFixed(2)}× throughput`)
    return { presets: presets.length, trials, steps, runs, scaling }
  } finally {
    rmSync(tmp, { recursive: true, force: true })
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) benchSweep({ steps: Number(process.env.BENCH_SWEEP_STEPS ?? 150) })
