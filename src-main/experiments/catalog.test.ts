import { describe, expect, it } from 'vitest'
import { checkExperiment, experimentCatalog, fieldDocs } from './catalog'
import { defaultExperiment, parseExperiment } from '../../simulators/experiment/validate'
import { trainingAlgorithms } from '../../simulators/training/algorithms/registry'
import { CORRUPTIONS } from '../../simulators/data/corruptions'
import { BUILTIN_MODEL_NAMES, getBuiltinModel } from '../../simulators/model/builtin'
import { ACCUMULATOR_BITS } from '../../simulators/core/accumulator'
import { TRAINABLE_ROUNDING_MODES } from '../../simulators/training/network/formats'
import { presets } from '../../simulators/hardware/profiles/library'
import type { LayerSpec } from '../../simulators/model/spec'
import type { HardwareProfile } from '../../simulators/hardware/profiles/profile'

describe('experimentCatalog', () => {
  const catalog = experimentCatalog()

  it('lists every registered algorithm with its hyperparameter docs and defaults', () => {
    expect(catalog.algorithms.map((a) => a.id)).toEqual([...trainingAlgorithms.keys()])
    for (const a of catalog.algorithms) {
      const reg = trainingAlgorithms.get(a.id)!
      expect(a.label).toBe(reg.label)
      expect(a.reference).toBe(reg.reference)
      expect(a.hyperparameters).toEqual(reg.hyperparameters)
      expect(a.defaults).toEqual(reg.defaults)
      expect(a.usesGradientFormat).toBe(reg.usesGradientFormat)
      for (const d of a.hyperparameters) expect(d.description.length).toBeGreaterThan(0)
    }
  })

  it('lists every corruption (and "none", which the validator accepts)', () => {
    const ids = catalog.corruptions.map((c) => c.id)
    expect(ids).toEqual(['none', ...CORRUPTIONS.keys()])
    for (const c of catalog.corruptions.slice(1)) expect(c).toEqual({ id: c.id, description: CORRUPTIONS.get(c.id)!.description, severity: CORRUPTIONS.get(c.id)!.severity })
    for (const id of ids) expect(checkExperiment({ data: { corruption: id } }).ok).toBe(true)
  })

  it('lists every built-in model with its input shape and the last layer’s units as classes', () => {
    expect(catalog.models.map((m) => m.id)).toEqual(BUILTIN_MODEL_NAMES)
    for (const m of catalog.models) {
      const spec = getBuiltinModel(m.id as (typeof BUILTIN_MODEL_NAMES)[number])
      const last = spec.layers.at(-1) as LayerSpec & { units: number }
      expect(m.inputShape).toEqual(spec.input.shape)
      expect(m.classes).toBe(last.units)
      expect(m.description).toBe(spec.description)
    }
    expect(catalog.models.find((m) => m.id === 'cnn-mnist')).toMatchObject({ inputShape: [28, 28, 1], classes: 10 })
  })

  it('offers exactly the datasets and formats the validator accepts', () => {
    // kws-espeak takes its own model and no image corruption (validate.ts kwsChecks)
    const own = (id: string) => (id === 'kws-espeak' ? { data: { dataset: id, corruption: 'none', shots: 8, pretrainPerClass: 64 }, model: 'dscnn-kws' } : { data: { dataset: id } })
    for (const d of catalog.datasets) expect(checkExperiment(own(d.id)).ok, d.id).toBe(true)
    expect(checkExperiment({ data: { dataset: 'cifar' } }).ok).toBe(false)
    expect(catalog.formats.accumulatorBits).toEqual(ACCUMULATOR_BITS)
    expect(catalog.formats.rounding).toEqual(TRAINABLE_ROUNDING_MODES)
    expect(catalog.formats.rounding).not.toContain('stochastic') // refused by validation: the form must not offer it
    const ok = (formats: object) => checkExperiment({ formats }).ok
    for (const v of catalog.formats.accumulatorOverflow) expect(ok({ accumulatorOverflow: v })).toBe(true)
    for (const v of catalog.formats.weightGranularity) expect(ok({ weightGranularity: v })).toBe(true)
    const { min, max } = catalog.formats.bits
    expect([ok({ weightBits: min }), ok({ weightBits: max }), ok({ weightBits: min - 1 }), ok({ weightBits: max + 1 })]).toEqual([true, true, false, false])
  })

  it('has the built-in default experiment as defaults, and is a fresh copy each call', () => {
    expect(catalog.defaults).toEqual(defaultExperiment())
    expect(catalog.defaults.runs.map((r) => r.algorithm)).toEqual(['backprop', 'zo-spsa'])
    catalog.defaults.steps = 1
    expect(experimentCatalog().defaults.steps).toBe(defaultExperiment().steps)
  })

  it('survives structured cloning (it crosses IPC)', () => {
    expect(structuredClone(catalog)).toEqual(catalog)
  })
})

/** Resolves `a.b[2].c` (`runs[]` = the first run) in `v`; whether every segment exists. */
function resolves(v: unknown, path: string): boolean {
  let cur = v
  for (const seg of path.replace(/\[\]/g, '[0]').split(/\.|(?=\[)/)) {
    const key = seg.startsWith('[') ? Number(seg.slice(1, -1)) : seg
    if (typeof cur !== 'object' || cur === null || !(key in cur)) return false
    cur = (cur as Record<string | number, unknown>)[key]
  }
  return true
}

describe('fieldDocs', () => {
  // Optional fields are absent from the default spec: set them (the validator rejects unknown fields, so a
  // clean parse proves they are real), then every documented path must resolve.
  const full = defaultExperiment()
  full.runs[0] = { ...full.runs[0], label: 'bp', steps: 10, scope: { kind: 'last', layers: 1 } }
  const parsed = parseExperiment(full)

  it('names only real fields of the spec', () => {
    expect(parsed.ok).toBe(true)
    const spec = parsed.ok ? parsed.spec : full
    for (const path of Object.keys(fieldDocs)) expect(resolves(spec, path), path).toBe(true)
    expect(resolves(spec, 'data.nope')).toBe(false)
  })

  it('documents every field the form shows, in one line', () => {
    const needed = ['data.dataset', 'data.corruption', 'data.severity', 'data.shots', 'data.testPerClass', 'data.pretrainPerClass', 'model', 'init',
      'pretrain.epochs', 'pretrain.batch', 'pretrain.lr', 'pretrain.momentum', ...Object.keys(defaultExperiment().formats).map((k) => `formats.${k}`),
      'batch', 'steps', 'evalEvery', 'seed', 'runs[].scope', 'runs[].steps', 'profiles', 'deviceFormats']
    for (const k of needed) expect(fieldDocs[k], k).toMatch(/\S/)
    for (const text of Object.values(fieldDocs)) expect(text).not.toMatch(/\n/)
  })
})

describe('checkExperiment', () => {
  it('accepts {} as the default experiment', () => {
    // without devices, each run of the spec trains once at the requested formats
    expect(checkExperiment({})).toEqual({ ok: true, spec: defaultExperiment(), plan: [expect.objectContaining({ index: 0, label: 'backprop', devices: [] }), expect.objectContaining({ index: 1, label: 'zo-spsa', devices: [] })] })
  })

  it('reports a bad field with its path', () => {
    const r = checkExperiment({ data: { shots: 0 } })
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.errors).toEqual([{ path: 'data.shots', message: expect.stringMatching(/at least 1/) }])
  })

  it('reports a bad hyperparameter with the run’s path', () => {
    const r = checkExperiment({ runs: [{ algorithm: 'backprop' }, { algorithm: 'zo-spsa', hyperparameters: { lrFraction: -1 } }] })
    expect(r.ok ? [] : r.errors.map((e) => e.path)).toEqual(['runs[1].hyperparameters.lrFraction'])
  })

  it('checks user profile ids as the profiles they stand for and keeps the ids', () => {
    const preset = [...presets().values()][0]
    const mine = { ...structuredClone(preset), id: 'my-board', name: 'My board' }
    expect(checkExperiment({ profiles: ['my-board'] }).ok).toBe(false)
    // the profile library's resolveRef, for a library holding `list`
    const library = (list: HardwareProfile[]) => (ref: string | Record<string, unknown>) => (typeof ref === 'string' ? (list.find((p) => p.id === ref) as unknown as Record<string, unknown>) ?? ref : ref)
    const r = checkExperiment({ profiles: [preset.id, 'my-board'] }, library([mine]))
    expect(r.ok && r.spec.profiles).toEqual([preset.id, 'my-board'])
    const broken = { ...mine, clockMHz: -1 }
    const bad = checkExperiment({ profiles: ['my-board'] }, library([broken]))
    expect(bad.ok ? [] : bad.errors.map((e) => e.path)).toEqual(['profiles[0].clockMHz'])
  })

  it('never throws on garbage', () => {
    for (const raw of [null, 3, 'x', [], { runs: 'x' }, { profiles: [1] }]) expect(() => checkExperiment(raw)).not.toThrow()
    expect(checkExperiment(3).ok).toBe(false)
  })
})
