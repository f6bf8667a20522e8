// The real IPC handlers on a fake ipcMain, with the engine API exposed over an in-process comlink
// MessageChannel instead of a worker_thread (vitest can't start a .ts worker on Node 20).
import { MessageChannel } from 'node:worker_threads'
import { afterEach, describe, expect, it } from 'vitest'
import { expose, wrap } from 'comlink'
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs'
import { createEngineApi, type EngineApi } from '../../workers/engine-api'
import { registerIpcHandlers, PRODUCT_NAME, type IpcMainLike } from '../ipc-handlers'
import { Channels, PRELOAD_METHODS } from '../ipc/channels'
import type { EngineClient } from '../engine-host'
import pkg from '../../package.json'

type Handler = (event: unknown, ...args: unknown[]) => unknown

function setup() {
  const handlers = new Map<string, Handler>()
  const ipcMain: IpcMainLike = { handle: (channel, fn) => void handlers.set(channel, fn) }
  const { port1, port2 } = new MessageChannel()
  expose(createEngineApi({ runtime: 'main-thread' }), nodeEndpoint(port1))
  const remote = wrap<EngineApi>(nodeEndpoint(port2))
  let disposed = false
  const engine: EngineClient = {
    info: () => remote.info(),
    dispose: async () => {
      disposed = true
      port1.close()
      port2.close()
    },
  }
  const reg = registerIpcHandlers(ipcMain, { engine })
  return { handlers, reg, isDisposed: () => disposed }
}

describe('registerIpcHandlers', () => {
  let teardown: () => Promise<void> = async () => {}
  afterEach(() => teardown())

  it('registers exactly the channels the preload exposes', () => {
    const { handlers, reg } = setup()
    teardown = () => reg.dispose()
    expect([...handlers.keys()].sort()).toEqual(Object.values(PRELOAD_METHODS).sort())
  })

  it('studio:info returns app and engine info', async () => {
    const { handlers, reg } = setup()
    teardown = () => reg.dispose()
    const info = await handlers.get(Channels.studioInfo)!({})
    expect(info).toMatchObject({ name: PRODUCT_NAME, version: pkg.version, engine: { runtime: 'main-thread' } })
  })

  it('rejects unexpected arguments with an error naming the channel', async () => {
    const { handlers, reg } = setup()
    teardown = () => reg.dispose()
    await expect(async () => handlers.get(Channels.studioInfo)!({}, 'surprise')).rejects.toThrow(
      'studio:info: invalid arguments: expected no arguments, got 1',
    )
  })

  it('dispose stops the engine', async () => {
    const { handlers, reg, isDisposed } = setup()
    await handlers.get(Channels.studioInfo)!({})
    await reg.dispose()
    expect(isDisposed()).toBe(true)
  })
})
