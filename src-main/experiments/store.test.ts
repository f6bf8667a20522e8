import { spawn } from 'node:child_process'
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createExperimentStore, newExperimentId, EXPERIMENT_ID_PATTERN, type ExperimentStore } from './store'

let root: string
let store: ExperimentStore

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'lastmile-runs-'))
  store = createExperimentStore(root)
})
afterEach(() => rmSync(root, { recursive: true, force: true }))

const spec = { model: 'lenet', seed: 3 }
const step = (i: number) => ({ type: 'step', run: 0, step: i, loss: 1 / (i + 1) })

describe('run store', () => {
  it('round trip: create, append, finish, list, get', () => {
    const a = store.create(spec, { name: 'a', labels: ['x'] })
    expect(a.id).toMatch(EXPERIMENT_ID_PATTERN)
    expect(a.meta).toMatchObject({ id: a.id, name: 'a', labels: ['x'], status: 'running', pid: process.pid })
    store.append(a.id, [step(0), step(1)])
    store.append(a.id, [])
    store.append(a.id, [step(2)])
    store.finish(a.id, { accuracy: 0.9 })
    const b = store.create({}, { name: 'b', labels: [] })

    expect(store.list().map((m) => m.id)).toEqual([b.id, a.id].sort().reverse())
    const got = store.get(a.id)
    expect(got.spec).toEqual(spec)
    expect(got.summary).toEqual({ accuracy: 0.9 })
    expect(got.events).toEqual([step(0), step(1), step(2)])
    expect(got.meta.status).toBe('finished')
    expect(Date.parse(got.meta.endedAt!)).toBeGreaterThanOrEqual(Date.parse(got.meta.createdAt))
    expect(store.get(b.id)).toEqual({ meta: b.meta, spec: {}, plan: {}, events: [] })
  })

  it('ids sort by creation time', () => {
    const ids = [new Date('2024-12-31T23:59:59.999Z'), new Date('2025-01-01T00:00:00.000Z'), new Date('2025-01-01T00:00:00.001Z')].map((d) => newExperimentId(d))
    expect([...ids].reverse().sort()).toEqual(ids)
  })

  it('cancel and fail set the status once; no .tmp file is left behind', () => {
    const a = store.create(spec, { name: 'a', labels: [] })
    const b = store.create(spec, { name: 'b', labels: [] })
    store.cancel(a.id)
    store.fail(b.id, 'out of memory')
    expect(store.get(a.id).meta.status).toBe('cancelled')
    expect(store.get(a.id).summary).toBeUndefined()
    expect(store.get(b.id).meta).toMatchObject({ status: 'failed', error: 'out of memory' })
    expect(() => store.finish(a.id, {})).toThrow(/already cancelled/)
    for (const id of [a.id, b.id]) expect(readdirSync(join(root, id)).sort()).toEqual(['meta.json', 'plan.json', 'spec.json'])
  })

  it('tolerates a torn last line, but not a bad line before it', () => {
    const { id } = store.create(spec, { name: 'a', labels: [] })
    store.append(id, [step(0), step(1)])
    const file = join(root, id, 'metrics.jsonl')
    appendFileSync(file, '{"type":"step","run":0,"st') // a batch cut short by a crash
    expect(store.get(id).events).toEqual([step(0), step(1)])

    writeFileSync(file, JSON.stringify(step(0)) + '\n{"broken\n' + JSON.stringify(step(2)) + '\n')
    expect(() => store.get(id)).toThrow(`${file}:2: unparsable line`)
  })

  it('rejects ids that are not run ids (no path traversal)', () => {
    const { id } = store.create(spec, { name: 'a', labels: [] })
    writeFileSync(join(root, 'meta.json'), '{}')
    for (const bad of ['..', '../x', `${id}/..`, `../${id}`, `${id}/../..`, '/etc', '', '.', `${id}\0`, `${id}/`]) {
      expect(() => store.get(bad), bad).toThrow(/invalid run id/)
      expect(() => store.remove(bad), bad).toThrow(/invalid run id/)
      expect(() => store.append(bad, [step(0)]), bad).toThrow(/invalid run id/)
      expect(() => store.finish(bad, {}), bad).toThrow(/invalid run id/)
    }
    expect(existsSync(join(root, id, 'meta.json'))).toBe(true)
    expect(existsSync(join(root, 'meta.json'))).toBe(true)
  })

  it('remove deletes the folder', () => {
    const a = store.create(spec, { name: 'a', labels: [] })
    const b = store.create(spec, { name: 'b', labels: [] })
    store.append(a.id, [step(0)])
    store.remove(a.id)
    expect(existsSync(join(root, a.id))).toBe(false)
    expect(store.list().map((m) => m.id)).toEqual([b.id])
  })

  it('list skips a folder whose create() never wrote meta.json', () => {
    const a = store.create(spec, { name: 'a', labels: [] })
    rmSync(join(root, a.id, 'meta.json'))
    expect(store.list()).toEqual([])
  })

  it('recover leaves finished runs and this process\'s running runs alone', () => {
    const done = store.create(spec, { name: 'done', labels: [] })
    store.append(done.id, [step(0)])
    store.finish(done.id, { accuracy: 1 })
    const live = store.create(spec, { name: 'live', labels: [] })
    const files = (id: string) => readdirSync(join(root, id)).map((f) => [f, readFileSync(join(root, id, f), 'utf8')])
    const before = [files(done.id), files(live.id)]
    expect(store.recover()).toEqual([])
    expect([files(done.id), files(live.id)]).toEqual(before)
  })

  // A real crash: a child process writes a run exactly as the store does and is SIGKILLed mid-stream.
  it('a SIGKILLed writer: recover() marks its run interrupted and get() returns every complete batch', async () => {
    const id = newExperimentId()
    const dir = join(root, id)
    const BATCH = 50
    // The child cannot import the TypeScript store, so it mirrors the store's format by hand: meta.json via
    // tmp + rename with status 'running' and its own pid, then one appendFileSync of JSON lines per batch.
    // It prints each batch number once that batch's appendFileSync has returned.
    const child = join(root, 'writer.mjs')
    writeFileSync(child, `
      import { appendFileSync, mkdirSync, renameSync, writeFileSync } from 'node:fs'
      import { join } from 'node:path'
      const [dir, id] = process.argv.slice(2)
      const json = (file, v) => { writeFileSync(file + '.tmp', JSON.stringify(v)); renameSync(file + '.tmp', file) }
      mkdirSync(dir)
      json(join(dir, 'spec.json'), { from: 'child' })
      json(join(dir, 'meta.json'), { id, name: 'child', labels: [], createdAt: new Date().toISOString(), status: 'running', pid: process.pid })
      const pad = 'x'.repeat(2000) // big batches (~100 kB) so the kill may land inside a write
      let batch = 0
      setInterval(() => {
        let lines = ''
        for (let i = 0; i < ${BATCH}; i++) lines += JSON.stringify({ type: 'step', batch, i, pad }) + '\\n'
        appendFileSync(join(dir, 'metrics.jsonl'), lines)
        process.stdout.write(batch++ + '\\n')
      }, 2)
    `)
    const proc = spawn(process.execPath, [child, dir, id], { stdio: ['ignore', 'pipe', 'inherit'] })
    let reported = -1
    await new Promise<void>((resolve, reject) => {
      proc.on('error', reject)
      proc.on('exit', (code) => reject(new Error(`writer exited early (${code})`)))
      proc.stdout.on('data', (chunk: Buffer) => {
        reported = Math.max(reported, ...chunk.toString().trim().split('\n').map(Number))
        if (reported >= 20) resolve()
      })
    })
    proc.removeAllListeners('exit')
    const exited = new Promise((resolve) => proc.on('exit', (_code, signal) => resolve(signal)))
    proc.kill('SIGKILL')
    expect(await exited).toBe('SIGKILL')
    expect(() => process.kill(proc.pid!, 0)).toThrow() // the writer is gone

    expect(store.get(id).meta.status).toBe('running')
    expect(store.recover()).toEqual([id])
    const run = store.get(id)
    expect(run.meta.status).toBe('interrupted')
    expect(run.meta.endedAt).toBeDefined()
    expect(run.spec).toEqual({ from: 'child' })
    // Events are the batches in order, with nothing missing: every batch the child reported complete is
    // there, and only the one being written at the kill may be cut short.
    const events = run.events as { batch: number; i: number }[]
    events.forEach((e, k) => expect([e.batch, e.i]).toEqual([Math.floor(k / BATCH), k % BATCH]))
    expect(events.length).toBeGreaterThanOrEqual((reported + 1) * BATCH)
    expect(store.recover()).toEqual([]) // idempotent
  })
})
