import { describe, expect, it } from 'vitest'
import { ExperimentData } from './experiment-data'
import { syntheticPushes, syntheticRecord, syntheticStep, syntheticSteps } from './experiment-data.testing'
import { column, packSteps, stepColumns } from '../../../workers/run-stream'
import { MEMORY_CATEGORIES } from '../../../simulators/core/memory-categories'
import type { ExperimentRecord, ExperimentUpdate } from '../api/bridge'

function fed(record: ExperimentRecord, chunk: number, upTo?: number): ExperimentData {
  const d = ExperimentData.fromRecord(record)
  for (const u of syntheticPushes(record, chunk, upTo)) d.apply(u)
  return d
}

/** The next push for `d` (its seq after the last one applied). */
const next = (d: ExperimentData, runs: ExperimentUpdate['runs']): ExperimentUpdate => ({ id: d.id, seq: d.seq + 1, runs })

/** Folds pushes into one update per run, as getExperiment returns them (steps concatenated, events in order). */
function accumulated(record: ExperimentRecord, pushes: ExperimentUpdate[], seq = pushes.at(-1)?.seq ?? 0): ExperimentRecord {
  const ids = record.profiles.map((p) => p.id)
  const runs = record.spec.runs.map((_, run) => {
    const mine = pushes.flatMap((u) => u.runs.filter((p) => p.run === run))
    const sent = new Set(mine.flatMap((p) => (p.steps ? Array.from(column(p.steps, 'step')) : [])))
    const steps = syntheticSteps(record, run).filter((e) => sent.has(e.step))
    const last = <K extends keyof (typeof mine)[number]>(k: K) => mine.filter((p) => p[k] !== undefined).at(-1)?.[k]
    return {
      run, status: last('status'), start: last('start'), summary: last('summary'),
      feasibility: mine.flatMap((p) => p.feasibility ?? []), evals: mine.flatMap((p) => p.evals ?? []),
      steps: packSteps(run, steps, ids),
    }
  })
  return { ...record, update: { id: record.meta.id, seq, stage: 'running', runs } }
}

describe('ExperimentData', () => {
  it('starts with one queued run per spec run, labelled as the runner labels them', () => {
    const d = ExperimentData.fromRecord(syntheticRecord({ runs: 2 }))
    expect(d.runs.map((p) => [p.label, p.status, p.totalSteps, p.rows])).toEqual([['backprop', 'queued', 100, 0], ['zo-spsa', 'queued', 100, 0]])
    expect(d.column(0, 'loss')).toHaveLength(0)
    expect(d.cumulative(0, 'test-mcu/seconds')).toHaveLength(0)
    expect(d.version).toBe(1)
  })

  it('appends batches column by column, across capacity doublings', () => {
    // 1000 rows in batches of 37 cross the 256, 512 and 1024-row capacities at odd offsets
    const record = syntheticRecord({ runs: 2, steps: 1000, evalEvery: 100 })
    const d = fed(record, 37)
    const steps = syntheticSteps(record, 1)
    expect(d.run(1).rows).toBe(1000)
    expect(Array.from(d.column(1, 'step'))).toEqual(steps.map((e) => e.step))
    expect(Array.from(d.column(1, 'loss'))).toEqual(steps.map((e) => e.loss))
    expect(Array.from(d.column(1, 'memory/scratch'))).toEqual(steps.map((e) => e.memory.scratch))
    expect(Array.from(d.column(1, 'test-npu/cycles/backward'))).toEqual(steps.map((e) => e.costs[1].phaseCycles.backward))
    expect(Array.from(d.column(0, 'tiny-mcu/feasible'))).toEqual(syntheticSteps(record, 0).map((e) => (e.costs[2].feasible ? 1 : 0)))
    expect(() => d.column(0, 'nope')).toThrow(/no step column "nope"/)
  })

  it('keeps running sums equal to a plain reduce, extended as batches arrive', () => {
    const record = syntheticRecord({ runs: 2, steps: 700, evalEvery: 50 })
    const d = ExperimentData.fromRecord(record)
    const pushes = syntheticPushes(record, 61)
    const events = syntheticSteps(record, 0)
    for (const u of pushes) {
      d.apply(u)
      // ask every time, so the sum is extended piecewise rather than built once at the end
      const rows = d.run(0).rows
      const sums = d.cumulative(0, 'test-mcu/seconds')
      expect(sums).toHaveLength(rows)
      let acc = 0
      for (let r = 0; r < rows; r++) {
        acc += events[r].costs[0].seconds
        if (sums[r] !== acc) throw new Error(`row ${r}: ${sums[r]} != ${acc}`)
      }
    }
    const energy = events.reduce((a, e) => a + e.costs[1].energyUj, 0)
    expect(d.run(0).total('test-npu/energyUj')).toBe(energy)
    expect(d.totals(0).profiles['test-npu'].energyUj).toBe(energy)
    expect(d.totals(0).profiles['test-mcu'].phaseCycles.forward).toBe(events.reduce((a, e) => a + e.costs[0].phaseCycles.forward, 0))
    expect(d.totals(0).profiles['tiny-mcu'].sramBytes).toBe(Math.max(...events.map((e) => e.costs[2].sramBytes)))
  })

  it('gives an eval step its running sum (0 for the zero-shot eval)', () => {
    const record = syntheticRecord({ runs: 1, steps: 300 })
    const d = fed(record, 50)
    const events = syntheticSteps(record, 0)
    const upTo = (s: number) => events.slice(0, s).reduce((a, e) => a + e.costs[0].seconds, 0)
    expect(d.run(0).cumulativeAt('test-mcu/seconds', 0)).toBe(0)
    expect(d.run(0).cumulativeAt('test-mcu/seconds', 120)).toBe(upTo(120))
    expect(d.run(0).cumulativeAt('test-mcu/seconds', 300)).toBe(upTo(300))
    expect(d.run(0).cumulativeAt('test-mcu/seconds', 1000)).toBe(upTo(300))
  })

  it('tracks the peak step and its breakdown, then takes the summary\'s', () => {
    const record = syntheticRecord({ runs: 1, steps: 200 })
    const d = fed(record, 40, 150)
    const events = syntheticSteps(record, 0, 150)
    let peak = events[0]
    for (const e of events) if (e.peakBytes > peak.peakBytes) peak = e
    expect(d.peakMemory(0)).toEqual({ step: peak.step, bytes: peak.peakBytes, breakdown: peak.memory })
    const done = fed(record, 40)
    const summary = done.run(0).summary!
    expect(done.peakMemory(0)?.bytes).toBe(summary.peakBytes)
    expect(done.peakMemory(0)?.breakdown).toEqual(summary.peakMemory)
    expect(Object.keys(done.peakMemory(0)!.breakdown)).toEqual([...MEMORY_CATEGORIES])
  })

  it('records status, start, feasibility (latest wins), evals and summary', () => {
    const record = syntheticRecord({ runs: 2, steps: 100, evalEvery: 25 })
    const d = fed(record, 30)
    const p = d.run(0)
    expect(p.status).toBe('finished')
    expect(p.evals.map((e) => e.step)).toEqual([0, 25, 50, 75, 100])
    expect(p.summary?.steps).toBe(100)
    expect(p.verdict('tiny-mcu')).toMatchObject({ feasible: false })
    expect(p.verdict('tiny-mcu')!.reasons[0].text).toMatch(/needs \d+ KiB of SRAM, has 64 KiB/)
    d.apply(next(d, [{ run: 1, feasibility: [{ type: 'feasibility', run: 1, profile: 'test-mcu', feasible: false, reasons: [{ kind: 'memory', text: 'first' }] }] }]))
    d.apply(next(d, [{ run: 1, feasibility: [{ type: 'feasibility', run: 1, profile: 'test-mcu', feasible: false, reasons: [{ kind: 'memory', text: 'first' }, { kind: 'formats', text: 'second' }] }] }]))
    expect(d.run(1).feasibility.get('test-mcu')?.reasons.map((r) => r.text)).toEqual(['first', 'second'])
    d.apply(next(d, [{ run: 1, status: 'failed', error: 'worker crashed' }]))
    expect([d.run(1).status, d.run(1).error]).toEqual(['failed', 'worker crashed'])
  })

  it('counts versions and ignores another run\'s updates and pushes it already has', () => {
    const record = syntheticRecord({ runs: 1, steps: 20 })
    const d = ExperimentData.fromRecord(record)
    const pushes = syntheticPushes(record, 5)
    pushes.forEach((u) => expect(d.apply(u)).toBe(true))
    expect(d.version).toBe(1 + pushes.length)
    expect(d.seq).toBe(pushes.length)
    expect(d.apply({ id: 'other', seq: 99, runs: [{ run: 0, status: 'failed' }] })).toBe(false)
    expect(d.apply({ ...pushes[2], runs: [{ run: 0, status: 'failed' }] })).toBe(false)
    expect(d.apply({ ...pushes.at(-1)!, runs: [{ run: 0, status: 'failed' }] })).toBe(false)
    expect(d.version).toBe(1 + pushes.length)
    expect(d.run(0).status).toBe('finished')
    expect(d.run(0).rows).toBe(20)
  })

  it('merges pretraining progress, stage and meta', () => {
    const d = ExperimentData.fromRecord(syntheticRecord({ runs: 1 }))
    d.apply({ ...next(d, []), stage: 'preparing', pretrain: { cached: false, progress: { epoch: 1, loss: 0.5, accuracy: 0.8 } } })
    d.apply({ ...next(d, []), pretrain: { cached: false, sourceAccuracy: 0.97, cleanTestAccuracy: 0.95 } })
    expect(d.pretrain).toEqual({ cached: false, progress: { epoch: 1, loss: 0.5, accuracy: 0.8 }, sourceAccuracy: 0.97, cleanTestAccuracy: 0.95 })
    d.apply({ ...next(d, []), stage: 'ended', meta: { ...d.meta, status: 'finished' } })
    expect([d.stage, d.meta.status]).toEqual(['ended', 'finished'])
  })

  it('takes the first of equal peaks, as the runner does', () => {
    const record = syntheticRecord({ runs: 1, steps: 3 })
    const [a, b, c] = syntheticSteps(record, 0)
    const tied = { ...b, memory: { ...a.memory, scratch: a.memory.scratch + 1, weights: a.memory.weights - 1 }, peakBytes: a.peakBytes }
    const low = { ...c, peakBytes: a.peakBytes - 1 }
    const d = ExperimentData.fromRecord(record)
    d.apply(next(d, [{ run: 0, steps: packSteps(0, [a, tied, low], record.profiles.map((p) => p.id)) }]))
    expect(d.peakMemory(0)).toEqual({ step: 1, bytes: a.peakBytes, breakdown: a.memory })
  })

  it('ends the same whether built from a record or fed the pushes', () => {
    const record = syntheticRecord({ runs: 2, steps: 333, evalEvery: 40 })
    const pushes = syntheticPushes(record, 29)
    const live = ExperimentData.fromRecord(record)
    pushes.forEach((u) => live.apply(u))
    // the record of a run half done, then every push (those it covers are dropped by their seq)
    const half = pushes.slice(0, 8)
    const resumed = ExperimentData.fromRecord(accumulated(record, half))
    pushes.forEach((u) => resumed.apply(u))
    // a record whose seq lags its data by one push: the repeated steps and evals are recognized by step
    const lagging = ExperimentData.fromRecord(accumulated(record, pushes.slice(0, 9), 7))
    pushes.slice(7).forEach((u) => lagging.apply(u))
    const whole = ExperimentData.fromRecord(accumulated(record, pushes))
    for (const d of [resumed, lagging, whole]) {
      for (const run of [0, 1]) {
        for (const name of stepColumns(record.profiles.map((p) => p.id))) expect(d.column(run, name), name).toEqual(live.column(run, name))
        expect(d.cumulative(run, 'test-npu/energyUj')).toEqual(live.cumulative(run, 'test-npu/energyUj'))
        expect(d.run(run).evals).toEqual(live.run(run).evals)
        expect(d.run(run).summary).toEqual(live.run(run).summary)
        expect(d.run(run).status).toBe(live.run(run).status)
        expect(d.totals(run)).toEqual(live.totals(run))
        expect(d.peakMemory(run)).toEqual(live.peakMemory(run))
      }
    }
  })

  it('refuses a batch with other columns, before changing anything', () => {
    const record = syntheticRecord({ runs: 1, steps: 20 })
    const d = fed(record, 5, 10)
    const before = Array.from(d.column(0, 'loss'))
    const v = d.version
    const fewer = packSteps(0, [syntheticStep(0, 11, record.profiles.slice(0, 2))], ['test-mcu', 'test-npu'])
    expect(() => d.apply(next(d, [{ run: 0, status: 'running' }, { run: 0, steps: fewer }])))
      .toThrow(/run 0: step columns differ .*missing tiny-mcu\/cycles/)
    const swapped = packSteps(0, [syntheticStep(0, 11, record.profiles)], record.profiles.map((p) => p.id))
    swapped.columns = [...swapped.columns]
    ;[swapped.columns[1], swapped.columns[2]] = [swapped.columns[2], swapped.columns[1]]
    expect(() => d.apply(next(d, [{ run: 0, steps: swapped }]))).toThrow(/another order/)
    expect(Array.from(d.column(0, 'loss'))).toEqual(before)
    expect(d.version).toBe(v)
  })
})
