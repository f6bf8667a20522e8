#!/usr/bin/env node
// The same seed gives bit-identical results in tests, in the CLI, and in worker threads. The unit tests
// run the tiny experiment in-process and leave its results in test-results/ (simulators/experiment/
// experiment.test.ts); this script runs the same experiment through the built CLI twice — in-process
// (--workers 0) and with each run in its own worker thread (--workers 2) — and compares every
// deterministic field. Writes test-results/cli.json ({ passed, failed, checks }).
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync, mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { isDeepStrictEqual } from 'node:util'

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
    check(`experiment folder has spec, metrics and summary (${where})`, isDeepStrictEqual(files, ['metrics.jsonl', 'spec.json', 'summary.json']), files.join(', '))
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'))
    check(`CLI results ${where} equal the unit tests' in-process results bit for bit`, isDeepStrictEqual(deterministic(summary.runs), want))
    const lines = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l))
    check(`metrics.jsonl holds every step and evaluation (${where})`, lines.filter((e) => e.type === 'step').length === 24 && lines.filter((e) => e.type === 'run-end').length === 2)
  }
  const bad = spawnSync(process.execPath, [join(root, 'cli', 'bin.mjs'), 'run', '--seed', 'x'], { cwd: root, encoding: 'utf8' })
  check('an invalid experiment is a clear error naming the field', bad.status === 2 && /seed: must be a number/.test(bad.stderr), bad.stderr.trim().split('\n').slice(0, 2).join(' / '))
}
const passed = checks.filter((c) => c.ok).length
writeFileSync(join(results, 'cli.json'), JSON.stringify({ passed, failed: checks.length - passed, checks }, null, 2))
console.log(`${passed} passed, ${checks.length - passed} failed`)
process.exit(checks.length === passed ? 0 : 1)
