import { describe, expect, it } from 'vitest'
import { ExperimentData } from '../../model/experiment-data'
import { syntheticPushes, syntheticRecord, syntheticSteps } from '../../model/experiment-data.testing'
import { blockerGroups, entryRows, formatChanges, headerView, healthNotes, rankedDevices, runRows, sortRows, stageText, type EntryRow } from './dashboard-view'
import { compareDevices, compareRows, formatsText } from '../history/compare-view'
import { compact, energyUj, kib, pct, seconds } from '../../charts/format'

function fed(opts: Parameters<typeof syntheticRecord>[0], chunk = 25, upTo?: number): ExperimentData {
  const record = syntheticRecord(opts)
  const d = ExperimentData.fromRecord(record)
  for (const u of syntheticPushes(record, chunk, upTo)) d.apply(u)
  return d
}

describe('header', () => {
  it('says what the preparing stage is doing', () => {
    const d = ExperimentData.fromRecord(syntheticRecord({ runs: 1 }))
    d.apply({ id: d.id, seq: 1, stage: 'queued', runs: [] })
    expect(stageText(d)).toMatch(/^Queued: waiting for a free worker/)
    d.apply({ id: d.id, seq: 2, stage: 'preparing', pretrain: { cached: false, progress: { epoch: 2, loss: 0.41234, accuracy: 0.913 } }, runs: [] })
    expect(stageText(d)).toBe('Pretraining the source model: epoch 2, loss 0.412, accuracy 91.3 %')
    d.apply({ id: d.id, seq: 3, pretrain: { cached: true }, runs: [] })
    expect(stageText(d)).toBe('Preparing: using cached pretrained weights')
  })

  it('gives each run its progress and error', () => {
    const d = fed({ runs: 2, steps: 100 }, 25, 50)
    d.apply({ id: d.id, seq: d.seq + 1, runs: [{ run: 1, status: 'failed', error: 'out of memory' }] })
    const h = headerView(d)
    expect(h.runs.map((p) => [p.run, p.label, p.status, p.done, p.total, p.error])).toEqual([
      [0, 'backprop', 'running', 50, 100, undefined], [1, 'zo-spsa', 'failed', 50, 100, 'out of memory'],
    ])
    expect(h.status).toBe('running')
    expect(stageText(d)).toMatch(/^Training: 1 of 2 runs in progress/)
  })
})

describe('ranked rows of (training × device)', () => {
  it('has one row per pair in the plan, live figures while running', () => {
    const record = syntheticRecord({ runs: 2, steps: 100, evalEvery: 20 })
    const d = fed({ runs: 2, steps: 100, evalEvery: 20 }, 25, 60)
    const rows = entryRows(d)
    expect(rows.map((r) => r.key)).toEqual(['0-test-mcu', '0-test-npu', '0-tiny-mcu', '1-test-mcu', '1-test-npu', '1-tiny-mcu'])
    const npu = rows[1]
    const steps = syntheticSteps(record, 0, 60)
    const seconds = steps.reduce((a, e) => a + e.costs[1].seconds, 0)
    expect(npu).toMatchObject({ device: 'Test NPU', stepsDone: 60, totalSteps: 100, final: false, secondsTotal: seconds, sramHas: 512 * 1024, feasible: true, changes: [], warnings: [] })
    expect(npu.secondsPerStep).toBeCloseTo(seconds / 60, 15)
    expect(npu.sramNeeded).toBe(Math.max(...steps.map((e) => e.costs[1].sramBytes)))
    expect(npu.zeroShot).toBe(d.run(0).evals[0].accuracy)
    expect(npu.latest).toBe(d.run(0).evals.at(-1)!.accuracy)
    expect(npu.learning).toBeUndefined() // known at the end only
    expect(rows[2].feasible).toBe(false)
    expect(rows[2].blockers[0]).toMatchObject({ kind: 'memory' })
  })

  it('lists only the devices each training is priced on', () => {
    const record = syntheticRecord({ runs: 2, steps: 30 })
    // run 1 trains at other formats for the NPU only, as a plan with 'nearest' formats would
    record.plan = [
      { ...record.plan[0], devices: record.plan[0].devices.filter((x) => x.profile !== 'test-npu') },
      { ...record.plan[0], index: 1, label: 'backprop · W8', formats: { ...record.plan[0].formats, weightBits: 8 }, devices: [{ profile: 'test-npu', changes: [{ field: 'weightBits', requested: 16, used: 8, text: '16-bit weights → 8-bit: Test NPU runs 8 only' }] }] },
    ]
    const d = ExperimentData.fromRecord(record)
    expect(entryRows(d).map((r) => r.key)).toEqual(['0-test-mcu', '0-tiny-mcu', '1-test-npu'])
    expect(entryRows(d)[2].changes[0].text).toMatch('Test NPU runs 8 only')
    expect(formatChanges(d)).toEqual([{ run: 1, label: 'backprop · W8', devices: [{ device: 'Test NPU', texts: ['16-bit weights → 8-bit: Test NPU runs 8 only'] }] }])
    expect(headerView(d).runs.map((r) => r.devices)).toEqual([2, 1])
  })

  it('takes the summary\'s figures once a run finished, with its learning verdict and warnings', () => {
    const d = fed({ runs: 1, steps: 40 })
    const [row] = entryRows(d)
    const s = d.run(0).summary!
    expect(row).toMatchObject({ final: true, latest: s.finalAccuracy, best: s.bestAccuracy, zeroShot: s.zeroShotAccuracy, learning: s.learning.verdict, gain: s.learning.gain })
    expect(row.energyTotalUj).toBe(s.profiles[0].totals.energyUj.total)
    // the summary is the authority even where it would differ from the streamed steps
    s.profiles[0].totals.seconds = 123
    s.health.warnings = ['layers[0] conv2d forward: 12 % of accumulations saturated']
    expect(entryRows(d)[0]).toMatchObject({ secondsTotal: 123, secondsPerStep: 123 / 40, warnings: s.health.warnings })
    expect(healthNotes(d)).toEqual([{ run: 0, label: 'backprop', warnings: s.health.warnings }])
  })

  it('has no device rows and one run row per training without devices', () => {
    const d = fed({ runs: 2, steps: 30, profiles: [] })
    expect(entryRows(d)).toEqual([])
    expect(runRows(d).map((r) => [r.run, r.label, r.stepsDone, r.final])).toEqual([[0, 'backprop', 30, true], [1, 'zo-spsa', 30, true]])
  })

  it('groups every pair that cannot run by the kind of its reason', () => {
    const d = fed({ runs: 2, steps: 30 }, 10, 10)
    const g = blockerGroups(d)
    expect(g.map((x) => [x.kind, x.items.map((i) => `${i.run}-${i.profileId}`)])).toEqual([['memory', ['0-tiny-mcu']]])
    expect(g[0].items[0].texts[0]).toMatch(/needs \d+ KiB of SRAM, has 64 KiB/)
    d.apply({ id: d.id, seq: d.seq + 1, runs: [{ run: 1, feasibility: [{ type: 'feasibility', run: 1, profile: 'test-npu', feasible: false, reasons: [{ kind: 'formats', text: 'test-npu cannot do 16-bit gradients' }] }] }] })
    expect(blockerGroups(d).map((x) => [x.kind, x.items.map((i) => [i.run, i.profileId, i.texts])])).toEqual([
      ['memory', [[0, 'tiny-mcu', [expect.stringMatching(/has 64 KiB/)]]]], ['formats', [[1, 'test-npu', ['test-npu cannot do 16-bit gradients']]]],
    ])
  })
})

describe('ranking and sorting', () => {
  const row = (key: string, o: Partial<EntryRow>): EntryRow => ({
    key, run: 0, label: 'backprop', status: 'finished', profileId: key, device: key, deviceFull: key, deviceClass: 'mcu', changes: [], blockers: [],
    final: true, warnings: [], stepsDone: 10, totalSteps: 10, sramHas: 1024, ...o,
  })
  const rows = [
    row('a', { feasible: false, latest: 0.9, energyPerStepUj: 1 }),
    row('b', { feasible: true, latest: 0.7, energyPerStepUj: 5 }),
    row('c', { feasible: true, latest: 0.7, energyPerStepUj: 2 }),
    row('d', { feasible: true, latest: 0.8, energyPerStepUj: 9 }),
    row('e', { latest: undefined }),
  ]
  const keys = (rs: EntryRow[]) => rs.map((r) => r.key).join('')

  it('ranks what runs first, then accuracy, then energy', () => {
    expect(keys(sortRows(rows, { key: 'rank', dir: 1 }))).toBe('dcbea')
    expect(rankedDevices(rows)).toEqual(['d', 'c', 'b', 'e', 'a'])
  })

  it('sorts by a column both ways, rows without the figure last either way', () => {
    expect(keys(sortRows(rows, { key: 'energy', dir: 1 }))).toBe('acbde')
    expect(keys(sortRows(rows, { key: 'energy', dir: -1 }))).toBe('dbcae')
    expect(keys(sortRows(rows, { key: 'accuracy', dir: -1 }))).toBe('adcbe')
    // ties keep the ranking: c before b (less energy)
    expect(keys(sortRows(rows, { key: 'accuracy', dir: 1 }))).toBe('cbdae')
    expect(keys(sortRows(rows, { key: 'device', dir: -1 }))).toBe('edcba')
  })
})

describe('run timing', () => {
  it('gives elapsed wall time and the time left at this pace, then the summary\'s', () => {
    const record = syntheticRecord({ runs: 1, steps: 100 })
    const d = ExperimentData.fromRecord(record)
    for (const u of syntheticPushes(record, 25, 40)) d.apply(u)
    const t = headerView(d).runs[0]
    expect(t.elapsed).toBeCloseTo(40 * 0.05, 12) // elapsedSeconds of step 40
    expect(t.left).toBeCloseTo((2 / 40) * 60, 12)
    const done = fed({ runs: 1, steps: 40 })
    expect(headerView(done).runs[0]).toMatchObject({ elapsed: done.run(0).summary!.wallSeconds, left: 0 })
  })
})

describe('compare rows', () => {
  it('lists every (experiment × algorithm) with the union of devices', () => {
    const a = fed({ runs: 2, steps: 30, id: 'a' })
    const b = fed({ runs: 1, steps: 30, id: 'b', profiles: syntheticRecord().profiles.slice(1) })
    expect(compareDevices([a, b]).map((x) => x.id)).toEqual(['test-mcu', 'test-npu', 'tiny-mcu'])
    const rows = compareRows([a, b])
    expect(rows.map((r) => [r.key, r.index, r.label])).toEqual([['0-a-0', 0, 'backprop'], ['1-a-1', 1, 'zo-spsa'], ['2-b-0', 2, 'backprop']])
    expect(rows[2].devices['test-mcu']).toBeUndefined()
    expect(rows[0].devices['tiny-mcu'].feasible).toBe(false)
    expect(rows[0].final).toBe(a.run(0).summary!.finalAccuracy)
    expect(formatsText(a, 0)).toBe('w16 a8 g16 acc32 saturate half-away') // the default formats
  })
})

describe('format', () => {
  it('writes units', () => {
    expect([pct(0.8342), pct(undefined), kib(394_240), kib(5 * 1024 + 100), seconds(0.0123), seconds(4.5678), seconds(150), seconds(2e-7)])
      .toEqual(['83.4 %', '—', '385 KiB', '5.1 KiB', '12.3 ms', '4.57 s', '2.5 min', '200 ns'])
    expect([energyUj(850), energyUj(12_400), energyUj(3.1e6), energyUj(0), compact(1_234_567), compact(950)]).toEqual(['850 µJ', '12.4 mJ', '3.1 J', '0 µJ', '1.23 M', '950'])
  })
})
