import { describe, expect, it } from 'vitest'
import { ExperimentData } from '../../model/experiment-data'
import { syntheticPushes, syntheticRecord, syntheticSteps } from '../../model/experiment-data.testing'
import { headerView, infeasibleCallouts, stageText, summaryRows } from './dashboard-view'
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
    d.apply({ id: d.id, seq: 1, stage: 'preparing', pretrain: { cached: false, progress: { epoch: 2, loss: 0.41234, accuracy: 0.913 } }, runs: [] })
    expect(stageText(d)).toBe('Pretraining the source model: epoch 2, loss 0.412, accuracy 91.3 %')
    d.apply({ id: d.id, seq: 2, pretrain: { cached: true }, runs: [] })
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

describe('summary rows', () => {
  it('has one row per (algorithm × device), live figures while running', () => {
    const record = syntheticRecord({ runs: 2, steps: 100, evalEvery: 20 })
    const d = fed({ runs: 2, steps: 100, evalEvery: 20 }, 25, 60)
    const rows = summaryRows(d)
    expect(rows.map((r) => r.key)).toEqual(['0-test-mcu', '0-test-npu', '0-tiny-mcu', '1-test-mcu', '1-test-npu', '1-tiny-mcu'])
    expect(rows.map((r) => r.span)).toEqual([3, 0, 0, 3, 0, 0])
    const npu = rows[1]
    const steps = syntheticSteps(record, 0, 60)
    const seconds = steps.reduce((a, e) => a + e.costs[1].seconds, 0)
    expect(npu).toMatchObject({ device: 'Test NPU', stepsDone: 60, totalSteps: 100, final: false, secondsTotal: seconds, sramHas: 512 * 1024, feasible: true })
    expect(npu.secondsPerStep).toBeCloseTo(seconds / 60, 15)
    expect(npu.sramNeeded).toBe(Math.max(...steps.map((e) => e.costs[1].sramBytes)))
    expect(npu.zeroShot).toBe(d.run(0).evals[0].accuracy)
    expect(npu.latest).toBe(d.run(0).evals.at(-1)!.accuracy)
    expect(npu.best).toBe(Math.max(...d.run(0).evals.map((e) => e.accuracy)))
    expect(npu.wallStepsPerSecond).toBeUndefined()
    expect(rows[2].feasible).toBe(false)
  })

  it('takes the summary\'s figures once a run finished', () => {
    const d = fed({ runs: 1, steps: 40 })
    const [row] = summaryRows(d)
    const s = d.run(0).summary!
    expect(row).toMatchObject({ final: true, latest: s.finalAccuracy, best: s.bestAccuracy, zeroShot: s.zeroShotAccuracy, wallStepsPerSecond: 50, peakBytes: s.peakBytes })
    expect(row.energyTotalUj).toBe(s.profiles[0].totals.energyUj.total)
    // the summary is the authority even where it would differ from the streamed steps
    s.profiles[0].totals.seconds = 123
    expect(summaryRows(d)[0]).toMatchObject({ secondsTotal: 123, secondsPerStep: 123 / 40 })
  })

  it('has one row per algorithm and no device figures without devices', () => {
    const rows = summaryRows(fed({ runs: 2, steps: 30, profiles: [] }))
    expect(rows.map((r) => [r.key, r.span, r.device, r.secondsTotal])).toEqual([['0-none', 1, undefined, undefined], ['1-none', 1, undefined, undefined]])
  })

  it('explains every infeasible (algorithm × device)', () => {
    const d = fed({ runs: 2, steps: 30 }, 10, 10)
    const c = infeasibleCallouts(d)
    expect(c.map((x) => `${x.run}-${x.profileId}`)).toEqual(['0-tiny-mcu'])
    expect(c[0].reasons[0]).toMatch(/needs \d+ KiB of SRAM, has 64 KiB/)
    d.apply({ id: d.id, seq: d.seq + 1, runs: [{ run: 1, feasibility: [{ type: 'feasibility', run: 1, profile: 'test-npu', feasible: false, reasons: [{ kind: 'formats', text: 'test-npu cannot do 16-bit gradients' }] }] }] })
    expect(infeasibleCallouts(d).map((x) => [x.run, x.profileId, x.reasons])).toContainEqual([1, 'test-npu', ['test-npu cannot do 16-bit gradients']])
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
