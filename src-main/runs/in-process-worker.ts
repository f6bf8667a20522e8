// Test support: a RunWorker stand-in that exposes an API on one end of an in-process MessageChannel (the
// transport shape of a worker_thread; vitest can't start a worker from a .ts file on Node 20).
import { MessageChannel } from 'node:worker_threads'
import { expose } from 'comlink'
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs'
import type { RunApi } from '../../workers/run-api'
import type { RunWorker } from './pool'

export interface FakeWorker extends RunWorker {
  terminated: boolean
  /** fires onExit as the worker dying would: with an error for a crash, without for a plain exit */
  crash(err?: Error): void
}

export function inProcessSpawn(makeApi: () => RunApi) {
  const workers: FakeWorker[] = []
  const spawn = (): FakeWorker => {
    const { port1, port2 } = new MessageChannel()
    expose(makeApi(), nodeEndpoint(port1))
    let exit: (err?: Error) => void = () => {}
    const w: FakeWorker = {
      endpoint: nodeEndpoint(port2),
      terminated: false,
      async terminate() {
        w.terminated = true
        port1.close()
        port2.close()
        exit() // a real worker emits 'exit' after terminate() too
      },
      onExit: (cb) => { exit = cb },
      crash: (err) => exit(err),
    }
    workers.push(w)
    return w
  }
  return { spawn, workers }
}
