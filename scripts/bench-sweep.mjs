#!/usr/bin/env node
// `npm run bench` (after the vitest benchmarks): sweep throughput on this machine. The sweep of every
// preset × 3 format settings × 2 algorithms on the default task, through the built CLI, with 1 and then 2
// worker threads, each into a fresh folder (nothing resumed; the pretraining cache is warm after the first).
// Printed, never asserted: shared machines vary by ±25 % between runs, so compare figures of one run.
//   BENCH_SWEEP_STEPS=N  steps per training (default: the default task's 150)
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'

const root = resolve(import.meta.dirname, '..')
const presets = readdirSync(join(root, 'simulators/hardware/profiles/presets')).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort()
const steps = Number(process.env.BENCH_SWEEP_STEPS ?? 150)
const tmp = mkdtempSync(join(tmpdir(), 'lastmile-bench-sweep-'))
const spec = join(tmp, 'sweep.json')
writeFileSync(spec, JSON.stringify({
  name: 'bench-all-presets', experiment: { steps }, devices: presets,
  formats: [{ weightBits: 8, activationBits: 8 }, { weightBits: 16, activationBits: 8 }, { weightBits: 16, activationBits: 16 }],
  runs: [{ algorithm: 'backprop' }, { algorithm: 'zo-spsa' }],
}))
const cli = join(root, 'cli', 'bin.mjs')
// warm the CLI bundle and the pretraining cache, untimed
writeFileSync(join(tmp, 'warm.json'), JSON.stringify({ steps: 0, runs: [{ algorithm: 'backprop' }] }))
spawnSync(process.execPath, [cli, 'run', join(tmp, 'warm.json'), '--out', join(tmp, 'warm'), '--quiet'], { cwd: root, stdio: 'ignore' })
console.log(`sweep: ${presets.length} presets × 3 format settings × 2 algorithms = 6 trials, ${6 * presets.length} trial × device rows, ${steps} steps per training`)
for (const workers of [1, 2]) {
  const out = join(tmp, `w${workers}`)
  const t0 = performance.now()
  const r = spawnSync(process.execPath, [cli, 'sweep', spec, '--out', out, '--workers', String(workers), '--quiet'], { cwd: root, encoding: 'utf8' })
  const s = (performance.now() - t0) / 1000
  if (r.status !== 0) { console.log(`  ${workers} worker(s): failed: ${(r.stderr || r.stdout).slice(-300)}`); continue }
  const trainings = readFileSync(join(out, 'trainings.jsonl'), 'utf8').trim().split('\n').length
  console.log(`  ${workers} worker${workers > 1 ? 's' : ' '}: ${s.toFixed(1)} s for ${trainings} distinct trainings — ${(60 * trainings / s).toFixed(1)} trainings/min, ${(60 * 6 / s).toFixed(1)} trials/min, ${(60 * 6 * presets.length / s).toFixed(0)} trial × device rows/min`)
}
rmSync(tmp, { recursive: true, force: true })
