#!/usr/bin/env node
// Bytes allocated per training step, per algorithm (simulators/bench/step-allocation.ts explains the method).
// Measured, never asserted: issue 12 asks that "the training loop allocates nothing per step".
//   node scripts/step-allocation.mjs [--model cnn-mnist] [--batch 32] [--backend default|typescript] [--steps 5] [--warmup 5] [--only zo-spsa,backprop] [--sites] [--json FILE]
//   --sites adds the functions that allocate most (V8's sampling heap profiler, objects already collected included)
//   node scripts/step-allocation.mjs --rates [--budget-ms 3000] …   steps/s instead (training-rates.ts, as `npm run bench` times them)
// Defaults: the default experiment's model and formats at batch 32, the shape of issue 12's training figures.
// The TypeScript sources are bundled with rolldown (a devDependency, through vite) into a temporary file, which
// this script then runs in a child Node with --expose-gc and a 256 MB young generation (so no collection
// happens inside a step of the sizes measured here; a step that still sees one is flagged, not counted).
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { build } from 'rolldown'

const root = resolve(import.meta.dirname, '..')
const { values: a } = parseArgs({
  options: {
    model: { type: 'string', default: 'cnn-mnist' }, batch: { type: 'string', default: '32' }, backend: { type: 'string', default: 'default' },
    steps: { type: 'string', default: '5' }, warmup: { type: 'string', default: '5' }, json: { type: 'string' },
    rates: { type: 'boolean', default: false }, only: { type: 'string' }, sites: { type: 'boolean', default: false }, 'budget-ms': { type: 'string', default: '3000' },
  },
})
for (const k of ['batch', 'steps', 'warmup', 'budget-ms']) if (!/^[1-9]\d*$/.test(a[k])) throw new RangeError(`--${k} must be a positive integer, got ${a[k]}`)
if (!['default', 'typescript'].includes(a.backend)) throw new RangeError(`--backend must be default or typescript, got ${a.backend}`)

const dir = mkdtempSync(join(tmpdir(), 'lastmile-alloc-'))
try {
  const entry = join(dir, 'entry.ts')
  const src = (p) => JSON.stringify(join(root, p))
  writeFileSync(entry, `
import { stepAllocation } from ${src('simulators/bench/step-allocation.ts')}
import { defaultExperiment } from ${src('simulators/experiment/validate.ts')}
import { getKernelBackend } from ${src('simulators/kernels/registry.ts')}
import { typescriptBackend } from ${src('simulators/kernels/typescript-backend.ts')}
import { trainingRates } from ${src('simulators/bench/training-rates.ts')}
const o = JSON.parse(process.argv[2])
const backend = o.backend === 'typescript' ? typescriptBackend : getKernelBackend()
const formats = defaultExperiment().formats
const res = o.rates ? trainingRates(o.model, o.batch, formats, backend, o.budgetMs) : await stepAllocation({ model: o.model, batch: o.batch, formats, backend, warmup: o.warmup, steps: o.steps, only: o.only?.split(','), sites: o.sites })
console.log(JSON.stringify({ ...o, backend: backend.id, results: res }))
`)
  const bundle = join(dir, 'bundle.mjs')
  await build({ input: entry, platform: 'node', logLevel: 'silent', output: { file: bundle, format: 'esm' } })
  const opts = { model: a.model, batch: Number(a.batch), backend: a.backend, steps: Number(a.steps), warmup: Number(a.warmup), only: a.only, sites: a.sites, rates: a.rates, budgetMs: Number(a['budget-ms']) }
  const run = spawnSync(process.execPath, [...(a.rates ? [] : ['--expose-gc', '--min-semi-space-size=256', '--max-semi-space-size=256']), bundle, JSON.stringify(opts)], { encoding: 'utf8', maxBuffer: 1 << 26 })
  if (run.status !== 0) throw new Error(`measurement failed (exit ${run.status}):\n${run.stderr}`)
  const out = JSON.parse(run.stdout.trim().split('\n').pop())
  if (out.rates) {
    console.log(`training steps/s (${out.model}, batch ${out.batch}, default formats, ${out.backend} kernels; median step, ${out.budgetMs} ms per algorithm)`)
    for (const r of out.results) console.log(`  ${r.algorithm.padEnd(12)} ${r.stepsPerSecond.toFixed(2).padStart(8)} steps/s  (${r.steps} timed steps)`)
  } else {
    console.log(`bytes allocated per training step (${out.model}, batch ${out.batch}, default formats, ${out.backend} kernels; median of ${out.steps} steps after ${out.warmup} warm-up)`)
    for (const r of out.results) {
      const flagged = r.steps.filter((s) => s.collected).length
      const all = r.steps.map((s) => `${(s.bytes / 1024).toFixed(0)}${s.collected ? '*' : ''}`).join(' ')
      console.log(`  ${r.algorithm.padEnd(12)} ${Number.isNaN(r.bytesPerStep) ? '   n/a' : (r.bytesPerStep / 2 ** 20).toFixed(3).padStart(9)} MB/step   (KiB per step: ${all}${flagged ? '; * = a collection ran inside, not counted' : ''})`)
      for (const x of r.sites ?? []) console.log(`      ${(x.bytes / 1024).toFixed(1).padStart(9)} KiB/step  ${x.site}`)
    }
  }
  if (a.json) writeFileSync(a.json, JSON.stringify(out, null, 2) + '\n')
} finally {
  rmSync(dir, { recursive: true, force: true })
}
