// The production prepare step for the run service: a worker_thread per experiment run (bundled by
// electron-vite from workers/prepare.node-worker.ts), so loading data and pretraining never block the main
// process. Cancelling terminates the thread. Only built entries import this file (see pool-node.ts).
import { wrap, proxy, releaseProxy } from 'comlink'
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs'
import createPrepareWorker from '../../workers/prepare.node-worker?nodeWorker'
import type { PrepareApi } from '../../workers/prepare-api'
import type { PrepareFn } from './service'

export const prepareInWorker: PrepareFn = async (spec, onEvent, signal) => {
  if (signal.aborted) throw new Error('cancelled before it started')
  const w = createPrepareWorker({ name: 'lastmile-prepare' })
  const api = wrap<PrepareApi>(nodeEndpoint(w))
  let onAbort = () => {}
  try {
    return await new Promise((resolve, reject) => {
      onAbort = () => reject(new Error('cancelled'))
      signal.addEventListener('abort', onAbort, { once: true })
      w.once('error', (err) => reject(new Error(`the prepare worker crashed: ${err.message}`)))
      w.once('exit', (code) => reject(new Error(`the prepare worker exited (code ${code})`)))
      api.prepare(spec, proxy(onEvent)).then(resolve, reject)
    })
  } finally {
    signal.removeEventListener('abort', onAbort)
    api[releaseProxy]()
    await w.terminate()
  }
}
