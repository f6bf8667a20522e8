// The default experiment headless (part of `npm run bench`, through scripts/bench-report.mjs): `lastmile run`
// with the built-in default experiment (backprop and zo-spsa on cnn-mnist), priced on three devices, after an
// untimed 0-step run that fills the pretraining cache. Issue 12's targets: under 5 s wall time, simulator heap under
// 200 MB. Wall time is measured with the CLI's default workers (one thread per core); memory in a separate run
// with --workers 0, so that the whole simulation lives in one V8 isolate whose heap the probe can read.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'

const root = resolve(import.meta.dirname, '..')
const cli = join(root, 'cli', 'bin.mjs')
/** the "three devices": an MCU, an MCU with an NPU, a DSP cluster (the built-in default prices on none) */
export const DEFAULT_RUN_PROFILES = ['stm32l4r5', 'alif-e7-hp', 'greenwaves-gap9']

/** "Scavenge 3.8 (4.0) -> 3.4 (5.0) MB": the heap in use before each collection is a local peak. */
function gcPeakMB(traceGc) {
  let peak = 0
  for (const m of traceGc.matchAll(/: (?:Scavenge|Mark-Compact|Mark-sweep|Minor Mark-Sweep|Mark-Compact \(reduce\))[^\d]*([\d.]+) \([\d.]+\) ->/g)) peak = Math.max(peak, Number(m[1]))
  return peak
}

export function benchDefaultRun({ log = console.log } = {}) {
  const tmp = mkdtempSync(join(tmpdir(), 'lastmile-bench-run-'))
  try {
    const args = (out, extra = []) => [cli, 'run', '--out', join(tmp, out), '--quiet', '--profile', DEFAULT_RUN_PROFILES.join(','), ...extra]
    // fill the pretraining cache (keyed by data, model, pretraining settings and seed, not by steps): 0 steps
    const warmSpec = join(tmp, 'warm.json')
    writeFileSync(warmSpec, JSON.stringify({ steps: 0, runs: [{ algorithm: 'backprop' }] }))
    const warm = spawnSync(process.execPath, [cli, 'run', warmSpec, '--out', join(tmp, 'warm'), '--quiet'], { cwd: root, encoding: 'utf8' })
    if (warm.status !== 0) throw new Error(`lastmile run (warm-up) failed: ${(warm.stderr || warm.stdout).slice(-300)}`)
    const probeArgs = [join(root, 'scripts', 'bench-heap-probe.mjs')]
    const timedProbe = join(tmp, 'timed.json')
    const t0 = performance.now()
    const r = spawnSync(process.execPath, ['--import', ...probeArgs, ...args('timed')], { cwd: root, encoding: 'utf8', env: { ...process.env, LASTMILE_HEAP_PROBE: timedProbe } })
    const wallSeconds = (performance.now() - t0) / 1000
    if (r.status !== 0) throw new Error(`lastmile run failed: ${(r.stderr || r.stdout).slice(-300)}`)
    const cpuSeconds = JSON.parse(readFileSync(timedProbe, 'utf8')).cpuSeconds
    const probe = join(tmp, 'heap.json')
    const t1 = performance.now()
    const h = spawnSync(process.execPath, ['--trace-gc', '--import', ...probeArgs, ...args('heap', ['--workers', '0'])], { cwd: root, encoding: 'utf8', env: { ...process.env, LASTMILE_HEAP_PROBE: probe }, maxBuffer: 64 * 2 ** 20 })
    const inProcessSeconds = (performance.now() - t1) / 1000
    if (h.status !== 0) throw new Error(`lastmile run --workers 0 failed: ${(h.stderr || '').slice(-300)}`)
    const p = JSON.parse(readFileSync(probe, 'utf8'))
    const heapUsedMB = Math.max(p.heapUsedMB, gcPeakMB(h.stdout))
    const result = { profiles: DEFAULT_RUN_PROFILES, wallSeconds, cpuSeconds, inProcessSeconds, inProcessCpuSeconds: p.cpuSeconds, heapUsedMB, heapBuffersMB: Math.max(p.heapBuffersMB, heapUsedMB), maxRssMB: p.maxRssMB, samples: p.samples }
    log(`default experiment headless (lastmile run, priced on ${DEFAULT_RUN_PROFILES.join(', ')}, pretraining cached): ${wallSeconds.toFixed(2)} s wall (${cpuSeconds.toFixed(2)} s CPU) with the default workers; ${inProcessSeconds.toFixed(2)} s wall (${p.cpuSeconds.toFixed(2)} s CPU) in-process (--workers 0, --trace-gc)`)
    log(`  in-process peaks: V8 heap ${heapUsedMB.toFixed(0)} MB, heap + ArrayBuffers ${result.heapBuffersMB.toFixed(0)} MB (sampled, ${p.samples} samples), RSS ${p.maxRssMB.toFixed(0)} MB`)
    return result
  } finally {
    rmSync(tmp, { recursive: true, force: true })
  }
}
