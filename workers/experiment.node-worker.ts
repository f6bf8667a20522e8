// Node worker_thread entry of the pool (pool-node.ts): a run or an experiment's preparation per worker.
import { parentPort } from 'node:worker_threads'
import { performance } from 'node:perf_hooks'
import { expose } from 'comlink'
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs'
import { createWorkerApi } from './worker-api'

if (!parentPort) throw new Error('experiment.node-worker must be started as a worker_thread')

expose(createWorkerApi(() => performance.now()), nodeEndpoint(parentPort))
