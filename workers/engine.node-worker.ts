// Node worker_thread entry: exposes the engine API to the main process over comlink.
// Bundled by electron-vite as a chunk of out/main via `?nodeWorker` (see src-main/engine-host.ts).
import { isMainThread, parentPort } from 'node:worker_threads'
import { expose } from 'comlink'
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs'
import { createEngineApi } from './engine-api'

if (!parentPort) throw new Error('engine.node-worker must be started as a worker_thread')

expose(createEngineApi({ runtime: isMainThread ? 'main-thread' : 'worker' }), nodeEndpoint(parentPort))
