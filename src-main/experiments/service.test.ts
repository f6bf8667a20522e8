// The run service end to end in-process: real store on a temp folder, real pool over in-process comlink
// channels, real prepare and real runs of the tiny experiment. Checks what the window receives (pushes)
// against what the store keeps (getExperiment) and against runOne run directly.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createExperimentStore, type ExperimentStore } from './store'
import { createWorkerPool } from '../../workers/pool'
import { inProcessSpawn } from '../../workers/in-process-worker'
import { createExperimentService } from './service'
import { createWorkerApi, type WorkerApi } from '../../workers/worker-api'
import { prepareExperiment } from '../../workers/experiment/prepare'
import { column, toBatch } from '../../workers/run-stream'
import { emptyBreakdown } from '../../simulators/core/memory-categories'
import { TINY_EXPERIMENT, deterministicPart } from '../../simulators/experiment/tiny-experiment'
import { parseExperiment } from '../../simulators/experiment/validate'
import { runOne, type RunSummary, type StepEvent } from '../../simulators/experiment/runner'
import { profilesOf } from '../../simulators/experiment/plan'
import type { ExperimentUpdate } from '../preload/api'

// 'requested': one training per run, priced on both devices (the NPU lacks the 16-bit weights: infeasible, with its reason)
const SPEC = { ...TINY_EXPERIMENT, profiles: ['nrf52840', 'generic-npu-16x16'], deviceFormats: 'requested' }

/**
 * In-process runs block the thread until they end (a real worker does not), so cancel and dispose are
 * checked with this stand-in: it streams correctly packed batches of made-up steps every 5 ms, forever.
 */
const endlessApi = (): WorkerApi => ({
  ...createWorkerApi(() => performance.now()),
  run: () => Promise.reject(new Error('the pool uses runPacked')),
  runPacked: (job, onBatch) => new Promise<RunSummary>(() => {
    let step = 0
    const ids = job.profiles.map((p) => p.id)
    onBatch({ run: job.run.index, events: [{ type: 'run-start', run: job.run.index, specRun: job.run.specRun, label: 'x', algorithm: 'x', steps: 1e9, formats: job.run.formats, devices: job.run.devices }] })
    setInterval(() => {
      step++
      const price = (profile: string) => ({ profile, cycles: 1, seconds: 1, energyUj: 1, sramBytes: 1, feasible: true, phaseCycles: { forward: 1, backward: 0, update: 0, perturbation: 0 } })
      const e = { type: 'step', run: job.run.index, step, loss: 1, accuracy: 0, forwardPasses: 1, backwardPasses: 0, macs: {}, peakBytes: 1, memory: emptyBreakdown(), updatedFraction: 0, saturations: 0, clipped: 0, elapsedSeconds: 0, costs: ids.map(price) } as StepEvent
      onBatch(toBatch(job.run.index, [e], ids))
    }, 5)
  }),
})

function setup(opts: { size?: number; api?: () => WorkerApi; store?: (s: ExperimentStore) => ExperimentStore } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'lastmile-service-'))
  const store = (opts.store ?? ((x) => x))(createExperimentStore(dir))
  const pool = createWorkerPool({ size: opts.size ?? 2, spawn: inProcessSpawn(opts.api ?? (() => createWorkerApi(() => performance.now()))).spawn })
  const pushes: ExperimentUpdate[] = []
  const service = createExperimentService({ store, pool, push: (u) => pushes.push(u), intervalMs: 20, workers: opts.size ?? 2 })
  return { dir, store, pool, pushes, service, cleanup: async () => { await service.dispose(); await pool.dispose(); rmSync(dir, { recursive: true, force: true }) } }
}

/** Every step index a run's pushes carried, in order. */
const pushedSteps = (pushes: ExperimentUpdate[], run: number) =>
  pushes.flatMap((u) => u.runs.filter((p) => p.run === run && p.steps).flatMap((p) => [...column(p.steps!, 'step')]))

describe('run service', () => {
  let cleanup: () => Promise<void> = async () => {}
  afterEach(() => cleanup())

  it('runs every algorithm, pushes numbered deltas, and the stored record equals what was pushed', async () => {
    const s = setup()
    cleanup = s.cleanup
    const started = s.service.start(SPEC)
    if (!started.ok) throw new Error(JSON.stringify(started.errors))
    await s.service.settled(started.id)

    expect(s.pushes.map((u) => u.seq)).toEqual(s.pushes.map((_, i) => i + 1))
    expect(s.pushes.at(-1)).toMatchObject({ stage: 'ended', meta: { status: 'finished' } })
    for (const run of [0, 1]) expect(pushedSteps(s.pushes, run)).toEqual(Array.from({ length: SPEC.steps }, (_, i) => i + 1))

    const rec = s.service.get(started.id)
    expect(rec.meta.status).toBe('finished')
    expect(rec.profiles.map((p) => p.id)).toEqual(['nrf52840', 'generic-npu-16x16'])
    expect(rec.update.seq).toBe(s.pushes.length)
    const parsed = parseExperiment(SPEC)
    if (!parsed.ok) throw new Error('spec')
    const { graph, params, task } = prepareExperiment(parsed.spec)
    for (const r of rec.update.runs) {
      expect(r.status).toBe('finished')
      const direct: number[] = []
      const run = parsed.plan[r.run]
      const input = { spec: parsed.spec, run, graph, params, task, profiles: profilesOf(run, parsed.profiles) }
      const summary = runOne(input, (e) => { if (e.type === 'step') direct.push(e.costs[0].energyUj) })
      // bit-identical to a direct run: the per-step energy on the first device, and the summary
      expect([...column(r.steps!, 'nrf52840/energyUj')]).toEqual(direct)
      expect(deterministicPart(r.summary as unknown as Record<string, unknown>)).toEqual(deterministicPart(summary as unknown as Record<string, unknown>))
      expect(r.evals!.map((e) => e.step)).toEqual([0, 6, 12])
      expect(r.feasibility!.map((f) => f.profile)).toEqual(expect.arrayContaining(['nrf52840', 'generic-npu-16x16']))
      // the pushes, summed, say the same as the record
      const pushedEvals = s.pushes.flatMap((u) => u.runs.filter((p) => p.run === r.run).flatMap((p) => p.evals ?? []))
      expect(pushedEvals).toEqual(r.evals)
    }
    expect(s.service.list()[0]).toMatchObject({ meta: { id: started.id, status: 'finished' }, runs: ['backprop', 'zo-spsa'], profiles: ['nrf52840', 'generic-npu-16x16'] })
    expect(s.service.list()[0].results.map((r) => r.label)).toEqual(['backprop', 'zo-spsa'])
  })

  it('an invalid experiment is a result naming the field, and nothing is stored', async () => {
    const s = setup()
    cleanup = s.cleanup
    const r = s.service.start({ ...SPEC, data: { ...SPEC.data, shots: 0 } })
    expect(r).toMatchObject({ ok: false, errors: [{ path: 'data.shots' }] })
    const unknownDevice = s.service.start({ ...SPEC, profiles: ['no-such-chip'] })
    expect(unknownDevice).toMatchObject({ ok: false, errors: [{ path: 'profiles[0]' }] })
    expect(s.service.list()).toEqual([])
  })

  it('cancel keeps what was recorded and stores the run as cancelled', async () => {
    const s = setup({ size: 1, api: endlessApi })
    cleanup = s.cleanup
    const started = s.service.start(SPEC)
    if (!started.ok) throw new Error('start')
    await vi.waitFor(() => expect(pushedSteps(s.pushes, 0).length).toBeGreaterThan(0), { timeout: 30_000 })
    expect(s.service.remove.bind(null, started.id)).toThrow(/still going; cancel it/)
    expect(s.service.cancel(started.id)).toBe(true)
    await s.service.settled(started.id)
    const rec = s.service.get(started.id)
    expect(rec.meta.status).toBe('cancelled')
    expect(rec.update.runs.map((p) => p.status)).toEqual(['cancelled', 'cancelled'])
    const kept = column(rec.update.runs[0].steps!, 'step')
    expect(kept.length).toBeGreaterThan(0)
    expect([...kept]).toEqual(Array.from({ length: kept.length }, (_, i) => i + 1)) // every step that came, in order
    expect(rec.update.runs[1].steps).toBeUndefined() // queued behind run 0 (pool size 1): never started
    expect(s.service.cancel(started.id)).toBe(false)
    s.service.remove(started.id)
    expect(s.service.list()).toEqual([])
  })

  // Fault injection: the disk fills up after a few batches, then refuses every write (the end too).
  const fullDisk = (after: number) => (real: ExperimentStore): ExperimentStore & { full: () => boolean } => {
    let appends = 0
    const enospc = () => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })
    const full = () => appends >= after
    return {
      ...real, full,
      append: (id, events) => { if (++appends > after) throw enospc(); real.append(id, events) },
      finish: (...a) => { if (full()) throw enospc(); real.finish(...a) },
      fail: (...a) => { if (full()) throw enospc(); real.fail(...a) },
      cancel: (...a) => { if (full()) throw enospc(); real.cancel(...a) },
      interrupt: (...a) => { if (full()) throw enospc(); real.interrupt(...a) },
    }
  }

  it('a full disk ends the run as failed with the reason, keeps what was written, and delete works', async () => {
    const s = setup({ size: 1, api: endlessApi, store: fullDisk(4) })
    cleanup = s.cleanup
    const started = s.service.start(SPEC)
    if (!started.ok) throw new Error('start')
    // the endless run stops by itself once the disk is full: no cancel needed
    await s.service.settled(started.id)
    expect(s.service.active()).toEqual([])
    const rec = s.service.get(started.id)
    expect(rec.meta.status).toBe('failed')
    expect(rec.meta.error).toMatch(/data folder refused a write \(ENOSPC: no space left on device/)
    expect(s.service.list()[0].meta.status).toBe('failed')
    // what reached the disk before it filled is there
    const onDisk = createExperimentStore(s.dir).get(started.id)
    expect(onDisk.events.length).toBeGreaterThan(0)
    // the window was told, with the metrics it had been sent
    const last = s.pushes.at(-1)!
    expect(last.meta?.status).toBe('failed')
    expect(pushedSteps(s.pushes, 0).length).toBeGreaterThan(0)
    expect(s.service.cancel(started.id)).toBe(false)
    s.service.remove(started.id)
    expect(s.service.list()).toEqual([])
    // the next start on the same folder recovers it as interrupted (the store wrote 'running' last)
  })

  it('a data folder that refuses to create an experiment is a result saying so, not an exception', async () => {
    const s = setup({ store: (real) => ({ ...real, create: () => { throw Object.assign(new Error('EROFS: read-only file system, mkdir'), { code: 'EROFS' }) } }) })
    cleanup = s.cleanup
    expect(s.service.start(SPEC)).toEqual({ ok: false, errors: [{ path: '', message: 'not started: the data folder refused a write (EROFS: read-only file system, mkdir)' }] })
  })

  /** The worker API with every prepare and run logged as `prepare <name>` / `run <name>` (the spec's name). */
  const logged = (log: string[], base: () => WorkerApi) => (): WorkerApi => {
    const api = base()
    return {
      ...api,
      prepare: (spec, deliver) => { log.push(`prepare ${spec.name}`); return api.prepare(spec, deliver) },
      runPacked: (job, onBatch) => { log.push(`run ${job.spec.name}`); return api.runPacked(job, onBatch) },
    }
  }

  it('queued experiments wait as specs: with one worker each is prepared only once the one before it ended, in start order', async () => {
    const log: string[] = []
    const s = setup({ size: 1, api: logged(log, () => createWorkerApi(() => performance.now())) })
    cleanup = s.cleanup
    const names = ['q1', 'q2', 'q3', 'q4', 'q5']
    const ids = names.map((name) => {
      // short runs: what is checked is the order of prepares and runs, not training
      const r = s.service.start({ ...SPEC, name, steps: 2, evalEvery: 1 })
      if (!r.ok) throw new Error(JSON.stringify(r.errors))
      return r.id
    })
    // nothing of the later four is prepared yet: they are queued
    expect(ids.slice(1).map((id) => s.service.get(id).update.stage)).toEqual(['queued', 'queued', 'queued', 'queued'])
    await Promise.all(ids.map((id) => s.service.settled(id)))
    // before this fix the log began with five prepares (the pool is first-come first-served)
    expect(log).toEqual(names.flatMap((n) => [`prepare ${n}`, `run ${n}`, `run ${n}`]))
    expect(ids.map((id) => s.service.get(id).meta.status)).toEqual(names.map(() => 'finished'))
  })

  it('a queued experiment that is cancelled never starts and is stored as cancelled; the next one in line starts', async () => {
    const log: string[] = []
    const s = setup({ size: 1, api: logged(log, endlessApi) })
    cleanup = s.cleanup
    const [first, second, third] = ['e1', 'e2', 'e3'].map((name) => {
      const r = s.service.start({ ...SPEC, name })
      if (!r.ok) throw new Error('start')
      return r.id
    })
    await vi.waitFor(() => expect(pushedSteps(s.pushes, 0).length).toBeGreaterThan(0), { timeout: 30_000 })
    expect(s.service.cancel(second)).toBe(true)
    await s.service.settled(second)
    const rec = s.service.get(second)
    expect(rec.meta.status).toBe('cancelled')
    expect(rec.update.runs.map((p) => p.status)).toEqual(['cancelled', 'cancelled'])
    expect(rec.update.runs.every((p) => p.steps === undefined)).toBe(true)
    s.service.remove(second)
    expect(s.service.get(third).update.stage).toBe('queued')
    expect(log).toEqual(['prepare e1', 'run e1'])
    // the running one ends: the third (not the cancelled second) is admitted
    s.service.cancel(first)
    await s.service.settled(first)
    await vi.waitFor(() => expect(log).toEqual(['prepare e1', 'run e1', 'prepare e3', 'run e3']), { timeout: 30_000 })
    expect(s.service.list().map((x) => x.meta.id).sort()).toEqual([first, third].sort())
  })

  it('a prepare that fails fails the run with its message; dispose stores running runs as interrupted', async () => {
    const s = setup({ api: () => ({ ...createWorkerApi(() => performance.now()), prepare: async () => { throw new Error('disk full') } }) })
    cleanup = s.cleanup
    const bad = s.service.start(SPEC)
    if (!bad.ok) throw new Error('start')
    await s.service.settled(bad.id)
    expect(s.service.get(bad.id)).toMatchObject({ meta: { status: 'failed', error: 'preparing the experiment failed: disk full' }, update: { runs: [{ status: 'failed' }, { status: 'failed' }] } })

    const s2 = setup({ size: 1, api: endlessApi })
    const long = s2.service.start(SPEC)
    if (!long.ok) throw new Error('start')
    await vi.waitFor(() => expect(pushedSteps(s2.pushes, 0).length).toBeGreaterThan(0), { timeout: 30_000 })
    await s2.service.dispose()
    expect(s2.store.head(long.id).meta.status).toBe('interrupted')
    await s2.cleanup()
  })
})

