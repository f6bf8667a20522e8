// Checks the comlink wiring of the engine API over an in-process MessageChannel (the same transport
// shape as a worker_thread). Vitest can't start a worker from a .ts file on Node 20; the real thread is
// exercised by the e2e smoke test through the built out/main/ipc-handlers.js.
import { MessageChannel } from 'node:worker_threads'
import { afterEach, describe, expect, it } from 'vitest'
import { expose, wrap, releaseProxy, type Remote } from 'comlink'
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs'
import { createEngineApi, ENGINE_API_VERSION, ENGINE_VERSION, type EngineApi } from '../engine-api'

describe('engine API over comlink', () => {
  let cleanup: () => void = () => {}
  afterEach(() => {
    cleanup()
    cleanup = () => {}
  })

  function connect(): Remote<EngineApi> {
    const { port1, port2 } = new MessageChannel()
    expose(createEngineApi({ runtime: 'main-thread' }), nodeEndpoint(port1))
    const remote = wrap<EngineApi>(nodeEndpoint(port2))
    cleanup = () => {
      remote[releaseProxy]()
      port1.close()
      port2.close()
    }
    return remote
  }

  it('answers info() across the channel with plain, cloneable data', async () => {
    const info = await connect().info()
    expect(info).toEqual({ runtime: 'main-thread', engineVersion: ENGINE_VERSION, apiVersion: ENGINE_API_VERSION, kernelBackends: [{ id: 'typescript', label: 'TypeScript (exact, portable)' }, { id: 'wasm-simd', label: 'WebAssembly SIMD (exact; TypeScript where not covered)' }] })
    expect(structuredClone(info)).toEqual(info)
  })

  it('reports the runtime its host declared', () => {
    expect(createEngineApi({ runtime: 'worker' }).info().runtime).toBe('worker')
  })
})
