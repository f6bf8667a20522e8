// Node worker_thread entry for one experiment run (see workers/experiment/host.ts).
import { parentPort } from 'node:worker_threads'
import { performance } from 'node:perf_hooks'
import { expose } from 'comlink'
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs'
import { createRunApi } from './run-api'

if (!parentPort) throw new Error('run.node-worker must be started as a worker_thread')

expose(createRunApi(() => performance.now()), nodeEndpoint(parentPort))
