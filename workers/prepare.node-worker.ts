// Node worker_thread entry that prepares an experiment for the studio (see prepare-api.ts).
import { parentPort } from 'node:worker_threads'
import { expose } from 'comlink'
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs'
import { createPrepareApi } from './prepare-api'

if (!parentPort) throw new Error('prepare.node-worker must be started as a worker_thread')

expose(createPrepareApi(), nodeEndpoint(parentPort))
