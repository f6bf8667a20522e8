// The landscape study through the worker pool the studio uses (in-process workers: same API object, same
// comlink-free call path as `--workers 0`): progress arrives as messages, the result equals a direct call.
import { performance } from 'node:perf_hooks'
import { describe, expect, it } from 'vitest'
import { createWorkerPool } from './pool'
import { inProcessSpawn } from './in-process-worker'
import { createWorkerApi } from './worker-api'
import { landscapeJob } from './jobs'
import { parseExperiment } from '../simulators/experiment/validate'
import { baseDataset, buildTask } from '../simulators/experiment/task'
import { pretrain } from '../simulators/experiment/pretrain'
import type { RunInput } from '../simulators/experiment/runner'
import { getBuiltinModel } from '../simulators/model/builtin'
import { buildGraph } from '../simulators/model/graph'
import { TINY_EXPERIMENT } from '../simulators/experiment/tiny-experiment'
import { landscapeStudy, type LandscapeStudyInput, type StudyProgress } from '../simulators/experiment/landscape-study'

describe('landscape job in the worker pool', () => {
  const parsed = parseExperiment({ ...TINY_EXPERIMENT, steps: 4, evalEvery: 4 })
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors))
  const { spec, plan } = parsed
  const graph = buildGraph(getBuiltinModel('dscnn-mnist'))
  const task = buildTask(spec, baseDataset(spec, undefined))
  const params = pretrain(graph, task.source, spec.pretrain, spec.seed)
  const input = (k: number): RunInput => ({ spec, run: plan[k], graph, params, task, profiles: [] })
  const study: LandscapeStudyInput = { runs: [input(0), input(1)], directions: 'random', grid: { aRange: [-1, 1], bRange: [-1, 1], aPoints: 3, bPoints: 2 }, evalSamples: 8, snapshots: 2 }
  const pool = () => createWorkerPool({ size: 1, spawn: inProcessSpawn(() => createWorkerApi(() => performance.now())).spawn })

  it('reports progress and returns what a direct call computes', async () => {
    const p = pool()
    const seen: StudyProgress[] = []
    const result = await p.submit(landscapeJob(study), (m) => seen.push(m)).done
    await p.dispose()
    expect(seen.filter((m) => m.phase === 'slice').map((m) => m.done)).toEqual([3, 6])
    expect(result).toEqual(landscapeStudy(study))
  })

  it('can be cancelled', async () => {
    const p = pool()
    const job = p.submit(landscapeJob(study), () => {})
    expect(p.cancel(job.id)).toBe(true)
    await expect(job.done).rejects.toThrow(/loss landscape of .* cancelled/)
    await p.dispose()
  })
})
