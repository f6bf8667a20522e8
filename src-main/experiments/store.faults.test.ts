// Disk faults injected under the REAL store's file calls (node:fs wrapped, everything else real): a disk that
// fills after N bytes (the failing write keeps the bytes that fit, as a short write does, then throws
// ENOSPC) and a folder that refuses every write (EACCES / EROFS). Running as root, chmod cannot make a
// folder read-only here, hence the wrapper.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

const fault = vi.hoisted(() => ({ bytesLeft: Infinity, refuse: undefined as string | undefined }))

vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>()
  const refuse = (call: string) => {
    if (fault.refuse) throw Object.assign(new Error(`${fault.refuse}: refused, ${call}`), { code: fault.refuse })
  }
  /** write what still fits, then fail like a full disk */
  const spend = (data: string, write: (part: string) => void) => {
    refuse('write')
    const fits = Math.min(Buffer.byteLength(data), fault.bytesLeft)
    if (fits > 0) write(Buffer.from(data).subarray(0, fits).toString('latin1'))
    fault.bytesLeft -= fits
    if (fits < Buffer.byteLength(data)) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })
  }
  return {
    ...real,
    appendFileSync: (file: string, data: string) => spend(data, (part) => real.appendFileSync(file, part, 'latin1')),
    writeSync: (fd: number, data: string) => { spend(data, (part) => real.writeSync(fd, part, null, 'latin1')); return Buffer.byteLength(data) },
    openSync: (...a: Parameters<typeof real.openSync>) => { refuse('open'); return real.openSync(...a) },
    mkdirSync: (...a: Parameters<typeof real.mkdirSync>) => { refuse('mkdir'); return real.mkdirSync(...a) },
  }
})

const { createExperimentStore } = await import('./store')

let root: string
beforeEach(() => {
  fault.bytesLeft = Infinity
  fault.refuse = undefined
  root = mkdtempSync(join(tmpdir(), 'lastmile-faults-'))
})
afterEach(() => rmSync(root, { recursive: true, force: true }))

const batch = (b: number) => Array.from({ length: 20 }, (_, i) => ({ type: 'step', b, i, loss: 1 / (b + i + 1) }))

describe('run store on a full disk', () => {
  it.each([0, 1, 100, 777, 2500])('fills %i bytes into the appends: ENOSPC is thrown, every complete batch reads back, a later append after space is freed reads too', (spare) => {
    const store = createExperimentStore(root)
    const { id } = store.create({ s: 1 }, { name: 'full', labels: [] })
    store.append(id, batch(0))
    fault.bytesLeft = spare
    let written = 1
    for (let b = 1; b < 10; b++) {
      try { store.append(id, batch(b)); written++ } catch (err) {
        expect((err as NodeJS.ErrnoException).code).toBe('ENOSPC')
        break
      }
    }
    expect(written).toBeLessThan(10)
    // the store cut the failed batch back out: the file ends with a complete line
    expect(readFileSync(join(root, id, 'metrics.jsonl'), 'utf8').endsWith('\n')).toBe(true)
    expect(store.get(id).events).toEqual(Array.from({ length: written }, (_, b) => batch(b)).flat())
    // ending the run on a full disk fails with ENOSPC and leaves the old meta.json whole (atomic rename)
    expect(() => store.fail(id, 'disk full')).toThrow(/ENOSPC/)
    expect(store.get(id).meta.status).toBe('running')
    expect(readdirSync(join(root, id)).filter((f) => f.endsWith('.tmp'))).toEqual([])
    // space freed: appends resume after the last complete batch, the run ends, nothing reads as corrupt
    fault.bytesLeft = Infinity
    store.append(id, batch(99))
    store.fail(id, 'disk was full')
    const run = store.get(id)
    expect(run.events).toEqual([...Array.from({ length: written }, (_, b) => batch(b)).flat(), ...batch(99)])
    expect(run.meta).toMatchObject({ status: 'failed', error: 'disk was full' })
  })

  it('a create() that runs out of space leaves nothing list() shows, and the next one works', () => {
    const store = createExperimentStore(root)
    for (const spare of [0, 10, 60, 200]) {
      fault.bytesLeft = spare
      expect(() => store.create({ big: 'y'.repeat(100) }, { name: 'x', labels: [] })).toThrow(/ENOSPC/)
      expect(store.list()).toEqual([])
    }
    fault.bytesLeft = Infinity
    const ok = store.create({}, { name: 'after', labels: [] })
    expect(store.list().map((m) => m.id)).toEqual([ok.id])
  })
})

describe('run store on a read-only folder', () => {
  it.each(['EACCES', 'EROFS'])('%s: create, append and end throw with the code; reads still work', (code) => {
    const store = createExperimentStore(root)
    const { id } = store.create({ s: 2 }, { name: 'ro', labels: [] })
    store.append(id, batch(0))
    fault.refuse = code
    expect(() => store.create({}, { name: 'no', labels: [] })).toThrow(code)
    expect(() => store.append(id, batch(1))).toThrow(code)
    expect(() => store.finish(id, {})).toThrow(code)
    expect(() => store.recover()).not.toThrow() // nothing to mark: this process's own run
    expect(store.list().map((m) => m.id)).toEqual([id])
    expect(store.get(id)).toMatchObject({ meta: { status: 'running' }, events: batch(0) })
    // a store opened on a folder that cannot be made fails its first write, not its construction
    const unmade = createExperimentStore(join(root, 'nope'))
    expect(() => unmade.create({}, { name: 'x', labels: [] })).toThrow(code)
  })
})
