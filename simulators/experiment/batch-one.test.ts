/**
 * Batch 1 (one image per step, the usual on-device setting) end to end: the validator accepts it and
 * rejects 0 naming the field, and both default algorithms are priced on every preset at batch 1, each
 * step on each device, with a reason wherever it cannot run. Synthetic digits: cost does not depend on pixels.
 */
import { describe, expect, it } from 'vitest'
import { parseExperiment } from './validate'
import { baseDataset, buildTask } from './task'
import { runOne, type RunEvent, type StepEvent } from './runner'
import { getBuiltinModel } from '../model/builtin'
import { buildGraph } from '../model/graph'
import { initParams } from '../training/float/float-network'
import { presets } from '../hardware/profiles/library'
import { profilesOf } from './plan'

const small = { data: { dataset: 'synthetic', pretrainPerClass: 4, shots: 4, testPerClass: 2, corruption: 'none' }, init: 'scratch', steps: 2, evalEvery: 2 }

describe('batch 1', () => {
  it('is accepted by the validator; 0 is rejected naming the field', () => {
    const ok = parseExperiment({ ...small, batch: 1 })
    expect(ok.ok && ok.spec.batch).toBe(1)
    const bad = parseExperiment({ ...small, batch: 0 })
    expect(bad.ok).toBe(false)
    if (!bad.ok) expect(bad.errors.map((e) => e.path)).toContain('batch')
  })

  it('is priced on every preset, every step, with a reason where it cannot run', () => {
    const ids = [...presets().keys()]
    const r = parseExperiment({ ...small, batch: 1, profiles: ids })
    if (!r.ok) throw new Error(JSON.stringify(r.errors))
    const graph = buildGraph(getBuiltinModel('cnn-mnist'))
    const task = buildTask(r.spec, baseDataset(r.spec, undefined))
    const params = initParams(graph, r.spec.seed)
    const events: RunEvent[] = []
    const sums = r.plan.map((run) => runOne({ spec: r.spec, run, graph, params, task, profiles: profilesOf(run, r.profiles) }, (e) => events.push(e)))
    // the plan may split a run by device formats ("nearest"): together its parts cover every preset
    expect(new Set(r.plan.flatMap((run) => run.devices.map((d) => `${r.spec.runs[run.specRun].algorithm}@${d.profile}`))).size).toBe(r.spec.runs.length * ids.length)
    sums.forEach((s, run) => {
      const mine = profilesOf(r.plan[run], r.profiles).map((p) => p.id)
      const steps = events.filter((e): e is StepEvent => e.type === 'step' && e.run === run)
      expect(steps).toHaveLength(2)
      for (const e of steps) {
        expect(e.costs.map((c) => c.profile)).toEqual(mine)
        for (const c of e.costs) expect(c.cycles > 0 && Number.isFinite(c.seconds) && Number.isFinite(c.energyUj)).toBe(true)
      }
      expect(s.profiles.map((p) => p.profile)).toEqual(mine)
      for (const p of s.profiles) {
        expect(p.totals.seconds).toBeGreaterThan(0)
        if (!p.feasible) expect(p.reasons.length).toBeGreaterThan(0)
      }
      expect(s.peakBytes).toBeGreaterThan(0)
    })
  })
})
