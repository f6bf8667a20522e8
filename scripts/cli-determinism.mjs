#!/usr/bin/env node
// The same seed gives bit-identical results in tests, in the CLI, and in worker threads. The unit tests
// run the tiny experiment in-process and leave its results in test-results/ (simulators/experiment/
// experiment.test.ts); this script runs the same experiment through the built CLI twice — in-process
// (--workers 0) and with each run in its own worker thread (--workers 2) — and compares every
// deterministic field. Writes test-results/cli.json ({ passed, failed, checks }).
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync, mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { isDeepStrictEqual } from 'node:util'
import { parse as parseYaml } from 'yaml'

const root = resolve(import.meta.dirname, '..')
const results = join(root, 'test-results')
const checks = []
const check = (name, ok, detail = '') => {
  checks.push({ name, ok, detail })
  console.log(`${ok ? 'ok  ' : 'FAIL'}  ${name}${detail ? `  (${detail})` : ''}`)
}
const deterministic = (runs) => runs.map(({ wallSeconds: _w, stepsPerSecond: _s, ...rest }) => rest)

const specFile = join(results, 'tiny-experiment.spec.json')
const wantFile = join(results, 'tiny-experiment.vitest.json')
if (!existsSync(specFile) || !existsSync(wantFile)) {
  check('unit tests left the tiny experiment and its in-process results', false, 'run the unit tests first')
} else {
  const want = JSON.parse(readFileSync(wantFile, 'utf8'))
  const tmp = mkdtempSync(join(tmpdir(), 'lastmile-cli-'))
  for (const workers of [0, 2]) {
    const out = join(tmp, `w${workers}`)
    const r = spawnSync(process.execPath, [join(root, 'cli', 'bin.mjs'), 'run', specFile, '--out', out, '--workers', String(workers), '--quiet'], { cwd: root, encoding: 'utf8' })
    const where = workers === 0 ? 'in-process' : 'in worker threads'
    check(`CLI exits 0 ${where}`, r.status === 0, r.status === 0 ? '' : (r.stderr || r.stdout).slice(-400))
    if (r.status !== 0) continue
    const files = readdirSync(out).sort()
    check(`experiment folder has spec, status, metrics and summary (${where})`, isDeepStrictEqual(files, ['metrics.jsonl', 'spec.json', 'status.json', 'summary.json']), files.join(', '))
    check(`status.json says finished (${where})`, JSON.parse(readFileSync(join(out, 'status.json'), 'utf8')).status === 'finished')
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'))
    check(`CLI results ${where} equal the unit tests' in-process results bit for bit`, isDeepStrictEqual(deterministic(summary.runs), want))
    const lines = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l))
    check(`metrics.jsonl holds every step and evaluation (${where})`, lines.filter((e) => e.type === 'step').length === 24 && lines.filter((e) => e.type === 'run-end').length === 2)
  }
  sweepChecks(JSON.parse(readFileSync(specFile, 'utf8')), tmp)
  await killChecks(JSON.parse(readFileSync(specFile, 'utf8')), tmp)
  const bad = spawnSync(process.execPath, [join(root, 'cli', 'bin.mjs'), 'run', '--seed', 'x'], { cwd: root, encoding: 'utf8' })
  check('a bad option value is a clear error naming the option and the value', bad.status === 2 && /--seed must be an integer .* got "x"/.test(bad.stderr), bad.stderr.trim().split('\n').slice(0, 2).join(' / '))
}
/**
 * A run stopped by SIGTERM says "interrupted" in status.json and keeps the metrics it wrote; the same --out
 * reused afterwards starts clean (no summary.json of an older run until the new one writes its own). Checked
 * in a worker thread (--workers 1) and in-process (--workers 0, where each step's line is appended before the
 * next step runs); in-process also a SIGKILL: status.json keeps "running" with a pid that is gone (README:
 * that is how a killed run reads) and metrics.jsonl every complete line written before the kill.
 */
async function killChecks(experiment, tmp) {
  const spec = join(tmp, 'long.json')
  writeFileSync(spec, JSON.stringify({ ...experiment, name: 'long', steps: 100000, evalEvery: 1000 }))
  const first = spawnSync(process.execPath, [join(root, 'cli', 'bin.mjs'), 'run', specFile, '--out', join(tmp, 'killed-w1'), '--workers', '0', '--quiet'], { cwd: root, encoding: 'utf8' })
  check('a first run fills the folder', first.status === 0 && existsSync(join(tmp, 'killed-w1', 'summary.json')))
  for (const [workers, signal] of [[1, 'SIGTERM'], [0, 'SIGTERM'], [0, 'SIGKILL']]) {
    const where = workers === 0 ? 'in-process' : 'in a worker thread'
    const out = join(tmp, `killed-w${workers}`)
    const lines = () => (existsSync(join(out, 'metrics.jsonl')) ? readFileSync(join(out, 'metrics.jsonl'), 'utf8').split('\n') : [])
    // the last line may be cut by a kill mid-write: only complete lines count
    const complete = () => lines().filter((l) => { try { JSON.parse(l); return true } catch { return false } })
    const steps = () => complete().filter((l) => l.includes('"type":"step"')).length
    const status = () => (existsSync(join(out, 'status.json')) ? JSON.parse(readFileSync(join(out, 'status.json'), 'utf8')) : {})
    const child = spawn(process.execPath, [join(root, 'cli', 'bin.mjs'), 'run', spec, '--out', out, '--workers', String(workers), '--quiet'], { cwd: root, stdio: 'ignore' })
    const exited = new Promise((r) => child.once('exit', r))
    let gone = false
    void exited.then(() => { gone = true })
    const t0 = Date.now()
    while (!gone && !(status().status === 'running' && steps() >= 3) && Date.now() - t0 < 120_000) await new Promise((r) => setTimeout(r, 200))
    if (workers === 1) check('while the new run goes, the older summary is gone and the folder says running', status().status === 'running' && !existsSync(join(out, 'summary.json')))
    const before = steps()
    check(`metrics.jsonl has step lines while the run goes (${where})`, status().status === 'running' && before >= 3, `${before} steps after ${Date.now() - t0} ms`)
    child.kill(signal)
    // a run that cannot handle the signal (its thread never yields) must fail the check, not hang the script
    const stuck = await Promise.race([exited.then(() => false), new Promise((r) => setTimeout(() => r(true), 30_000))])
    if (stuck) { child.kill('SIGKILL'); await exited }
    check(`the run ends within 30 s of ${signal} (${where})`, !stuck)
    const brokenLines = lines().slice(0, -1).filter((l) => !complete().includes(l)).length
    const kept = `status ${status().status}, ${steps()} steps kept of ${before} seen before the kill`
    if (signal === 'SIGTERM') {
      check(`a run stopped by SIGTERM is marked interrupted and keeps its metrics (${where})`, status().status === 'interrupted' && status().signal === 'SIGTERM' && steps() >= before && brokenLines === 0 && !existsSync(join(out, 'summary.json')), kept)
    } else {
      let alive = true
      try { process.kill(status().pid, 0) } catch { alive = false }
      check(`a run killed by SIGKILL reads as killed: "running" with its pid gone, metrics kept (${where})`, status().status === 'running' && status().pid === child.pid && !alive && steps() >= before && brokenLines === 0 && !existsSync(join(out, 'summary.json')), kept)
    }
  }
}

/**
 * Sweeps: the unsharded tiny sweep against the same sweep run as Slurm array tasks (docs/batch/sweep-slurm.sh,
 * two tasks) and as the pods of the Kubernetes Indexed Job (docs/batch/sweep-job.yaml: its command run for every
 * completion index), each merged by `lastmile report`: every trial × device row must be equal, bit for bit.
 */
function sweepChecks(experiment, tmp) {
  const cli = `${process.execPath} ${join(root, 'cli', 'bin.mjs')}`
  const spec = join(tmp, 'tiny-sweep.json')
  writeFileSync(spec, JSON.stringify({ name: 'tiny-sweep', experiment, devices: ['nrf52840', 'alif-e7-hp'], formats: [{ weightBits: 8 }, { weightBits: 16 }] }))
  const sh = (command, env = {}) => spawnSync('sh', ['-c', command], { cwd: root, encoding: 'utf8', env: { ...process.env, ...env } })
  const rows = (dir) => {
    const r = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'))
    return r.rows.map(({ trial, device, formats, finalAccuracy, zeroShotAccuracy, energyUjPerStep, secondsPerStep, sramDemandBytes, feasible }) => ({ trial, device, formats, finalAccuracy, zeroShotAccuracy, energyUjPerStep, secondsPerStep, sramDemandBytes, feasible }))
  }
  const whole = sh(`${cli} sweep ${spec} --out ${tmp}/sweep-whole --workers 2 --quiet && ${cli} report ${tmp}/sweep-whole --out ${tmp}/report-whole`)
  check('lastmile sweep and report run the tiny sweep', whole.status === 0, whole.status === 0 ? '' : (whole.stderr || whole.stdout).slice(-400))
  if (whole.status !== 0) return
  const want = rows(`${tmp}/report-whole`)
  check('the report has a row per trial and device', want.length === 4 * 2, `${want.length} rows`)

  // Slurm: two array tasks, then the merge
  let slurm = { status: 0 }
  for (const id of [1, 2]) {
    if (slurm.status !== 0) break
    slurm = sh(`bash docs/batch/sweep-slurm.sh ${spec} ${tmp}/slurm`, { SLURM_ARRAY_TASK_ID: String(id), SLURM_ARRAY_TASK_COUNT: '2', SLURM_CPUS_PER_TASK: '1', LASTMILE: cli })
  }
  const slurmReport = slurm.status === 0 ? sh(`${cli} report ${tmp}/slurm/shard-1 ${tmp}/slurm/shard-2 --out ${tmp}/report-slurm`) : slurm
  check('the Slurm array script runs two shards locally', slurmReport.status === 0, slurmReport.status === 0 ? '' : (slurmReport.stderr || slurmReport.stdout).slice(-400))
  if (slurmReport.status === 0) check('Slurm shards merged equal the unsharded sweep, bit for bit', isDeepStrictEqual(rows(`${tmp}/report-slurm`), want))

  // Kubernetes: the Indexed Job's own command, for every completion index
  const job = parseYaml(readFileSync(join(root, 'docs', 'batch', 'sweep-job.yaml'), 'utf8'))
  const container = job?.spec?.template?.spec?.containers?.[0]
  const command = container?.command?.[2] ?? ''
  const shards = Number(/--shard "\$\(\(JOB_COMPLETION_INDEX \+ 1\)\)\/(\d+)"/.exec(command)?.[1])
  const valid = job?.apiVersion === 'batch/v1' && job?.kind === 'Job' && job.spec.completionMode === 'Indexed' && job.spec.completions === shards &&
    job.spec.parallelism >= 1 && job.spec.template.spec.restartPolicy === 'Never' && container?.command?.[0] === 'sh' &&
    container.volumeMounts?.some((m) => m.mountPath === '/data') && container.volumeMounts?.some((m) => m.mountPath === '/config')
  check('the Kubernetes Indexed Job manifest is well formed (Indexed, completions = shards in its command, volumes)', !!valid, `completions ${job?.spec?.completions}, shards in the command ${shards}`)
  if (!valid) return
  let k8s = { status: 0 }
  for (let index = 0; index < shards && k8s.status === 0; index++) {
    const local = command.replaceAll('npx lastmile', cli).replaceAll('/config/sweep.json', spec).replaceAll('/data/', `${tmp}/k8s/`)
    k8s = sh(local, { JOB_COMPLETION_INDEX: String(index) })
  }
  const k8sReport = k8s.status === 0 ? sh(`${cli} report ${Array.from({ length: shards }, (_, i) => `${tmp}/k8s/shard-${i + 1}`).join(' ')} --out ${tmp}/report-k8s`) : k8s
  check(`the Indexed Job's command runs its ${shards} shards locally`, k8sReport.status === 0, k8sReport.status === 0 ? '' : (k8sReport.stderr || k8sReport.stdout).slice(-400))
  if (k8sReport.status === 0) check('Indexed Job shards merged equal the unsharded sweep, bit for bit', isDeepStrictEqual(rows(`${tmp}/report-k8s`), want))
}

const passed = checks.filter((c) => c.ok).length
writeFileSync(join(results, 'cli.json'), JSON.stringify({ passed, failed: checks.length - passed, checks }, null, 2))
console.log(`${passed} passed, ${checks.length - passed} failed`)
process.exit(checks.length === passed ? 0 : 1)
