// The sweep store's record must never show a stopped sweep beside a partial table: "finished" arrives with
// the final rows, and a slow answer to an older getSweep (a refresh sent while it ran) never replaces a newer
// one. Seen in e2e under load: data-status "finished" with 17 of 34 rows for more than 5 s.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import type { SweepRecord, SweepUpdate } from '../../api/bridge'
import { useSweepsStore } from './store'

const recordOf = (status: string, rows: number) =>
  ({ meta: { id: 's1', name: 's', status }, report: { rows: Array.from({ length: rows }, (_, i) => ({ i })) } }) as unknown as SweepRecord

let push: (u: SweepUpdate) => void
let answers: { resolve: (r: SweepRecord) => void }[]

beforeEach(() => {
  setActivePinia(createPinia())
  answers = []
  vi.stubGlobal('window', {
    api: {
      onSweepUpdate: (f: (u: SweepUpdate) => void) => { push = f; return () => {} },
      listSweeps: async () => [{ meta: { id: 's1', name: 's', status: 'running' } }],
      getSweep: () => new Promise<SweepRecord>((resolve) => answers.push({ resolve })),
    },
  })
})
afterEach(() => vi.unstubAllGlobals())

const settle = () => new Promise((r) => setTimeout(r, 0))

describe('sweeps store', () => {
  it('a stopped status is shown only with the final record; an older, slower answer is dropped', async () => {
    const store = useSweepsStore()
    await store.init()
    const first = store.open('s1')
    answers[0].resolve(recordOf('running', 17))
    await first
    expect(store.record?.meta.status).toBe('running')
    // a refresh is in flight (older), then the sweep ends and the final fetch goes out (newer)
    const refresh = store.open('s1')
    push({ id: 's1', meta: { id: 's1', name: 's', status: 'finished' } } as unknown as SweepUpdate)
    await settle()
    // the status does not change before the final record arrives
    expect(store.record?.meta.status).toBe('running')
    expect(answers).toHaveLength(3)
    answers[2].resolve(recordOf('finished', 34))
    await settle()
    expect(store.record?.meta.status).toBe('finished')
    expect(store.record?.report.rows).toHaveLength(34)
    // the older refresh answers last, with the partial table: it is ignored
    answers[1].resolve(recordOf('running', 17))
    await refresh
    expect(store.record?.meta.status).toBe('finished')
    expect(store.record?.report.rows).toHaveLength(34)
  })
})
