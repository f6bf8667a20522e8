import { describe, expect, it } from 'vitest'
import { parseExperiment } from './validate'
import { baseDataset, buildTask } from './task'
import { pretrain } from './pretrain'
import type { RunInput } from './runner'
import { getBuiltinModel } from '../model/builtin'
import { buildGraph } from '../model/graph'
import { TINY_EXPERIMENT } from './tiny-experiment'
import { landscapeStudy, snapshotSteps } from './landscape-study'

describe('landscape study of a backprop and a zeroth-order run', () => {
  const parsed = parseExperiment({ ...TINY_EXPERIMENT, steps: 6, evalEvery: 6 })
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors))
  const { spec, plan } = parsed
  const graph = buildGraph(getBuiltinModel('dscnn-mnist'))
  const task = buildTask(spec, baseDataset(spec, undefined))
  const params = pretrain(graph, task.source, spec.pretrain, spec.seed)
  const input = (k: number): RunInput => ({ spec, run: plan[k], graph, params, task, profiles: [] })
  const inputs: [RunInput, RunInput] = [input(0), input(1)]
  const grid = { aRange: [0, 1] as [number, number], bRange: [0, 1] as [number, number], aPoints: 2, bPoints: 2 }

  it('with update directions each run ends at (1, 0) resp. (0, 1), where the slice loss is that of the recorded weights', () => {
    const seen: string[] = []
    const s = landscapeStudy({ runs: inputs, directions: 'updates', grid, evalSamples: 16, snapshots: 3 }, (p) => seen.push(p.phase))
    expect(seen).toContain('slice')
    const [bp, zo] = s.trajectories
    expect(bp.algorithm).toBe('backprop')
    expect(zo.algorithm).toBe('zo-spsa')
    expect(bp.points.map((p) => p.step)).toEqual([0, 2, 4, 6])
    for (const t of [bp, zo]) expect(t.points[0]).toMatchObject({ step: 0, a: 0, b: 0 })
    const endBp = bp.points[3]
    const endZo = zo.points[3]
    expect(endBp.a).toBeCloseTo(1, 9); expect(endBp.b).toBeCloseTo(0, 9)
    expect(endZo.a).toBeCloseTo(0, 9); expect(endZo.b).toBeCloseTo(1, 9)
    // the grid's corners (0,0), (1,0), (0,1) are w0 and the two end points, reached by requantizing
    // w0 + a·d1 + b·d2: their losses equal those of the recorded codes
    expect(s.slice.a).toEqual([0, 1])
    expect(s.slice.loss[0][0]).toBe(bp.points[0].loss)
    expect(s.slice.loss[0][1]).toBe(endBp.loss)
    expect(s.slice.loss[1][0]).toBe(endZo.loss)
    expect(zo.points[0].loss).toBe(bp.points[0].loss)
  })

  it('spaces snapshots evenly and rejects bad settings naming the field', () => {
    expect(snapshotSteps(12, 4)).toEqual(new Set([3, 6, 9, 12]))
    expect(() => landscapeStudy({ runs: inputs, directions: 'updates', grid, evalSamples: 0, snapshots: 3 })).toThrow(/evalSamples/)
    expect(() => landscapeStudy({ runs: inputs, directions: 'updates', grid, evalSamples: 8, snapshots: 33 })).toThrow(/snapshots.*\[1, 32\]/)
    expect(() => landscapeStudy({ runs: inputs, directions: 'sideways' as 'random', grid, evalSamples: 8, snapshots: 2 })).toThrow(/directions/)
  })
})
