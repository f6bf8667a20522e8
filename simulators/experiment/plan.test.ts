import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { nearestFormats, planExperiment, profilesOf } from './plan'
import { parseExperiment } from './validate'
import { baseDataset, buildTask } from './task'
import { runOne, type StepEvent } from './runner'
import { deterministicPart, TINY_EXPERIMENT } from './tiny-experiment'
import { presets, getPreset } from '../hardware/profiles/library'
import { unsupportedFormats } from '../hardware/pricing/memory-plan'
import { getAlgorithm } from '../training/algorithms/registry'
import { buildGraph } from '../model/graph'
import { getBuiltinModel } from '../model/builtin'
import { initParams } from '../training/float/float-network'
import { ACCUMULATOR_BITS } from '../core/accumulator'
import { ROUNDING_MODES } from '../core/rounding'
import type { NumericFormatsSpec } from '../training/network/formats'

const ALL = [...presets().keys()]
const parsed = (raw: object) => {
  const r = parseExperiment(raw)
  if (!r.ok) throw new Error(JSON.stringify(r.errors))
  return r
}

describe('nearest formats', () => {
  const W16: NumericFormatsSpec = { weightBits: 16, activationBits: 8, gradientBits: 16, accumulatorBits: 64, accumulatorOverflow: 'saturate', weightGranularity: 'per-channel', rounding: 'half-even' }

  it('changes only what a device lacks, to the nearest it has, and says why', () => {
    const npu = getPreset('alif-e7-hp') // W8, A8/16, G8/16, acc32/40, half-away
    const r = nearestFormats(W16, npu, true)
    expect(r.formats).toMatchObject({ weightBits: 8, activationBits: 8, gradientBits: 16, accumulatorBits: 40, rounding: 'half-away' })
    expect(r.changes.map((c) => c.field)).toEqual(['weightBits', 'accumulatorBits', 'rounding'])
    expect(r.changes[0].text).toMatch(/^16-bit weights → 8-bit: .* runs 8$/)
    expect(r.changes[2].text).toMatch(/^half-even rounding → half-away/)
    // a device with everything: nothing changes
    expect(nearestFormats(W16, getPreset('generic-dsp-128'), true).changes).toEqual([])
  })

  it('a tie goes to the wider width, gradients only count for algorithms that use them', () => {
    const mcu = getPreset('nrf52840') // acc 32/64
    expect(nearestFormats({ ...W16, accumulatorBits: 48 }, mcu, true).formats.accumulatorBits).toBe(64)
    const ndp = getPreset('adi-max78000') // G8 only
    expect(nearestFormats(W16, ndp, false).changes.map((c) => c.field)).not.toContain('gradientBits')
    expect(nearestFormats(W16, ndp, true).formats.gradientBits).toBe(8)
  })

  it('whatever is asked, every preset gets formats it supports (property)', () => {
    const formats = fc.record({
      weightBits: fc.integer({ min: 2, max: 32 }), activationBits: fc.integer({ min: 2, max: 32 }), gradientBits: fc.integer({ min: 2, max: 32 }),
      accumulatorBits: fc.constantFrom(...ACCUMULATOR_BITS), rounding: fc.constantFrom(...ROUNDING_MODES),
    })
    fc.assert(fc.property(formats, fc.constantFrom(...ALL), fc.boolean(), (f, id, grads) => {
      const p = getPreset(id)
      const r = nearestFormats({ ...W16, ...f }, p, grads)
      expect(unsupportedFormats(p, r.formats, grads)).toEqual([])
      // and only the fields it lacked changed
      for (const c of r.changes) expect((f as Record<string, unknown>)[c.field]).toBe(c.requested)
    }), { numRuns: 300 })
  })
})

describe('planning an experiment', () => {
  it('the default experiment on all presets: one training per distinct formats, every device once per run, each at formats it runs', () => {
    const { spec, plan, profiles } = parsed({ profiles: ALL })
    for (const [specRun, run] of spec.runs.entries()) {
      const mine = plan.filter((r) => r.specRun === specRun)
      expect(mine.flatMap((r) => r.devices.map((d) => d.profile)).sort()).toEqual([...ALL].sort())
      expect(new Set(mine.map((r) => JSON.stringify(r.formats))).size).toBe(mine.length)
      // the training at the requested formats comes first and keeps the plain label
      expect(mine[0].label).toBe(run.algorithm)
      expect(mine[0].devices.every((d) => d.changes.length === 0)).toBe(true)
      for (const r of mine.slice(1)) expect(r.label).toMatch(new RegExp(`^${run.algorithm} · `))
      for (const r of mine) for (const p of profilesOf(r, profiles)) expect(unsupportedFormats(p, r.formats, getAlgorithm(run.algorithm).usesGradientFormat), `${r.label} on ${p.id}`).toEqual([])
    }
    expect(plan.map((r) => r.index)).toEqual(plan.map((_, i) => i))
    // the int8-only NPUs train at W8
    const w8 = plan.filter((r) => r.specRun === 0 && r.formats.weightBits === 8).flatMap((r) => r.devices.map((d) => d.profile))
    expect(w8).toEqual(expect.arrayContaining(['alif-e7-hp', 'generic-npu-16x16', 'nxp-imx93', 'syntiant-ndp120', 'adi-max78000']))
  })

  it("'requested' trains each run once at its own formats, on every device", () => {
    const { plan } = parsed({ profiles: ALL, deviceFormats: 'requested' })
    expect(plan.map((r) => [r.label, r.devices.length, r.devices.every((d) => d.changes.length === 0)])).toEqual([['backprop', 17, true], ['zo-spsa', 17, true]])
    expect(planExperiment(parsed({}).spec, []).map((r) => r.devices)).toEqual([[], []])
  })

  it('a trace priced on two devices is bit-identical to training it once per device', () => {
    const raw = { ...TINY_EXPERIMENT, formats: { weightBits: 8 }, profiles: ['alif-e7-hp', 'nxp-imx93'] }
    const both = parsed(raw)
    expect(both.plan.map((r) => r.devices.length)).toEqual([2, 2]) // W8 runs as asked on both: one training each
    const graph = buildGraph(getBuiltinModel('dscnn-mnist'))
    const task = buildTask(both.spec, baseDataset(both.spec, undefined))
    const params = initParams(graph, both.spec.seed)
    const train = (p: ReturnType<typeof parsed>, i: number) => {
      const steps: StepEvent[] = []
      const s = runOne({ spec: p.spec, run: p.plan[i], graph, params, task, profiles: profilesOf(p.plan[i], p.profiles) }, (e) => { if (e.type === 'step') steps.push(e) })
      return { s, steps }
    }
    for (const i of [0, 1]) {
      const shared = train(both, i)
      for (const [k, id] of ['alif-e7-hp', 'nxp-imx93'].entries()) {
        const alone = train(parsed({ ...raw, profiles: [id] }), i)
        expect(deterministicPart({ ...alone.s, profiles: [], devices: [] } as never)).toEqual(deterministicPart({ ...shared.s, profiles: [], devices: [] } as never))
        expect(alone.s.profiles[0]).toEqual(shared.s.profiles[k])
        expect(alone.steps.map((e) => e.costs[0])).toEqual(shared.steps.map((e) => e.costs[k]))
        expect(alone.steps.map((e) => e.loss)).toEqual(shared.steps.map((e) => e.loss))
      }
    }
  })
})
