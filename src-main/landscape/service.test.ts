// The landscape service on the real pool with in-process workers (the same worker API and jobs as the studio's
// worker threads): progress and outcome arrive as pushes, the result is what the engine computes from the same
// prepared experiment, and bad choices come back as errors naming the field.
import { performance } from 'node:perf_hooks'
import { describe, expect, it } from 'vitest'
import { createWorkerPool } from '../../workers/pool'
import { inProcessSpawn } from '../../workers/in-process-worker'
import { createWorkerApi } from '../../workers/worker-api'
import { prepareExperiment } from '../../workers/experiment/prepare'
import { parseExperiment } from '../../simulators/experiment/validate'
import { landscapeStudy } from '../../simulators/experiment/landscape-study'
import { TINY_EXPERIMENT } from '../../simulators/experiment/tiny-experiment'
import { createLandscapeService } from './service'
import type { LandscapeRequest, LandscapeUpdate } from '../preload/api'

const EXPERIMENT = { ...TINY_EXPERIMENT, steps: 4, evalEvery: 4 }
const REQUEST: LandscapeRequest = { experiment: EXPERIMENT, runs: [0, 1], directions: 'updates', grid: { aRange: [-0.5, 1.5], bRange: [-0.5, 1.5], aPoints: 4, bPoints: 3 }, evalSamples: 8, snapshots: 2 }

function setup() {
  const pool = createWorkerPool({ size: 1, spawn: inProcessSpawn(() => createWorkerApi(() => performance.now())).spawn })
  const pushes: LandscapeUpdate[] = []
  const service = createLandscapeService({ pool, push: (u) => void pushes.push(u) })
  return { service, pushes, dispose: async () => { await service.dispose(); await pool.dispose() } }
}

describe('landscape service', () => {
  it('prepares and studies in the pool, pushing progress and then the engine\'s result', async () => {
    const { service, pushes, dispose } = setup()
    const r = service.start(REQUEST)
    if (!r.ok) throw new Error(JSON.stringify(r.errors))
    await service.settled(r.id)
    await dispose()
    const last = pushes.at(-1)!
    expect(last).toMatchObject({ id: r.id, status: 'finished' })
    expect(pushes.slice(0, -1).every((u) => u.status === 'preparing' || u.status === 'running')).toBe(true)
    expect(pushes.filter((u) => u.progress?.phase === 'slice').map((u) => u.progress!.done)).toEqual([4, 8, 12])
    // the reference: the engine called directly on an experiment prepared on this thread
    const parsed = parseExperiment(EXPERIMENT)
    if (!parsed.ok) throw new Error('tiny experiment invalid')
    const { graph, params, task } = prepareExperiment(parsed.spec)
    const input = (k: number) => ({ spec: parsed.spec, run: parsed.plan[k], graph, params, task, profiles: [] })
    expect(last.result).toEqual(landscapeStudy({ runs: [input(0), input(1)], directions: 'updates', grid: REQUEST.grid, evalSamples: 8, snapshots: 2 }))
    expect(last.result!.slice.loss.flat()).toHaveLength(12)
  })

  it('names the field of a bad experiment or run choice, and starts nothing', async () => {
    const { service, pushes, dispose } = setup()
    expect(service.start({ ...REQUEST, experiment: { ...EXPERIMENT, steps: -1 } })).toMatchObject({ ok: false, errors: [{ path: 'experiment.steps' }] })
    expect(service.start({ ...REQUEST, runs: [0, 5] })).toMatchObject({ ok: false, errors: [{ path: 'runs[1]', message: expect.stringContaining('2 runs') }] })
    const twoWidths = { ...EXPERIMENT, runs: [EXPERIMENT.runs[0], { ...EXPERIMENT.runs[1], formats: { weightBits: 8 } }] }
    expect(service.start({ ...REQUEST, experiment: twoWidths })).toMatchObject({ ok: false, errors: [{ path: 'runs', message: expect.stringContaining('W8') }] })
    await dispose()
    expect(pushes).toEqual([])
  })

  it('reports the engine\'s refusal (an evaluation batch larger than the test set) as a failed study', async () => {
    const { service, pushes, dispose } = setup()
    const r = service.start({ ...REQUEST, evalSamples: 200 }) // the tiny task has 10 × 10 test samples
    if (!r.ok) throw new Error(JSON.stringify(r.errors))
    await service.settled(r.id)
    await dispose()
    expect(pushes.at(-1)).toMatchObject({ status: 'failed', error: expect.stringMatching(/failed: evalSamples: must be an integer in \[1, 100\]/) })
  })

  it('cancels: the study ends as cancelled and a second cancel is refused', async () => {
    const { service, pushes, dispose } = setup()
    const r = service.start(REQUEST)
    if (!r.ok) throw new Error(JSON.stringify(r.errors))
    expect(service.cancel(r.id)).toBe(true)
    expect(service.cancel(r.id)).toBe(false)
    await service.settled(r.id)
    await dispose()
    expect(pushes.at(-1)).toMatchObject({ id: r.id, status: 'cancelled' })
    expect(pushes.some((u) => u.result)).toBe(false)
  })
})
