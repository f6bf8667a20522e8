// The production spawn factory for the run pool: a real worker_thread per job, bundled by electron-vite
// (`?nodeWorker` turns the worker entry into a chunk next to main; see toolchain.md §3). Only the built
// app imports this file: vitest can't start a worker from a .ts file on Node 20, so tests inject an
// in-process factory into createRunPool instead.
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs'
import createRunWorker from '../../workers/run.node-worker?nodeWorker'
import { createRunPool, type RunPool, type RunWorker } from './pool'

let spawned = 0

export function spawnNodeRunWorker(): RunWorker {
  const w = createRunWorker({ name: `lastmile-run-${++spawned}` })
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

export function createNodeRunPool(size?: number): RunPool {
  return createRunPool({ size, spawn: spawnNodeRunWorker })
}
