// Starts the engine worker_thread and talks to it through comlink. No Electron import: this runs in
// Electron's main process and, for e2e, under plain Node (out/main/ipc-handlers.js).
import type { Worker } from 'node:worker_threads'
import { wrap, releaseProxy, type Remote } from 'comlink'
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs'
import createEngineWorker from '../workers/engine.node-worker?nodeWorker'
import type { EngineApi, EngineInfo } from '../workers/engine-api'

/** What the IPC layer needs from the engine. Tests pass an in-process implementation. */
export interface EngineClient {
  info(): Promise<EngineInfo>
  dispose(): Promise<void>
}

export function createEngineHost(): EngineClient {
  let worker: Worker | undefined
  let api: Remote<EngineApi> | undefined
  // Rejects once the worker dies, so pending calls fail instead of hanging forever.
  let died: Promise<never> | undefined

  function start(): Remote<EngineApi> {
    if (api) return api
    const w = createEngineWorker({ name: 'lastmile-engine' })
    died = new Promise<never>((_, reject) => {
      w.once('error', (err) => reject(new Error(`engine worker crashed: ${err.message}`)))
      w.once('exit', (code) => {
        reject(new Error(`engine worker exited (code ${code})`))
        // Forget the dead worker so the next call starts a fresh one.
        if (worker === w) api = worker = undefined
      })
    })
    died.catch(() => {}) // observed via Promise.race below; avoid an unhandled rejection when idle
    worker = w
    api = wrap<EngineApi>(nodeEndpoint(w))
    return api
  }

  async function call<T>(fn: (a: Remote<EngineApi>) => Promise<T>): Promise<T> {
    const a = start()
    const dead = died!
    return Promise.race([fn(a), dead])
  }

  return {
    info: () => call((a) => a.info()),
    async dispose() {
      api?.[releaseProxy]()
      const w = worker
      api = worker = died = undefined
      if (w) await w.terminate()
    },
  }
}
