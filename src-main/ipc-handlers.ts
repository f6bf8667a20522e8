// All ipcMain handlers. Deliberately Electron-free: it receives anything with `handle(channel, fn)` and a
// `send(channel, payload)` for pushes, so the same code runs in Electron's main process and, for e2e and
// tests, under plain Node with a fake ipcMain. Built as its own entry (out/main/ipc-handlers.js) for that.
//
// The renderer is untrusted: every handler declares the arguments it accepts (ipc/validate.ts) and the
// services validate contents again (profiles and experiments against their schemas, run ids by pattern).
import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import { version } from '../package.json'
import { Channels, PushChannels, EXPERIMENT_UPDATE_INTERVAL_MS } from './ipc/channels'
import { noArgs, oneArg, isPlainObject, isExperimentId, isProfileId, type ArgsValidator } from './ipc/validate'
import type { EngineClient } from './engine-host'
import type { StudioInfo } from './preload/api'
import { createExperimentStore } from './experiments/store'
import { createExperimentService, type ExperimentService } from './experiments/service'
import type { WorkerPool } from '../workers/pool'
import { createProfileLibrary } from './profiles/library'
import { experimentCatalog, checkExperiment } from './experiments/catalog'
import { profileEnums } from '../simulators/hardware/profiles/figures'

export const PRODUCT_NAME = 'Lastmile Studio'

/** The subset of Electron's IpcMain we use. The first handler argument is the IpcMainInvokeEvent. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: unknown, ...args: unknown[]) => unknown): void
}

export interface IpcDeps {
  /** experiments/ and profiles/ live here (Electron: userData) */
  dataDir: string
  /** main -> window pushes (Electron: every window's webContents.send) */
  send: (channel: string, payload: unknown) => void
  /** Defaults to the real worker_thread engine. */
  engine?: EngineClient
  /** Default: worker threads, as many at once as the machine has cores. Tests pass in-process ones. */
  pool?: WorkerPool
  workers?: number
  intervalMs?: number
}

export interface IpcRegistration {
  /** experiments marked interrupted at startup (left 'running' by a studio that was killed) */
  recovered: string[]
  /** Stops the experiments (stored as interrupted) and the workers. */
  dispose(): Promise<void>
}

export function registerIpcHandlers(ipcMain: IpcMainLike, deps: IpcDeps): IpcRegistration {
  // Workers start on first use. The *-node modules are imported lazily so unit tests can inject in-process
  // stand-ins without loading `?nodeWorker` imports (only electron-vite's build understands them).
  let engine: Promise<EngineClient> | undefined
  const getEngine = () =>
    (engine ??= deps.engine ? Promise.resolve(deps.engine) : import('./engine-host').then((m) => m.createEngineHost()))

  const workers = deps.workers ?? availableParallelism()
  const store = createExperimentStore(join(deps.dataDir, 'experiments'))
  // One studio per data folder (Electron's single-instance lock): anything still 'running' was killed.
  const recovered = store.recover()
  const profiles = createProfileLibrary(join(deps.dataDir, 'profiles'))

  let experiments: Promise<ExperimentService> | undefined
  let pool: WorkerPool | undefined
  const getExperiments = () =>
    (experiments ??= (async () => {
      pool = deps.pool ?? (await import('../workers/pool-node')).createNodeWorkerPool(workers)
      return createExperimentService({
        store, pool, workers, resolveProfile: (ref) => profiles.resolveRef(ref),
        push: (u) => deps.send(PushChannels.experimentUpdate, u), intervalMs: deps.intervalMs ?? EXPERIMENT_UPDATE_INTERVAL_MS,
      })
    })())
  const withExperiments = async <T>(fn: (s: ExperimentService) => T): Promise<T> => fn(await getExperiments())

  function handle<A, R>(channel: string, validate: ArgsValidator<A>, fn: (args: A) => Promise<R> | R) {
    ipcMain.handle(channel, (_event, ...args) => fn(validate(args)))
  }

  handle(Channels.studioInfo, noArgs(Channels.studioInfo), async (): Promise<StudioInfo> => ({
    name: PRODUCT_NAME,
    version,
    engine: await (await getEngine()).info(),
    dataDir: deps.dataDir,
    workers,
  }))

  handle(Channels.profilesList, noArgs(Channels.profilesList), () => profiles.list())
  handle(Channels.profilesCatalog, noArgs(Channels.profilesCatalog), () => profileEnums())
  handle(Channels.profilesCheck, oneArg(Channels.profilesCheck, 'a profile object', isPlainObject), (raw) => profiles.check(raw))
  handle(Channels.profilesSave, oneArg(Channels.profilesSave, 'a profile object', isPlainObject), (raw) => profiles.save(raw))
  handle(Channels.profilesDelete, oneArg(Channels.profilesDelete, 'a profile id', isProfileId), (id) => profiles.remove(id))

  handle(Channels.experimentsCatalog, noArgs(Channels.experimentsCatalog), () => experimentCatalog())
  handle(Channels.experimentsCheck, oneArg(Channels.experimentsCheck, 'an experiment object', isPlainObject), (raw) =>
    checkExperiment(raw, (ref) => profiles.resolveRef(ref)))

  handle(Channels.experimentsEstimate, oneArg(Channels.experimentsEstimate, 'an experiment object', isPlainObject), (raw) => withExperiments((s) => s.estimate(raw)))
  handle(Channels.experimentsStart, oneArg(Channels.experimentsStart, 'an experiment object', isPlainObject), (raw) => withExperiments((s) => s.start(raw)))
  handle(Channels.experimentsCancel, oneArg(Channels.experimentsCancel, 'an experiment id', isExperimentId), (id) => withExperiments((s) => s.cancel(id)))
  handle(Channels.experimentsList, noArgs(Channels.experimentsList), () => withExperiments((s) => s.list()))
  handle(Channels.experimentsGet, oneArg(Channels.experimentsGet, 'an experiment id', isExperimentId), (id) => withExperiments((s) => s.get(id)))
  handle(Channels.experimentsDelete, oneArg(Channels.experimentsDelete, 'an experiment id', isExperimentId), (id) => withExperiments((s) => s.remove(id)))

  return {
    recovered,
    async dispose() {
      const r = experiments && (await experiments)
      await r?.dispose()
      await pool?.dispose()
      if (engine) await (await engine).dispose()
    },
  }
}
