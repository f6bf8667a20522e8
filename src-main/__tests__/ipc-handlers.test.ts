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
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createWorkerPool } from '../../workers/pool'
import { inProcessSpawn } from '../../workers/in-process-worker'
import { createWorkerApi } from '../../workers/worker-api'
import { TINY_EXPERIMENT } from '../../simulators/experiment/tiny-experiment'

type Handler = (event: unknown, ...args: unknown[]) => unknown

function setup(extra: { trustSender?: (event: unknown) => boolean; dataDir?: string } = {}) {
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
  const dataDir = extra.dataDir ?? mkdtempSync(join(tmpdir(), 'lastmile-ipc-'))
  const pushes: [string, unknown][] = []
  const pool = createWorkerPool({ size: 1, spawn: inProcessSpawn(() => createWorkerApi(() => 0)).spawn })
  const reg = registerIpcHandlers(ipcMain, { engine, dataDir, send: (c, p) => void pushes.push([c, p]), pool, workers: 3, ...extra })
  return { handlers, reg, dataDir, pushes, isDisposed: () => disposed }
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
    const { handlers, reg, dataDir } = setup()
    teardown = () => reg.dispose()
    const info = await handlers.get(Channels.studioInfo)!({})
    expect(info).toMatchObject({ name: PRODUCT_NAME, version: pkg.version, engine: { runtime: 'main-thread' }, dataDir, workers: 3 })
  })

  it('validates every channel\'s arguments before any service sees them', async () => {
    const { handlers, reg } = setup()
    teardown = () => reg.dispose()
    const call = (ch: string, ...args: unknown[]) => (async () => handlers.get(ch)!({}, ...args))()
    await expect(call(Channels.experimentsGet, '../../etc')).rejects.toThrow('experiments:get: invalid arguments: expected an experiment id')
    await expect(call(Channels.experimentsDelete)).rejects.toThrow('experiments:delete: invalid arguments: expected 1 argument (an experiment id), got 0')
    await expect(call(Channels.experimentsStart, [1, 2])).rejects.toThrow('experiments:start: invalid arguments: expected an experiment object')
    await expect(call(Channels.profilesSave, 'x')).rejects.toThrow('profiles:save: invalid arguments: expected a profile object')
    await expect(call(Channels.profilesDelete, 'a/b')).rejects.toThrow('profiles:delete: invalid arguments: expected a profile id')
    await expect(call(Channels.experimentsStart, { data: 'x'.repeat(5 * 1024 * 1024) })).rejects.toThrow('expected an experiment object')
    // contents are validated by the services: a bad field is a result, not an exception
    expect(await call(Channels.experimentsStart, { steps: -1 })).toMatchObject({ ok: false, errors: [{ path: 'steps' }] })
    expect(await call(Channels.experimentsList)).toEqual([])
  })

  it('accepts only JSON: no Map, Set, Date, typed array, class instance, NaN or cycle, nothing nested past the bound', async () => {
    const { handlers, reg } = setup()
    teardown = () => reg.dispose()
    const call = (ch: string, ...args: unknown[]) => (async () => handlers.get(ch)!({}, ...args))()
    const cyclic: Record<string, unknown> = { steps: 3 }
    cyclic.self = cyclic
    let deep: Record<string, unknown> = {}
    for (let i = 0; i < 5000; i++) deep = { x: deep }
    for (const bad of [new Map([['steps', 3]]), new Date(), new Set(), new Uint8Array(4), { runs: [new Map()] }, { steps: Number.NaN }, { seed: Infinity }, cyclic, deep, new (class Spec { steps = 3 })()]) {
      await expect(call(Channels.experimentsStart, bad)).rejects.toThrow('experiments:start: invalid arguments: expected an experiment object')
    }
    // the same sub-object twice is still JSON
    const formats = { weightBits: 8 }
    expect(await call(Channels.experimentsCheck, { steps: 3, runs: [{ algorithm: 'backprop', formats }, { algorithm: 'zo-spsa', formats }] })).toMatchObject({ ok: true })
    expect(await call(Channels.experimentsCheck, Object.assign(Object.create(null), { steps: 3 }))).toMatchObject({ ok: true })
  })

  it('refuses profile ids that are device names on Windows', async () => {
    const { handlers, reg } = setup()
    teardown = () => reg.dispose()
    const call = (ch: string, ...args: unknown[]) => (async () => handlers.get(ch)!({}, ...args))()
    for (const id of ['con', 'nul', 'aux', 'prn', 'com1', 'lpt9', 'con.json', 'nul.x']) {
      await expect(call(Channels.profilesDelete, id)).rejects.toThrow('profiles:delete: invalid arguments: expected a profile id')
    }
    // only the exact names are reserved: "console" passes the IPC check and reaches the library
    await expect(call(Channels.profilesDelete, 'console')).rejects.toThrow('there is no user profile "console"')
  })

  it('opens on a data folder it cannot write, and says so in studio:info; starting is a result naming the cause', async () => {
    // root ignores permissions, so the unwritable folder is a path under a regular file (ENOTDIR on every write)
    const file = join(mkdtempSync(join(tmpdir(), 'lastmile-ro-')), 'not-a-folder')
    writeFileSync(file, 'x')
    const { handlers, reg } = setup({ dataDir: join(file, 'data') })
    teardown = () => reg.dispose()
    const info = (await handlers.get(Channels.studioInfo)!({})) as { storageProblem?: string }
    expect(info.storageProblem).toMatch(/cannot be written \(.*ENOTDIR/)
    const r = await handlers.get(Channels.experimentsStart)!({}, TINY_EXPERIMENT)
    expect(r).toMatchObject({ ok: false, errors: [{ message: expect.stringMatching(/^not started: the data folder refused a write \(ENOTDIR/) }] })
  })

  it('refuses every call that does not come from the studio\'s own window', async () => {
    const { handlers, reg } = setup({ trustSender: (e) => (e as { ok?: boolean }).ok === true })
    teardown = () => reg.dispose()
    await expect((async () => handlers.get(Channels.experimentsList)!({ ok: false }))()).rejects.toThrow('experiments:list: invalid arguments: the call does not come from the studio\'s own window')
    expect(await handlers.get(Channels.experimentsList)!({ ok: true })).toEqual([])
  })

  it('starts an experiment, pushes its updates on experiments:update, and lists it', async () => {
    const { handlers, reg, pushes } = setup()
    teardown = () => reg.dispose()
    const r = (await handlers.get(Channels.experimentsStart)!({}, TINY_EXPERIMENT)) as { ok: true; id: string }
    expect(r.ok).toBe(true)
    await expect.poll(async () => ((await handlers.get(Channels.experimentsList)!({})) as { meta: { status: string } }[])[0]?.meta.status, { timeout: 30_000 }).toBe('finished')
    expect(pushes.every(([c]) => c === 'experiments:update')).toBe(true)
    expect(pushes.at(-1)![1]).toMatchObject({ id: r.id, stage: 'ended' })
    const rec = (await handlers.get(Channels.experimentsGet)!({}, r.id)) as { update: { runs: { status: string }[] } }
    expect(rec.update.runs.map((p) => p.status)).toEqual(['finished', 'finished'])
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
