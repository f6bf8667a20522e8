import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseSweep, shardOf } from './trials'
import { DEFAULT_SWEEP } from './spec'
import { type TrialRow } from './results'
import { rowsToCsv } from './analysis'
import { failures, selectDevices } from './select'
import { paretoFront, heatCells } from './analysis'
import { getPreset } from '../hardware/profiles/library'

const ok = (raw: unknown) => {
  const r = parseSweep(raw)
  if (!r.ok) throw new Error(JSON.stringify(r.errors))
  return r
}
const errorsOf = (raw: unknown) => {
  const r = parseSweep(raw)
  return r.ok ? [] : r.errors
}

describe('sweep spec', () => {
  it('the default sweep: 8 devices (2 NPUs, 2 DSPs, 4 MCUs) × 3 settings × 2 algorithms, every device at formats it runs, trainings shared', () => {
    const s = ok(DEFAULT_SWEEP)
    expect(s.profiles.map((p) => p.class).sort()).toEqual(['dsp', 'dsp', 'mcu', 'mcu', 'mcu', 'mcu', 'npu', 'npu'])
    expect(s.trials).toHaveLength(6)
    for (const t of s.trials) expect(t.devices.map((d) => d.profile)).toEqual(s.profiles.map((p) => p.id))
    // W16A8 on the NPUs trains what W8A8 trains: 4 distinct formats per algorithm, not 6 × devices
    expect(s.trainings).toHaveLength(8)
    expect(new Set(s.trainings.map((t) => t.key)).size).toBe(8)
    const npuAtW16 = s.trials.find((t) => t.formats.weightBits === 16 && t.formats.activationBits === 8 && t.run.algorithm === 'backprop')!.devices.find((d) => d.profile === 'alif-e7-hp')!
    const w8 = s.trials.find((t) => t.formats.weightBits === 8 && t.run.algorithm === 'backprop')!.devices.find((d) => d.profile === 'alif-e7-hp')!
    expect(npuAtW16.training).toBe(w8.training)
    expect(npuAtW16.changes.map((c) => c.text)).toEqual([expect.stringMatching(/^16-bit weights → 8-bit/)])
  })

  it('grids, hyperparameter grids and seeds multiply; a sample is a seeded, repeatable subset', () => {
    const raw = { devices: ['nrf52840'], grid: { weightBits: [4, 8, 16], activationBits: [8, 16] }, runs: [{ algorithm: 'zo-spsa' }], hyperparameterGrid: { 'zo-spsa': { lrFraction: [0.004, 0.008] } }, seeds: [1, 2] }
    const full = ok(raw)
    expect(full.trials).toHaveLength(3 * 2 * 2 * 2)
    expect(full.trials[0].label).toBe('zo-spsa (lrFraction 0.004)')
    const a = ok({ ...raw, sample: { count: 5, seed: 3 } })
    const b = ok({ ...raw, sample: { count: 5, seed: 3 } })
    expect(a.trials.map((t) => [t.formats.weightBits, t.formats.activationBits, t.run.hyperparameters, t.seed])).toEqual(b.trials.map((t) => [t.formats.weightBits, t.formats.activationBits, t.run.hyperparameters, t.seed]))
    expect(a.trials).toHaveLength(5)
    const keys = new Set(full.trials.map((t) => JSON.stringify([t.formats, t.run.hyperparameters, t.seed])))
    for (const t of a.trials) expect(keys.has(JSON.stringify([t.formats, t.run.hyperparameters, t.seed]))).toBe(true)
    expect(ok({ ...raw, sample: { count: 5, seed: 4 } }).trials.map((t) => t.seed)).not.toEqual(a.trials.map((t) => t.seed))
  })

  it('errors name the field', () => {
    expect(errorsOf({})).toEqual([{ path: 'devices', message: 'is required' }])
    expect(errorsOf({ devices: ['nrf52840', 'no-such-chip'] })[0]).toMatchObject({ path: 'devices[1]', message: expect.stringMatching(/unknown hardware profile "no-such-chip"/) })
    expect(errorsOf({ devices: ['nrf52840'], formats: [{ weightBits: 99 }] })[0]).toMatchObject({ path: 'formats[0].weightBits' })
    expect(errorsOf({ devices: ['nrf52840'], experiment: { steps: -1 } })[0]).toMatchObject({ path: 'experiment.steps' })
    expect(errorsOf({ devices: ['nrf52840'], hyperparameterGrid: { 'zo-spsa': { lrFraction: [-1] } } })[0]).toMatchObject({ path: 'hyperparameterGrid.zo-spsa' })
    expect(errorsOf({ devices: ['nrf52840'], hyperparameterGrid: { tpsgd: { localLr: [0.1] } } })[0]).toMatchObject({ path: 'hyperparameterGrid.tpsgd', message: expect.stringMatching(/no run uses/) })
    expect(errorsOf({ devices: ['nrf52840'], grid: { weightBits: Array.from({ length: 31 }, (_, i) => i + 2), activationBits: Array.from({ length: 31 }, (_, i) => i + 2), rounding: ['half-away', 'half-even', 'floor', 'stochastic'] }, seeds: Array.from({ length: 40 }, (_, i) => i) })[0]).toMatchObject({ path: 'grid', message: expect.stringMatching(/more than 100000/) })
    expect(errorsOf({ devices: ['nrf52840'], constructor: 1 })[0]).toMatchObject({ path: 'constructor', message: expect.stringMatching(/unknown field/) })
  })

  it('never throws, whatever the JSON (hostile keys included)', () => {
    const key = fc.oneof(fc.constantFrom('constructor', '__proto__', 'toString', 'devices', 'formats', 'grid', 'runs', 'seeds', 'sample', 'experiment', 'hyperparameterGrid', 'constraints'), fc.string())
    const json = fc.letrec((tie) => ({ v: fc.oneof({ depthSize: 'small' }, fc.jsonValue(), fc.array(tie('v'), { maxLength: 4 }), fc.dictionary(key, tie('v'), { maxKeys: 5 })) })).v
    fc.assert(fc.property(json, (raw) => { parseSweep(raw) }), { numRuns: 300 })
    fc.assert(fc.property(fc.dictionary(key, json, { maxKeys: 6 }), (raw) => { parseSweep({ devices: ['nrf52840'], ...raw }) }), { numRuns: 300 })
  })

  it('shards partition the trainings', () => {
    const s = ok(DEFAULT_SWEEP)
    for (const n of [1, 2, 3, 8, 13]) {
      const parts = Array.from({ length: n }, (_, i) => shardOf(s.trainings, i, n).map((t) => t.index))
      expect(parts.flat().sort((a, b) => a - b)).toEqual(s.trainings.map((t) => t.index))
    }
    expect(() => shardOf(s.trainings, 2, 2)).toThrow(/shard/)
  })
})

/** A row with plausible figures; `over` overrides fields. */
function row(over: Partial<TrialRow>): TrialRow {
  const f = { weightBits: 8, activationBits: 8, gradientBits: 16, accumulatorBits: 32, accumulatorOverflow: 'saturate', weightGranularity: 'per-channel', rounding: 'half-away' } as TrialRow['formats']
  return {
    trial: 0, training: 0, device: 'nrf52840', deviceName: 'nRF52840', deviceClass: 'mcu', label: 'backprop', algorithm: 'backprop', seed: 1,
    requested: f, formats: f, changes: [], feasible: true, reasons: [], zeroShotAccuracy: 0.55, finalAccuracy: 0.8, bestAccuracy: 0.8,
    gain: 0.25, spread: 0.06, verdict: 'learned', warnings: [], steps: 150, sramDemandBytes: 200 * 1024, sramCapacityBytes: 256 * 1024,
    secondsPerStep: 0.01, energyUjPerStep: 100, secondsPerAdaptation: 1.5, energyUjPerAdaptation: 15000, ...over,
  }
}
const dev = (id: string) => ({ id, formats: getPreset(id).formats })

describe('device selection', () => {
  const C = { mustFit: true, rankBy: 'energy' as const, minAccuracy: 0.7 }

  it('says which constraint failed and by how much', () => {
    const tooBig = row({ feasible: false, reasons: [{ kind: 'memory', text: 'needs 385 KiB of SRAM, has 256 KiB; …' }], sramDemandBytes: 385 * 1024, sramCapacityBytes: 256 * 1024 })
    expect(failures(tooBig, C, dev('nrf52840')).map((f) => f.text)).toEqual(['needs 385 KiB of SRAM, has 256 KiB: 129 KiB over'])
    expect(failures(row({ finalAccuracy: 0.552 }), C, dev('nrf52840')).map((f) => f.text)).toEqual(['accuracy 55.2 %, at least 70.0 %: 14.8 points short'])
    expect(failures(row({ energyUjPerStep: 2100 }), { ...C, maxEnergyUjPerStep: 1000 }, dev('nrf52840')).map((f) => f.text)).toEqual(['energy per step 2.10 mJ, at most 1.00 mJ: 1.10 mJ over'])
    expect(failures(row({}), { ...C, requiredFormats: { weightBits: 4 } }, dev('nrf52840')).map((f) => f.text)).toEqual(['does not run 4-bit weights (runs 8/16)'])
  })

  it('ranks the passing devices by the chosen figure and keeps each one\'s best configuration', () => {
    const rows = [
      row({ device: 'nrf52840', energyUjPerAdaptation: 9000, trial: 0 }),
      row({ device: 'nrf52840', energyUjPerAdaptation: 5000, finalAccuracy: 0.65, trial: 1 }), // fails accuracy
      row({ device: 'esp32-s3', deviceName: 'ESP32-S3', energyUjPerAdaptation: 7000, trial: 2 }),
      row({ device: 'rp2040', deviceName: 'RP2040', feasible: false, reasons: [{ kind: 'memory', text: 'x' }], sramDemandBytes: 300 * 1024, sramCapacityBytes: 264 * 1024, trial: 3 }),
      row({ device: 'rp2040', deviceName: 'RP2040', finalAccuracy: 0.6, trial: 4 }),
    ]
    const s = selectDevices(rows, C, [dev('nrf52840'), dev('esp32-s3'), dev('rp2040')])
    expect(s.ranked.map((v) => [v.device, v.row.trial])).toEqual([['esp32-s3', 2], ['nrf52840', 0]])
    // its nearest miss: 300 KiB of 264 (13.6 % over) is nearer than 60 % of 70 (14.3 % short)
    expect(s.rejected.map((v) => [v.device, v.row.trial, v.failures.length])).toEqual([['rp2040', 3, 1]])
    const byAccuracy = selectDevices(rows, { ...C, rankBy: 'accuracy' }, [dev('nrf52840'), dev('esp32-s3')])
    expect(byAccuracy.ranked.map((v) => v.device)).toEqual(['esp32-s3', 'nrf52840']) // equal accuracy: less energy first
  })
})

describe('trade-off arithmetic', () => {
  it('the Pareto front equals the brute-force set of non-dominated points', () => {
    const pts = fc.array(fc.record({ x: fc.integer({ min: 0, max: 20 }), y: fc.integer({ min: 0, max: 20 }) }), { maxLength: 40 })
    fc.assert(fc.property(pts, fc.boolean(), fc.boolean(), (p, mx, my) => {
      const sx = mx ? -1 : 1, sy = my ? -1 : 1
      const dominated = (i: number) => p.some((q, j) => j !== i && sx * q.x <= sx * p[i].x && sy * q.y <= sy * p[i].y && (q.x !== p[i].x || q.y !== p[i].y))
      const brute = new Set(p.map((_, i) => i).filter((i) => !dominated(i)))
      expect([...paretoFront(p, mx, my)].sort((a, b) => a - b)).toEqual([...brute].sort((a, b) => a - b))
    }), { numRuns: 500 })
  })

  it('heat cells average what falls in them', () => {
    expect(heatCells([{ w: 8, a: 8, v: 0.5 }, { w: 8, a: 8, v: 0.7 }, { w: 16, a: 8, v: 0.9 }], (t) => t.w, (t) => t.a, (t) => t.v)).toEqual([{ x: 8, y: 8, value: 0.6, count: 2 }, { x: 16, y: 8, value: 0.9, count: 1 }])
  })

  it('CSV quotes what needs quoting and keeps full precision', () => {
    const csv = rowsToCsv([row({ label: 'a "b", c', energyUjPerStep: 1 / 3 })])
    const [head, line] = csv.trim().split('\r\n')
    expect(head.split(',')).toContain('energy_uj_per_step')
    expect(line).toContain('"a ""b"", c"')
    expect(line).toContain(String(1 / 3))
  })
})
