// The production spawn factory for the worker pool: a real worker_thread per job, bundled by electron-vite
// (`?nodeWorker` turns the worker entry into a chunk next to its importer; see toolchain.md §3). Only built
// entries (the app, the CLI) import this file: vitest can't start a worker from a .ts file on Node 20, so
// tests inject the in-process spawn (in-process-worker.ts) instead.
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs'
import createWorker from './experiment.node-worker?nodeWorker'
import { createWorkerPool, type PoolWorker, type WorkerPool } from './pool'

let spawned = 0

export function spawnNodeWorker(): PoolWorker {
  const w = createWorker({ name: `lastmile-job-${++spawned}` })
  return {
    endpoint: nodeEndpoint(w),
    terminate: () => w.terminate(),
    onExit(cb) {
      // 'error' (an uncaught exception in the worker) is followed by 'exit'; report the error once.
      let reported = false
      w.once('error', (err) => { reported = true; cb(err) })
      w.once('exit', (code) => { if (!reported) cb(code === 0 ? undefined : new Error(`worker exited with code ${code}`)) })
    },
  }
}

export function createNodeWorkerPool(size?: number): WorkerPool {
  return createWorkerPool({ size, spawn: spawnNodeWorker })
}
