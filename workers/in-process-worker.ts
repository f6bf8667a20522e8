// A PoolWorker stand-in that exposes an API on one end of a MessageChannel on THIS thread: the transport
// shape of a worker_thread without the thread. Tests use it (vitest can't start a worker from a .ts file
// on Node 20), and so does the CLI's `--workers 0` (everything in-process, through the same pool).
import { MessageChannel } from 'node:worker_threads'
import { expose } from 'comlink'
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs'
import type { PoolWorker } from './pool'

export interface InProcessWorker extends PoolWorker {
  terminated: boolean
  /** fires onExit as the worker dying would: with an error for a crash, without for a plain exit */
  crash(err?: Error): void
}

export function inProcessSpawn(makeApi: () => object) {
  const workers: InProcessWorker[] = []
  const spawn = (): InProcessWorker => {
    const { port1, port2 } = new MessageChannel()
    expose(makeApi(), nodeEndpoint(port1))
    let exit: (err?: Error) => void = () => {}
    const w: InProcessWorker = {
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
