// The worker pool, driven through comlink over in-process MessageChannels (the transport shape of a
// worker_thread; vitest can't start a worker from a .ts file on Node 20). A fake worker API whose runs
// finish only when the test says so checks scheduling, priorities, cancel and crash; one real run of the
// tiny experiment checks the pool returns exactly what runOne does, and one real preparation checks the
// preparation job.
import { performance } from 'node:perf_hooks'
import { describe, expect, it, vi } from 'vitest'
import { createWorkerPool, JobCancelled } from './pool'
import { inProcessSpawn } from './in-process-worker'
import { packedRunJob, prepareJob } from './jobs'
import { createWorkerApi, type WorkerApi } from './worker-api'
import { column, type RunBatch } from './run-stream'
import type { PretrainEvent } from './prepare-api'
import { prepareExperiment } from './experiment/prepare'
import { parseExperiment } from '../simulators/experiment/validate'
import { runOne, type RunEvent, type RunInput, type RunSummary } from '../simulators/experiment/runner'
import { TINY_EXPERIMENT, deterministicPart } from '../simulators/experiment/tiny-experiment'
import { prepareTinyExperiment } from '../simulators/testing/tiny-prepared'
import { runLabel } from '../simulators/experiment/labels'
import type { ExperimentSpec } from '../simulators/experiment/spec'

/** A RunApi whose run waits for the test: send(events) streams a batch, finish() ends it like runOne. */
interface Controlled {
  job: RunInput
  send(events: RunEvent[]): void
  finish(): void
  /** returns the result first and the last batch 20 ms later, as a real worker's ports may deliver them */
  finishOvertaken(): void
}

function controlledApi() {
  const runs: Controlled[] = []
  const makeApi = (): WorkerApi => ({
    ...createWorkerApi(() => 0),
    run: () => Promise.reject(new Error('the pool must use runPacked')),
    // batches as the pool sees them; the fake's "steps" stay objects (the pool never looks inside)
    runPacked: (job, onBatch) => new Promise<RunSummary>((resolve) => {
      const onEvents = (events: RunEvent[]) => onBatch({ run: job.run.index, events: events as RunBatch['events'] })
      const summary = { type: 'run-end', run: job.run.index, label: 'fake' } as RunSummary
      runs.push({
        job,
        send: (events) => onEvents(events),
        finish: () => { onEvents([summary]); resolve(summary) },
        finishOvertaken: () => { resolve(summary); setTimeout(() => onEvents([summary]), 20) },
      })
    }),
  })
  return { runs, ...inProcessSpawn(makeApi) }
}

const ALGOS = ['backprop', 'zo-spsa', 'zo-spsa-momentum', 'forward-gradient', 'backprop']
const fakeSpec = { runs: ALGOS.map((algorithm) => ({ algorithm })) } as unknown as ExperimentSpec
const fakeJob = (index: number) => packedRunJob({ spec: fakeSpec, run: { index, label: runLabel(fakeSpec, index) } } as unknown as RunInput)
const step = (run: number, s: number) => ({ type: 'step', run, step: s }) as unknown as RunEvent

describe('run pool', () => {
  it('runs at most `size` jobs at once and starts queued jobs in FIFO order', async () => {
    const { runs, spawn, workers } = controlledApi()
    const pool = createWorkerPool({ size: 2, spawn })
    const jobs = [0, 1, 2, 3, 4].map((i) => pool.submit(fakeJob(i), () => {}))
    await vi.waitFor(() => expect(runs.length).toBe(2))
    expect([pool.running(), pool.queued()]).toEqual([2, 3])

    runs[1].finish()
    expect((await jobs[1].done).run).toBe(1)
    await vi.waitFor(() => expect(runs.length).toBe(3))
    expect(workers[1].terminated).toBe(true) // a fresh worker per job
    expect([pool.running(), pool.queued()]).toEqual([2, 2])

    runs[0].finish()
    await vi.waitFor(() => expect(runs.length).toBe(4))
    runs[2].finish()
    runs[3].finish()
    await vi.waitFor(() => expect(runs.length).toBe(5))
    runs[4].finish()
    const summaries = await Promise.all(jobs.map((j) => j.done))
    expect(summaries.map((s) => s.run)).toEqual([0, 1, 2, 3, 4])
    expect(runs.map((r) => r.job.run.index)).toEqual([0, 1, 2, 3, 4])
    expect(workers).toHaveLength(5)
    expect([pool.running(), pool.queued()]).toEqual([0, 0])
  })

  it('passes event batches through unchanged, and settles `done` only after the last one', async () => {
    const { runs, spawn } = controlledApi()
    const pool = createWorkerPool({ size: 1, spawn })
    const got: RunEvent[][] = []
    const { done } = pool.submit(fakeJob(0), (b) => got.push(b.events as RunEvent[]))
    await vi.waitFor(() => expect(runs.length).toBe(1))
    runs[0].send([step(0, 1), step(0, 2)])
    runs[0].finish()
    await done
    expect(got).toEqual([[step(0, 1), step(0, 2)], [{ type: 'run-end', run: 0, label: 'fake' }]])

    // The result travels on the worker's port and the events on the callback's: the result can arrive
    // first. `done` still waits for the run-end batch.
    const late: RunEvent[][] = []
    const second = pool.submit(fakeJob(1), (b) => late.push(b.events as RunEvent[]))
    await vi.waitFor(() => expect(runs.length).toBe(2))
    runs[1].finishOvertaken()
    await second.done
    expect(late).toEqual([[{ type: 'run-end', run: 1, label: 'fake' }]])
  })

  it('cancels a queued job without ever starting it', async () => {
    const { runs, spawn, workers } = controlledApi()
    const pool = createWorkerPool({ size: 1, spawn })
    const a = pool.submit(fakeJob(0), () => {})
    const b = pool.submit(fakeJob(1), () => {})
    expect(pool.cancel(b.id)).toBe(true)
    expect(pool.queued()).toBe(0)
    await expect(b.done).rejects.toBeInstanceOf(JobCancelled)
    await expect(b.done).rejects.toThrow(/run 1 \(zo-spsa\) cancelled/)
    await vi.waitFor(() => expect(runs.length).toBe(1))
    runs[0].finish()
    await a.done
    expect(workers).toHaveLength(1)
    expect(pool.cancel(b.id)).toBe(false) // already gone
    expect(pool.cancel(a.id)).toBe(false)
  })

  it('cancels a running job: terminates its worker, keeps the events already sent, starts the next', async () => {
    const { runs, spawn, workers } = controlledApi()
    const pool = createWorkerPool({ size: 1, spawn })
    const got: RunEvent[][] = []
    const a = pool.submit(fakeJob(0), (b) => got.push(b.events as RunEvent[]))
    const b = pool.submit(fakeJob(1), () => {})
    await vi.waitFor(() => expect(runs.length).toBe(1))
    runs[0].send([step(0, 1)])
    await vi.waitFor(() => expect(got).toHaveLength(1))
    runs[0].send([step(0, 2)]) // still on its way when cancel is called: must not be lost
    expect(pool.cancel(a.id)).toBe(true)
    await expect(a.done).rejects.toBeInstanceOf(JobCancelled)
    expect(workers[0].terminated).toBe(true)
    expect(got).toEqual([[step(0, 1)], [step(0, 2)]])
    runs[0].send([step(0, 3)]) // after `done` settled: never delivered
    await vi.waitFor(() => expect(runs.length).toBe(2))
    runs[1].finish()
    await b.done
    expect(got).toHaveLength(2)
  })

  it('rejects a crashed run with an error naming it, and the next job gets a fresh worker', async () => {
    const { runs, spawn, workers } = controlledApi()
    const pool = createWorkerPool({ size: 1, spawn })
    const a = pool.submit(fakeJob(1), () => {})
    const b = pool.submit(fakeJob(2), () => {})
    await vi.waitFor(() => expect(runs.length).toBe(1))
    workers[0].crash(new Error('out of memory'))
    await expect(a.done).rejects.toThrow('run 1 (zo-spsa) crashed in its worker: out of memory')
    await vi.waitFor(() => expect(runs.length).toBe(2))
    expect(workers[1]).not.toBe(workers[0])
    runs[1].finish()
    expect((await b.done).run).toBe(2)
  })

  it('rejects a run whose worker exits early, and one whose spawn throws', async () => {
    const { runs, spawn, workers } = controlledApi()
    const pool = createWorkerPool({ size: 1, spawn })
    const a = pool.submit(fakeJob(3), () => {})
    await vi.waitFor(() => expect(runs.length).toBe(1))
    workers[0].crash() // exits without an error (exit code 0) before the run returned
    await expect(a.done).rejects.toThrow('run 3 (forward-gradient): worker exited before it finished')

    const broken = createWorkerPool({ size: 1, spawn: () => { throw new Error('no threads left') } })
    await expect(broken.submit(fakeJob(0), () => {}).done).rejects.toThrow('run 0 (backprop #1) could not start a worker: no threads left')
  })

  it('dispose() cancels queued and running jobs and refuses new ones', async () => {
    const { runs, spawn, workers } = controlledApi()
    const pool = createWorkerPool({ size: 2, spawn })
    const jobs = [0, 1, 2].map((i) => pool.submit(fakeJob(i), () => {}))
    await vi.waitFor(() => expect(runs.length).toBe(2))
    await pool.dispose()
    for (const j of jobs) await expect(j.done).rejects.toBeInstanceOf(JobCancelled)
    expect(workers.map((w) => w.terminated)).toEqual([true, true])
    expect([pool.running(), pool.queued()]).toEqual([0, 0])
    expect(runs).toHaveLength(2) // the queued job never started
    expect(() => pool.submit(fakeJob(0), () => {})).toThrow(/disposed/)
  })

  it('a real run of the tiny experiment through createRunApi equals runOne run directly', async () => {
    const { spec, input } = prepareTinyExperiment()
    const direct = spec.runs.map((_, i) => runOne(input(i), () => {}))

    const { spawn } = inProcessSpawn(() => createWorkerApi(() => performance.now()))
    const pool = createWorkerPool({ size: 2, spawn })
    const events: RunEvent[][] = spec.runs.map(() => [])
    const steps: number[][] = spec.runs.map(() => [])
    const losses: number[][] = spec.runs.map(() => [])
    const pooled = await Promise.all(spec.runs.map((_, runIndex) =>
      pool.submit(packedRunJob(input(runIndex)), (b) => {
        events[runIndex].push(...b.events)
        if (b.steps) { steps[runIndex].push(...column(b.steps, 'step')); losses[runIndex].push(...column(b.steps, 'loss')) }
      }).done))

    const det = (s: RunSummary) => deterministicPart(s as unknown as Record<string, unknown>)
    expect(pooled.map(det)).toEqual(direct.map(det))
    const directLosses = spec.runs.map((_, i) => {
      const l: number[] = []
      runOne(input(i), (e) => { if (e.type === 'step') l.push(e.loss) })
      return l
    })
    for (const [i, ev] of events.entries()) {
      expect(steps[i]).toEqual(Array.from({ length: spec.steps }, (_, s) => s + 1)) // packed, in order, none lost
      expect(losses[i]).toEqual(directLosses[i])
      expect(ev.at(-1)).toMatchObject({ type: 'run-end', run: i }) // every event was in when `done` resolved
    }
  })

  it('starts queued runs before queued preparations (priority), FIFO within each', async () => {
    const { runs, spawn } = controlledApi()
    const pool = createWorkerPool({ size: 1, spawn })
    const order: string[] = []
    const prep = (name: string) => ({ name, priority: 1, call: async () => { order.push(name) } })
    const first = pool.submit(fakeJob(0), () => {})
    const p1 = pool.submit(prep('prepare A'), () => {})
    const p2 = pool.submit(prep('prepare B'), () => {})
    const second = pool.submit(fakeJob(1), () => {})
    expect(pool.queued()).toBe(3)
    await vi.waitFor(() => expect(runs.length).toBe(1))
    runs[0].finish()
    await first.done
    await vi.waitFor(() => expect(runs.length).toBe(2)) // run 1 jumped both preparations
    expect(order).toEqual([])
    runs[1].finish()
    await Promise.all([second.done, p1.done, p2.done])
    expect(order).toEqual(['prepare A', 'prepare B'])
  })

  it('prepares an experiment as a job: progress, then the outcome as the last event, then the result', async () => {
    const parsed = parseExperiment(TINY_EXPERIMENT)
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors))
    const pool = createWorkerPool({ size: 1, spawn: inProcessSpawn(() => createWorkerApi(() => 0)).spawn })
    const events: PretrainEvent[] = []
    const prepared = await pool.submit(prepareJob(parsed.spec), (e) => events.push(e)).done
    expect(events.at(-1)).toEqual({ type: 'pretrain', ...prepared.pretrain })
    expect(events.slice(0, -1).every((e) => e.progress)).toBe(true)
    const direct = prepareExperiment(parsed.spec)
    expect(prepared.graph).toEqual(direct.graph)
    expect(prepared.params).toEqual(direct.params)
  })
})
