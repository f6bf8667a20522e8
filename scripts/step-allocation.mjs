#!/usr/bin/env node
// Bytes allocated per training step, per algorithm (simulators/bench/step-allocation.ts explains the method).
// Measured, never asserted: issue 12 asks that "the training loop allocates nothing per step".
//   node scripts/step-allocation.mjs [--model cnn-mnist] [--batch 32] [--backend default|typescript] [--steps 5] [--warmup 3] [--json FILE]
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
  },
})
for (const k of ['batch', 'steps', 'warmup']) if (!/^[1-9]\d*$/.test(a[k])) throw new RangeError(`--${k} must be a positive integer, got ${a[k]}`)
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
const o = JSON.parse(process.argv[2])
const backend = o.backend === 'typescript' ? typescriptBackend : getKernelBackend()
const res = await stepAllocation({ model: o.model, batch: o.batch, formats: defaultExperiment().formats, backend, warmup: o.warmup, steps: o.steps })
console.log(JSON.stringify({ ...o, backend: backend.id, results: res }))
`)
  const bundle = join(dir, 'bundle.mjs')
  await build({ input: entry, platform: 'node', logLevel: 'silent', output: { file: bundle, format: 'esm' } })
  const opts = { model: a.model, batch: Number(a.batch), backend: a.backend, steps: Number(a.steps), warmup: Number(a.warmup) }
  const run = spawnSync(process.execPath, ['--expose-gc', '--min-semi-space-size=256', '--max-semi-space-size=256', bundle, JSON.stringify(opts)], { encoding: 'utf8', maxBuffer: 1 << 26 })
  if (run.status !== 0) throw new Error(`measurement failed (exit ${run.status}):\n${run.stderr}`)
  const out = JSON.parse(run.stdout.trim().split('\n').pop())
  console.log(`bytes allocated per training step (${out.model}, batch ${out.batch}, default formats, ${out.backend} kernels; median of ${out.steps} steps after ${out.warmup} warm-up)`)
  for (const r of out.results) {
    const flagged = r.steps.filter((s) => s.collected).length
    const all = r.steps.map((s) => `${(s.bytes / 1024).toFixed(0)}${s.collected ? '*' : ''}`).join(' ')
    console.log(`  ${r.algorithm.padEnd(12)} ${Number.isNaN(r.bytesPerStep) ? '   n/a' : (r.bytesPerStep / 2 ** 20).toFixed(3).padStart(9)} MB/step   (KiB per step: ${all}${flagged ? '; * = a collection ran inside, not counted' : ''})`)
  }
  if (a.json) writeFileSync(a.json, JSON.stringify(out, null, 2) + '\n')
} finally {
  rmSync(dir, { recursive: true, force: true })
}
