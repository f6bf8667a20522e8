// All ipcMain handlers. Deliberately Electron-free: it receives anything with `handle(channel, fn)` and a
// `send(channel, payload)` for pushes, so the same code runs in Electron's main process and, for e2e and
// tests, under plain Node with a fake ipcMain. Built as its own entry (out/main/ipc-handlers.js) for that.
//
// The renderer is untrusted: every handler declares the arguments it accepts (ipc/validate.ts) and the
// services validate contents again (profiles and experiments against their schemas, run ids by pattern).
import { availableParallelism } from 'node:os'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { version } from '../package.json'
import { Channels, PushChannels, EXPERIMENT_UPDATE_INTERVAL_MS } from './ipc/channels'
import { noArgs, oneArg, twoArgs, isPlainObject, isExperimentId, isProfileId, isSweepId, isLandscapeId, IpcInputError, type ArgsValidator } from './ipc/validate'
import { createSweepService, recoverSweeps, type SweepService } from './sweeps/service'
import { printToPdfWithChromium } from './sweeps/pdf'
import type { EngineClient } from './engine-host'
import type { StudioInfo } from './preload/api'
import { createExperimentStore } from './experiments/store'
import { createExperimentService, type ExperimentService } from './experiments/service'
import type { WorkerPool } from '../workers/pool'
import { createProfileLibrary } from './profiles/library'
import { experimentCatalog, checkExperiment } from './experiments/catalog'
import { profileEnums } from '../simulators/hardware/profiles/figures'
import { landscapeRequestArgs } from './ipc/landscape-request'
import { createLandscapeService, type LandscapeService } from './landscape/service'

export const PRODUCT_NAME = 'Lastmile Studio'

/** Writes and removes a small file: a full or read-only folder throws here, at startup, rather than mid-run. */
function probeWritable(dir: string): void {
  mkdirSync(dir, { recursive: true })
  const probe = join(dir, `.write-probe-${process.pid}`)
  writeFileSync(probe, 'ok')
  rmSync(probe, { force: true })
}

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
  /** HTML → PDF (Electron: printToPDF of a hidden window); default headless Chromium */
  printToPdf?: (html: string) => Promise<Uint8Array>
  /**
   * Whether a call comes from the studio's own window (Electron: the main frame of our renderer, by URL).
   * A call from anywhere else (an iframe, a navigated-away page) is refused before its arguments are read.
   * Default: every caller (tests and the e2e host, whose only caller is the renderer under test).
   */
  trustSender?: (event: unknown) => boolean
}

export interface IpcRegistration {
  /** experiments marked interrupted at startup (left 'running' by a studio that was killed) */
  recovered: string[]
  /** sweeps marked interrupted at startup (resumable) */
  recoveredSweeps: string[]
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
  // A full or read-only data folder must not stop the studio from opening: what fails here is said in the
  // window (studio:info's storageProblem) and every later write that fails is a result of its own.
  const storageProblems: string[] = []
  const tolerate = <T>(what: string, fn: () => T, fallback: T): T => {
    try { return fn() } catch (err) { storageProblems.push(`${what}: ${err instanceof Error ? err.message : String(err)}`); return fallback }
  }
  const store = createExperimentStore(join(deps.dataDir, 'experiments'))
  // One studio per data folder (Electron's single-instance lock): anything still 'running' was killed.
  const recovered = tolerate('marking experiments a killed studio left running as interrupted', () => store.recover(), [] as string[])
  const profiles = createProfileLibrary(join(deps.dataDir, 'profiles'))

  // sweeps left running by a killed studio are interrupted: the window offers to resume them
  const sweepsRoot = join(deps.dataDir, 'sweeps')
  const recoveredSweeps = tolerate('marking sweeps a killed studio left running as interrupted', () => recoverSweeps(sweepsRoot), [] as string[])
  tolerate('writing to the data folder', () => probeWritable(deps.dataDir), undefined)

  // one pool for every job of every experiment and sweep
  let poolPromise: Promise<WorkerPool> | undefined
  let pool: WorkerPool | undefined
  const getPool = () => (poolPromise ??= (async () => (pool = deps.pool ?? (await import('../workers/pool-node')).createNodeWorkerPool(workers)))())

  let experiments: Promise<ExperimentService> | undefined
  const getExperiments = () =>
    (experiments ??= (async () => {
      const pool = await getPool()
      return createExperimentService({
        store, pool, workers, resolveProfile: (ref) => profiles.resolveRef(ref),
        push: (u) => deps.send(PushChannels.experimentUpdate, u), intervalMs: deps.intervalMs ?? EXPERIMENT_UPDATE_INTERVAL_MS,
      })
    })())
  const withExperiments = async <T>(fn: (s: ExperimentService) => T): Promise<T> => fn(await getExperiments())

  let sweeps: Promise<SweepService> | undefined
  const getSweeps = () =>
    (sweeps ??= (async () => createSweepService({
      root: sweepsRoot, pool: await getPool(), push: (u) => deps.send(PushChannels.sweepUpdate, u),
      printToPdf: deps.printToPdf ?? printToPdfWithChromium, resolveProfile: (ref) => profiles.resolveRef(ref), studioVersion: version,
    }))())
  const withSweeps = async <T>(fn: (s: SweepService) => T): Promise<T> => fn(await getSweeps())

  let landscapes: Promise<LandscapeService> | undefined
  const getLandscapes = () =>
    (landscapes ??= (async () => createLandscapeService({ pool: await getPool(), push: (u) => deps.send(PushChannels.landscapeUpdate, u), resolveProfile: (ref) => profiles.resolveRef(ref) }))())
  const withLandscapes = async <T>(fn: (s: LandscapeService) => T): Promise<T> => fn(await getLandscapes())

  function handle<A, R>(channel: string, validate: ArgsValidator<A>, fn: (args: A) => Promise<R> | R) {
    ipcMain.handle(channel, (event, ...args) => {
      if (deps.trustSender && !deps.trustSender(event)) throw new IpcInputError(channel, 'the call does not come from the studio\'s own window')
      return fn(validate(args))
    })
  }

  handle(Channels.studioInfo, noArgs(Channels.studioInfo), async (): Promise<StudioInfo> => ({
    name: PRODUCT_NAME,
    version,
    engine: await (await getEngine()).info(),
    dataDir: deps.dataDir,
    workers,
    ...(storageProblems.length && { storageProblem: `The data folder ${deps.dataDir} cannot be written (${storageProblems.join('; ')}). Experiments and profiles cannot be saved until it can: free some space or fix its permissions, then restart the studio.` }),
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

  handle(Channels.sweepsDefaults, noArgs(Channels.sweepsDefaults), () => withSweeps((s) => s.defaults()))
  handle(Channels.sweepsCheck, oneArg(Channels.sweepsCheck, 'a sweep object', isPlainObject), (raw) => withSweeps((s) => s.check(raw)))
  handle(Channels.sweepsStart, oneArg(Channels.sweepsStart, 'a sweep object', isPlainObject), (raw) => withSweeps((s) => s.start(raw)))
  handle(Channels.sweepsResume, oneArg(Channels.sweepsResume, 'a sweep id', isSweepId), (id) => withSweeps((s) => s.resume(id)))
  handle(Channels.sweepsCancel, oneArg(Channels.sweepsCancel, 'a sweep id', isSweepId), (id) => withSweeps((s) => s.cancel(id)))
  handle(Channels.sweepsList, noArgs(Channels.sweepsList), () => withSweeps((s) => s.list()))
  handle(Channels.sweepsGet, oneArg(Channels.sweepsGet, 'a sweep id', isSweepId), (id) => withSweeps((s) => s.get(id)))
  handle(Channels.sweepsSelect, twoArgs(Channels.sweepsSelect, ['a sweep id', 'a constraints object'], isSweepId, isPlainObject), ([id, c]) => withSweeps((s) => s.select(id, c)))
  handle(Channels.sweepsExport, twoArgs(Channels.sweepsExport, ['a sweep id', 'a constraints object'], isSweepId, isPlainObject), ([id, c]) => withSweeps((s) => s.export(id, c)))
  handle(Channels.sweepsDelete, oneArg(Channels.sweepsDelete, 'a sweep id', isSweepId), (id) => withSweeps((s) => s.remove(id)))

  handle(Channels.landscapeStart, landscapeRequestArgs(Channels.landscapeStart), (req) => withLandscapes((s) => s.start(req)))
  handle(Channels.landscapeCancel, oneArg(Channels.landscapeCancel, 'a landscape study id', isLandscapeId), (id) => withLandscapes((s) => s.cancel(id)))

  return {
    recovered,
    recoveredSweeps,
    async dispose() {
      const r = experiments && (await experiments)
      await r?.dispose()
      const sw = sweeps && (await sweeps)
      await sw?.dispose()
      const ls = landscapes && (await landscapes)
      await ls?.dispose()
      await pool?.dispose()
      if (engine) await (await engine).dispose()
    },
  }
}
