// All ipcMain handlers. Deliberately Electron-free: it receives anything with `handle(channel, fn)`, so the
// same code runs in Electron's main process and, for e2e and tests, under plain Node with a fake ipcMain.
// Built as its own entry (out/main/ipc-handlers.js) for that reason.
import { version } from '../package.json'
import { Channels } from './ipc/channels'
import { noArgs, type ArgsValidator } from './ipc/validate'
import type { EngineClient } from './engine-host'
import type { StudioInfo } from './preload/api'

export const PRODUCT_NAME = 'Lastmile Studio'

/** The subset of Electron's IpcMain we use. The first handler argument is the IpcMainInvokeEvent. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: unknown, ...args: unknown[]) => unknown): void
}

export interface IpcDeps {
  /** Defaults to the real worker_thread engine. */
  engine?: EngineClient
}

export interface IpcRegistration {
  /** Stops the engine worker. */
  dispose(): Promise<void>
}

export function registerIpcHandlers(ipcMain: IpcMainLike, deps: IpcDeps = {}): IpcRegistration {
  // The worker starts on first use. engine-host is imported lazily so unit tests can inject an engine
  // without loading the `?nodeWorker` import (only electron-vite's build understands it).
  let engine: Promise<EngineClient> | undefined
  const getEngine = () =>
    (engine ??= deps.engine ? Promise.resolve(deps.engine) : import('./engine-host').then((m) => m.createEngineHost()))

  function handle<A, R>(channel: string, validate: ArgsValidator<A>, fn: (args: A) => Promise<R> | R) {
    ipcMain.handle(channel, (_event, ...args) => fn(validate(args)))
  }

  handle(Channels.studioInfo, noArgs(Channels.studioInfo), async (): Promise<StudioInfo> => ({
    name: PRODUCT_NAME,
    version,
    engine: await (await getEngine()).info(),
  }))

  return {
    async dispose() {
      if (engine) await (await engine).dispose()
    },
  }
}
