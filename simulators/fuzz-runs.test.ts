/**
 * Issue 14, second half: every input the parsers accept must also *run*. fuzz.test.ts checks that the
 * parsers only reject with field errors; here experiments are generated inside the validator's bounds
 * (random formats, rounding, algorithms, scopes, hyperparameters drawn from each algorithm's own
 * hyperparameter docs, heads, class subsets, corruptions, built-in and small inline models, preset and
 * perturbed inline profiles), and every accepted one goes through the real engine path: task, pretraining,
 * then runOne for each planned run, priced on each device. A run may end "does not fit" (a result in its
 * ProfileResult); it must not throw. Accepted model descriptions must build and run a forward pass.
 *
 * Sizes are tiny (synthetic data, 1–3 steps, batch ≤ 4) so the file takes seconds; the seeds are fixed
 * so a failure reproduces. Every failure is collected, with the input that caused it.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseExperiment } from './experiment/validate'
import { parseModelSpec } from './model/validate'
import { parseProfile } from './hardware/profiles/parse-profile'
import { PRESET_FILES } from './hardware/profiles/presets/index'
import { getPreset } from './hardware/profiles/library'
import type { HardwareProfile } from './hardware/profiles/profile'
import { buildGraph } from './model/graph'
import { resolveModel } from './model/builtin'
import { baseDataset, buildTask } from './experiment/task'
import { pretrain } from './experiment/pretrain'
import { runOne } from './experiment/runner'
import { CORRUPTIONS } from './data/corruptions'
import { trainingAlgorithms } from './training/algorithms/registry'
import type { HyperparameterDoc } from './training/algorithms/algorithm'
import { initParams } from './training/float/float-network'
import { quantizeModel } from './training/network/quantize-model'
import { QNetwork } from './training/network/qnetwork'
import { resolveFormats, DEFAULT_FORMATS } from './training/network/formats'
import { newWork } from './core/work'
import { inexactAt } from './experiment/exactness'
import { protonetHead } from './experiment/protonet-head'
import regressions from './fuzz-runs-regressions.json'

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T
const show = (v: unknown) => { const s = JSON.stringify(v); return s.length > (process.env.FUZZ_SLOWEST || process.env.FUZZ_DUMP ? 1e6 : 600) ? `${s.slice(0, 600)}…` : s }

// ---- generators -------------------------------------------------------------------------------

/**
 * A hyperparameter value inside its documented bounds. Integer counts (directions, perturbations) are
 * drawn from their low end: each costs forward passes per step of the whole model, and this bound keeps
 * the file fast; it is no validity bound (FUZZ_WIDE=1 draws them over their whole documented range).
 */
function hyperparameter(d: HyperparameterDoc): fc.Arbitrary<unknown> {
  if (d.kind === 'boolean') return fc.boolean()
  if (d.kind === 'enum') return fc.constantFrom(...d.values)
  if (d.integer) return fc.integer({ min: d.min, max: process.env.FUZZ_WIDE ? d.max : Math.min(d.max, d.min + 3) })
  return fc.oneof(fc.constantFrom(d.min, d.max), fc.double({ min: d.min, max: d.max, noNaN: true }))
}

const hyperparameters = (algorithm: string) => {
  const docs = trainingAlgorithms.get(algorithm)!.hyperparameters
  return fc.subarray([...docs]).chain((chosen) => fc.tuple(...chosen.map(hyperparameter)).map((vs) => Object.fromEntries(chosen.map((d, i) => [d.name, vs[i]]))))
}

const formatFields = {
  weightBits: fc.integer({ min: 2, max: 32 }), activationBits: fc.integer({ min: 2, max: 32 }), gradientBits: fc.integer({ min: 2, max: 32 }),
  accumulatorBits: fc.constantFrom(16, 24, 32, 40, 48, 64), accumulatorOverflow: fc.constantFrom('saturate', 'wrap'),
  weightGranularity: fc.constantFrom('per-tensor', 'per-channel'), rounding: fc.constantFrom('half-away', 'half-even', 'floor'),
}
const formats = fc.record(formatFields, { requiredKeys: [] })

const activation = fc.constantFrom('relu', 'relu6', 'none')
const pair = (max: number) => fc.integer({ min: 1, max }).map((k) => [k, k])

/** A small image model ending in 10 logits: an optional conv/depthwise/pool stage, flatten, optional hidden dense. */
const inlineModel = fc.record({
  conv: fc.option(fc.record({ filters: fc.integer({ min: 1, max: 4 }), kernel: pair(5), stride: pair(3), padding: fc.constantFrom('same', 'valid'), activation, bias: fc.boolean() }), { nil: undefined }),
  depthwise: fc.option(fc.record({ kernel: pair(3), multiplier: fc.integer({ min: 1, max: 2 }), stride: pair(2), padding: fc.constantFrom('same', 'valid'), activation }), { nil: undefined }),
  pool: fc.option(fc.record({ type: fc.constantFrom('maxPool2d', 'avgPool2d'), kernel: pair(3) }), { nil: undefined }),
  global: fc.boolean(),
  hidden: fc.option(fc.record({ units: fc.integer({ min: 1, max: 8 }), activation, bias: fc.boolean() }), { nil: undefined }),
}).map((m) => ({
  schemaVersion: 1, name: 'fuzz-model', task: 'classification', input: { shape: [28, 28, 1] },
  layers: [
    ...(m.conv ? [{ type: 'conv2d', ...m.conv }] : []),
    ...(m.depthwise ? [{ type: 'depthwiseConv2d', ...m.depthwise }] : []),
    ...(m.pool ? [m.pool] : []),
    ...(m.global && (m.conv || m.depthwise) ? [{ type: 'globalAvgPool2d' }] : [{ type: 'flatten' }]),
    ...(m.hidden ? [{ type: 'dense', ...m.hidden }] : []),
    { type: 'dense', units: 10 },
  ],
}))

/** A preset with a few of its numbers scaled (a user's edited profile); kept only if parseProfile accepts it. */
const editedProfile = fc.record({ base: fc.nat({ max: PRESET_FILES.length - 1 }), edits: fc.array(fc.tuple(fc.nat(), fc.constantFrom(0, 0.5, 2, 1000, 1e-3)), { maxLength: 3 }) })
  .map(({ base, edits }) => {
    const p = clone(PRESET_FILES[base]) as Record<string, unknown>
    const leaves: [Record<string, unknown>, string][] = []
    const walk = (o: unknown) => { if (o && typeof o === 'object') for (const [k, v] of Object.entries(o)) { if (typeof v === 'number') leaves.push([o as Record<string, unknown>, k]); else walk(v) } }
    walk(p)
    for (const [at, f] of edits) { const [o, k] = leaves[at % leaves.length]; o[k] = (o[k] as number) * f }
    p.id = `edited-${String(p.id)}`
    return p
  })

const PRESET_IDS = ['nrf52840', 'alif-e7-hp', 'adi-max78000', 'generic-npu-16x16', 'esp32-s3']

const experiment = fc.record({
  seed: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
  // mostly small inline models: a built-in trains ~100k parameters per planned run, seconds per experiment
  model: fc.oneof({ weight: 1, arbitrary: fc.constantFrom('mlp-mnist', 'dscnn-mnist') }, { weight: 4, arbitrary: inlineModel }),
  init: fc.constantFrom('pretrained', 'scratch'),
  head: fc.constantFrom('model', 'model', 'protonet'),
  data: fc.record({
    pretrainPerClass: fc.integer({ min: 1, max: 3 }), shots: fc.integer({ min: 1, max: 3 }), testPerClass: fc.integer({ min: 1, max: 2 }),
    corruption: fc.constantFrom('none', ...CORRUPTIONS.keys()), severity: fc.integer({ min: 1, max: 5 }),
    classes: fc.option(fc.uniqueArray(fc.integer({ min: 0, max: 9 }), { minLength: 2, maxLength: 4 }), { nil: undefined }),
    pretrainClasses: fc.option(fc.uniqueArray(fc.integer({ min: 0, max: 9 }), { minLength: 2, maxLength: 4 }), { nil: undefined }),
  }).map((d) => Object.fromEntries(Object.entries({ dataset: 'synthetic', ...d }).filter(([, v]) => v !== undefined))),
  pretrain: fc.record({ epochs: fc.constant(1), batch: fc.integer({ min: 1, max: 16 }), lr: fc.double({ min: 0, max: 10, noNaN: true }), momentum: fc.double({ min: 0, max: 0.999, noNaN: true }) }),
  formats,
  batch: fc.integer({ min: 1, max: 4 }),
  steps: fc.integer({ min: 0, max: 3 }),
  evalEvery: fc.integer({ min: 1, max: 3 }),
  runs: fc.array(fc.constantFrom(...trainingAlgorithms.keys()).chain((algorithm) => fc.record({
    algorithm: fc.constant(algorithm),
    scope: fc.oneof(fc.constantFrom({ kind: 'all' }, { kind: 'biases' }), fc.integer({ min: 1, max: 3 }).map((layers) => ({ kind: 'last', layers }))),
    hyperparameters: hyperparameters(algorithm),
    formats: fc.option(formats, { nil: undefined }),
    steps: fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
  })).map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined))), { minLength: 1, maxLength: 2 }),
  presets: fc.subarray(PRESET_IDS, { maxLength: 2 }),
  edited: fc.option(editedProfile, { nil: undefined }),
  deviceFormats: fc.constantFrom('nearest', 'requested'),
}).map(({ presets, edited, ...x }) => {
  const editedOk = edited && parseProfile(edited).ok ? [edited] : []
  return { ...x, profiles: [...presets, ...editedOk] }
})

// ---- the harness --------------------------------------------------------------------------------

/** A field-error exception (ExperimentSpecError and the like carry `errors`): a validation-type failure. */
const isValidationError = (e: unknown) => e instanceof Error && Array.isArray((e as { errors?: unknown }).errors)
/**
 * The run refusing at its start, naming the layer, for formats in the one-activation-bit band that
 * validation cannot decide without calibration (experiment/exactness.ts says why): counted, not a crash.
 */
const isExactnessRefusal = (e: unknown) => e instanceof RangeError && /can exceed 2\^53; training supports narrower formats$/.test(e.message)

/** Runs an accepted experiment end to end, as the CLI does; returns what went wrong, if anything. */
function runAccepted(raw: unknown): { accepted: boolean; runs: number; doesNotFit: number; refused?: boolean; failure?: string } {
  const r = parseExperiment(raw)
  if (!r.ok) return { accepted: false, runs: 0, doesNotFit: 0 }
  const byId = new Map<string, HardwareProfile>(r.profiles.map((p) => [p.id, p]))
  let runs = 0, doesNotFit = 0
  try {
    const graph = buildGraph(resolveModel(r.spec.model))
    const task = buildTask(r.spec, baseDataset(r.spec, undefined))
    // as workers/experiment/prepare.ts prepares (it cannot be imported here): scratch is He-initialised, not pretrained; the ProtoNet head comes from the shots
    const start = r.spec.init === 'pretrained' ? pretrain(graph, task.source, r.spec.pretrain, r.spec.seed) : initParams(graph, r.spec.seed)
    const params = r.spec.head === 'protonet' ? protonetHead(graph, start, task.adapt) : start
    for (const run of r.plan) {
      const s = runOne({ spec: r.spec, run, graph, params, task, profiles: run.devices.map((d) => byId.get(d.profile) ?? getPreset(d.profile)) }, () => {})
      runs++
      if (!Number.isFinite(s.finalLoss) && s.steps > 0) return { accepted: true, runs, doesNotFit, failure: `run ${run.index}: final loss ${s.finalLoss} — input ${show(raw)}` }
      doesNotFit += s.profiles.filter((p) => !p.feasible).length
    }
  } catch (e) {
    if (isValidationError(e)) return { accepted: true, runs, doesNotFit }
    if (isExactnessRefusal(e)) return { accepted: true, runs, doesNotFit, refused: true }
    return { accepted: true, runs, doesNotFit, failure: `${(e as Error).name}: ${(e as Error).message.slice(0, 300)}\n  at ${process.env.FUZZ_DUMP ? (e as Error).stack : (e as Error).stack?.split('\n')[1]?.trim()}\n  input ${show(raw)}` }
  }
  return { accepted: true, runs, doesNotFit }
}

/** Inputs per test; FUZZ_RUNS=n searches further (same seed, a longer sample). */
const SAMPLES = Number(process.env.FUZZ_RUNS ?? 50)

describe('issue 14: every accepted input runs', () => {
  it('accepted experiments train and price a few steps without a non-validation error', () => {
    let accepted = 0, runs = 0, doesNotFit = 0, editedProfiles = 0, refused = 0
    const failures: string[] = []
    let slowest = 0, slowestInput = ''
    for (const raw of fc.sample(experiment, { seed: 14_101, numRuns: SAMPLES })) {
      const t0 = performance.now()
      const o = runAccepted(raw)
      const ms = performance.now() - t0
      if (ms > slowest) { slowest = ms; slowestInput = show(raw) }
      if (!o.accepted) continue
      accepted++
      editedProfiles += (raw.profiles as unknown[]).filter((p) => typeof p === 'object').length
      runs += o.runs
      doesNotFit += o.doesNotFit
      if (o.refused) refused++
      if (o.failure) failures.push(o.failure)
    }
    // FUZZ_DUMP=dir writes every failure in full (input and stack), for triage
    if (process.env.FUZZ_DUMP) writeFileSync(join(process.env.FUZZ_DUMP, 'fuzz-runs.txt'), failures.join('\n\n'))
    console.log(`fuzz-runs: ${SAMPLES} experiments generated, ${accepted} accepted, ${runs} runs trained (${editedProfiles} edited inline profiles priced), ${doesNotFit} device results "does not fit", ${refused} refused at start for exactness, ${failures.length} failures; slowest ${slowest.toFixed(0)} ms${process.env.FUZZ_SLOWEST ? ` (${slowestInput})` : ''}`)
    expect(failures.slice(0, 5), `${failures.length} of ${accepted} accepted experiments failed`).toEqual([])
    expect(accepted).toBeGreaterThan(SAMPLES / 3)
  })

  // Found by FUZZ_RUNS=400: backprop with Adam, epsilon 0 (documented range [0, 1]) and a zero gradient made
  // m̂/(√v̂ + ε) = 0/0, and the NaN bias code reached BigInt() in the wide-accumulator tier (kernels/mac-core.ts).
  // Fixed at the root (training/network/update.ts adamRatio, tested in update.test.ts); it must run now.
  it.each(regressions.adamZeroEpsilon.map((x, i) => [i, x] as const))('regression %i (Adam with epsilon 0, a NaN bias code before) runs', (_, raw) => {
    const o = runAccepted(raw)
    expect(o.accepted).toBe(true)
    expect(o.failure).toBeUndefined()
  })

  // crashed only when this harness skipped the app's preparation (scratch init, ProtoNet head): it must run
  it.each(regressions.harnessOnly.map((x, i) => [i, x] as const))('regression %i (inline model, protonet head from scratch) runs', (_, raw) => {
    const o = runAccepted(raw)
    expect(o.accepted).toBe(true)
    expect(o.failure).toBeUndefined()
  })

  it('accepted model descriptions build a network and run an integer forward pass', () => {
    let accepted = 0, inexact = 0
    const failures: string[] = []
    const arb = fc.tuple(inlineModel, fc.record(formatFields))
    for (const [raw, fmt] of fc.sample(arb, { seed: 14_102, numRuns: SAMPLES })) {
      const r = parseModelSpec(raw)
      if (!r.ok) continue
      const fullFormats = { ...DEFAULT_FORMATS, ...fmt }
      // formats whose sums may leave float64's exact range are rejected where model and formats meet (an experiment's formats field)
      if (inexactAt(r.spec, fullFormats)) { inexact++; continue }
      accepted++
      try {
        const graph = buildGraph(r.spec)
        const n = 2, size = 28 * 28
        const images = Float32Array.from({ length: n * size }, (_, i) => ((i * 2654435761) % 1000) / 1000)
        const q = quantizeModel(graph, initParams(graph, 1), resolveFormats(fullFormats, 'formats'), images, n)
        const out = new QNetwork(q, n).forward(images, n, newWork()).data
        if (out.length !== n * 10) failures.push(`forward gave ${out.length} values, not ${n * 10} — model ${show(raw)}`)
      } catch (e) {
        failures.push(`${(e as Error).name}: ${(e as Error).message.slice(0, 300)} — model ${show(raw)} formats ${show(fmt)}`)
      }
    }
    console.log(`fuzz-runs models: ${SAMPLES} generated, ${accepted} accepted and run (${inexact} more rejected for their formats), ${failures.length} failures`)
    expect(failures.slice(0, 5)).toEqual([])
    expect(accepted).toBeGreaterThan(SAMPLES / 3)
  })
})
