// The studio's loss landscape studies (docs/landscape.md, "In the studio"): an experiment from the window is
// parsed as a run would parse it, prepared by the pool's prepare job (data, task, pretrained weights: the same
// worker code and cache a run uses), then studied by the pool's landscape job, which re-runs the two chosen
// runs with weight snapshots and computes the slice (simulators/experiment/landscape-study.ts). Nothing runs
// on this thread or in the window; progress and the outcome go to the window as pushes.
//
// Studies are not stored: a slice is recomputed from the experiment's seed in the same bits, so the window
// keeps the last result and nothing is written to the data folder. Electron-free (pool and push injected).
import { JobCancelled, messageOf, type WorkerPool } from '../../workers/pool'
import { landscapeJob, prepareJob } from '../../workers/jobs'
import type { PreparedExperiment } from '../../workers/prepare-api'
import type { ParsedExperiment } from '../../simulators/experiment/validate'
import type { RunInput } from '../../simulators/experiment/runner'
import type { FieldError } from '../../simulators/core/schema'
import { parseWithProfiles, type RefResolver } from '../profiles/user-profiles'
import type { LandscapeRequest, LandscapeUpdate, StartLandscapeResult } from '../preload/api'

export interface LandscapeServiceDeps {
  pool: WorkerPool
  push: (update: LandscapeUpdate) => void
  /** the profile library's resolveRef (default: preset ids only) */
  resolveProfile?: RefResolver
}

interface Active { id: string; cancelled: boolean; poolIds: string[]; done: Promise<void> }

/** The plan's two runs, or the errors that name why they cannot be studied together. */
function pickRuns(parsed: ParsedExperiment, runs: [number, number]): FieldError[] {
  const { plan } = parsed
  const errors: FieldError[] = runs.flatMap((r, k) => (r < plan.length ? [] : [{ path: `runs[${k}]`, message: `run ${r} is not in the experiment's plan (it has ${plan.length} run${plan.length === 1 ? '' : 's'}: 0 … ${plan.length - 1})` }]))
  if (errors.length) return errors
  const [p, q] = runs.map((r) => plan[r])
  // the slice is around ONE start point w0: its codes depend on the weight width and granularity (the engine
  // compares the codes themselves after re-running; this catches the common case before any work is done)
  if (p.formats.weightBits !== q.formats.weightBits || p.formats.weightGranularity !== q.formats.weightGranularity) {
    errors.push({ path: 'runs', message: `${p.label} (W${p.formats.weightBits}, ${p.formats.weightGranularity}) and ${q.label} (W${q.formats.weightBits}, ${q.formats.weightGranularity}) start from different integer weights; pick two runs at the same weight format` })
  }
  return errors
}

export function createLandscapeService(deps: LandscapeServiceDeps) {
  const { pool, push } = deps
  const active = new Map<string, Active>()
  let next = 1
  let disposing = false

  function parse(raw: unknown): ({ ok: true } & ParsedExperiment) | { ok: false; errors: FieldError[] } {
    const parsed = parseWithProfiles(raw, deps.resolveProfile)
    // the experiment's fields are named inside the request
    return parsed.ok ? parsed : { ok: false, errors: parsed.errors.map((e) => ({ ...e, path: e.path ? `experiment.${e.path}` : 'experiment' })) }
  }

  async function execute(a: Active, parsed: ParsedExperiment, req: LandscapeRequest): Promise<void> {
    const { spec, plan } = parsed
    const end = (u: Omit<LandscapeUpdate, 'id'>) => { active.delete(a.id); push({ id: a.id, ...u }) }
    try {
      push({ id: a.id, status: 'preparing', progress: { phase: 'preparing the experiment', done: 0, total: 1 } })
      const prep = pool.submit(prepareJob(spec), (e) => {
        if (e.progress) push({ id: a.id, status: 'preparing', progress: { phase: 'pretraining', done: e.progress.epoch, total: spec.pretrain.epochs } })
      })
      a.poolIds.push(prep.id)
      const { graph, params, task }: PreparedExperiment = await prep.done
      if (a.cancelled) return end({ status: 'cancelled' })
      // pricing does not change a run's weights, so the re-runs are priced on no device (less work)
      const input = (k: number): RunInput => ({ spec, run: plan[req.runs[k]], graph, params, task, profiles: [] })
      const job = pool.submit(landscapeJob({ runs: [input(0), input(1)], directions: req.directions, grid: req.grid, evalSamples: req.evalSamples, snapshots: req.snapshots }), (progress) => {
        push({ id: a.id, status: 'running', progress })
      })
      a.poolIds.push(job.id)
      const result = await job.done
      end({ status: 'finished', result })
    } catch (err) {
      if (a.cancelled || err instanceof JobCancelled) end({ status: 'cancelled' })
      else end({ status: 'failed', error: messageOf(err) })
    }
  }

  return {
    /** Validates the experiment and the run choice; if both hold, starts the study and returns its id. */
    start(req: LandscapeRequest): StartLandscapeResult {
      if (disposing) throw new Error('the studio is closing')
      const parsed = parse(req.experiment)
      if (!parsed.ok) return parsed
      const errors = pickRuns(parsed, req.runs)
      if (errors.length) return { ok: false, errors }
      const a: Active = { id: `landscape-${next++}`, cancelled: false, poolIds: [], done: Promise.resolve() }
      active.set(a.id, a)
      a.done = execute(a, parsed, req)
      return { ok: true, id: a.id }
    },

    /** true if the study was still going; its jobs stop (the pool ends their workers) and it ends as cancelled */
    cancel(id: string): boolean {
      const a = active.get(id)
      if (!a || a.cancelled) return false
      a.cancelled = true
      for (const pid of a.poolIds) pool.cancel(pid)
      return true
    },

    /** Waits until study `id` has ended (tests). */
    settled: async (id: string): Promise<void> => { await active.get(id)?.done },

    async dispose(): Promise<void> {
      disposing = true
      const all = [...active.values()]
      for (const a of all) { a.cancelled = true; for (const pid of a.poolIds) pool.cancel(pid) }
      await Promise.all(all.map((a) => a.done))
    },
  }
}

export type LandscapeService = ReturnType<typeof createLandscapeService>
