// Sweeps as the window sees them: the list of past sweeps, live progress of the running ones (pushes on
// sweeps:update), and the selected sweep's record (rows, ranking, report data), fetched from main and
// re-fetched when its status changes. Every number shown comes from that record: nothing is computed
// twice. A re-ranking under other constraints (sweeps:select) replaces the record's report only in the
// view, never the stored sweep.
import { ref, shallowRef } from 'vue'
import { defineStore } from 'pinia'
import { api, messageOf, type FieldError, type SweepListItem, type SweepProgress, type SweepRecord, type SweepReport, type SweepUpdate } from '../../api/bridge'

export const useSweepsStore = defineStore('sweeps', () => {
  const list = ref<SweepListItem[]>([])
  const progress = ref<Record<string, SweepProgress>>({})
  const selectedId = ref<string | null>(null)
  const record = shallowRef<SweepRecord | null>(null)
  /** the ranking under the constraints editor's constraints (null: the stored ones) */
  const reranked = shallowRef<SweepReport | null>(null)
  const error = ref<string | null>(null)
  let unsubscribe: (() => void) | undefined

  const fail = (e: unknown) => { error.value = messageOf(e) }

  // while the selected sweep runs, its rows are re-read as trainings finish (at most every REFRESH_MS: a
  // record is rebuilt from the sweep's folder by the engine, which grows with the sweep)
  const REFRESH_MS = 2000
  let lastRefresh = 0
  let pending: ReturnType<typeof setTimeout> | undefined
  function refreshSelectedSoon(id: string) {
    if (pending) return
    const wait = Math.max(0, lastRefresh + REFRESH_MS - Date.now())
    pending = setTimeout(() => {
      pending = undefined
      lastRefresh = Date.now()
      if (selectedId.value === id) void open(id)
    }, wait)
  }

  function onUpdate(u: SweepUpdate) {
    if (u.progress) {
      const before = progress.value[u.id]?.done
      progress.value = { ...progress.value, [u.id]: u.progress }
      if (u.id === selectedId.value && u.progress.done !== before) refreshSelectedSoon(u.id)
    }
    if (u.meta) {
      const i = list.value.findIndex((x) => x.meta.id === u.id)
      if (i >= 0) list.value = list.value.map((x, k) => (k === i ? { ...x, meta: u.meta! } : x))
      else void refreshList()
      if (u.id === selectedId.value && record.value?.meta.id === u.id) {
        // a running status at once (a resumed sweep shows its progress); once it stops, the status arrives
        // together with the final rows and ranking, so "finished" is never shown beside a partial table
        if (u.meta.status === 'running') record.value = { ...record.value, meta: u.meta }
        else void open(u.id)
      }
    }
  }

  async function refreshList() {
    try {
      list.value = await api().listSweeps()
      const p = { ...progress.value }
      for (const x of list.value) if (x.progress) p[x.meta.id] = x.progress
      progress.value = p
    } catch (e) {
      fail(e)
    }
  }

  /** Follows every sweep from the studio's start (the sidebar counts the running ones); idempotent. */
  async function init() {
    if (unsubscribe) return
    try {
      unsubscribe = api().onSweepUpdate(onUpdate)
      await refreshList()
    } catch (e) {
      fail(e)
    }
  }

  /** The section opens on the newest sweep unless one is selected already. */
  async function openLatest() {
    await init()
    if (!selectedId.value && list.value.length) await open(list.value[0].meta.id)
  }

  // the number of the latest getSweep asked for: a slower, older answer (a refresh sent while the sweep ran)
  // must not replace a newer one
  let asked = 0
  async function open(id: string) {
    try {
      if (selectedId.value !== id) reranked.value = null
      selectedId.value = id
      const mine = ++asked
      const r = await api().getSweep(id)
      if (selectedId.value !== id || mine !== asked) return
      record.value = r
    } catch (e) {
      fail(e)
    }
  }

  async function start(spec: unknown): Promise<{ ok: true } | { ok: false; errors: FieldError[] }> {
    error.value = null
    try {
      const r = await api().startSweep(spec)
      if (!r.ok) return r
      await refreshList()
      await open(r.id)
      return { ok: true }
    } catch (e) {
      // not started: the message is the store's error (no field to put it under)
      fail(e)
      return { ok: false, errors: [] }
    }
  }

  async function resume(id: string) {
    error.value = null
    try {
      await api().resumeSweep(id)
      await refreshList()
    } catch (e) {
      fail(e)
    }
  }

  async function cancel(id: string) {
    try {
      await api().cancelSweep(id)
    } catch (e) {
      fail(e)
    }
  }

  async function remove(id: string) {
    try {
      await api().deleteSweep(id)
      if (selectedId.value === id) { selectedId.value = null; record.value = null; reranked.value = null }
      await refreshList()
    } catch (e) {
      fail(e)
    }
  }

  /** Re-ranks the selected sweep; errors by field if the constraints do not validate. */
  async function rerank(constraints: Record<string, unknown>): Promise<FieldError[]> {
    const id = selectedId.value
    if (!id) return []
    try {
      const r = await api().selectDevices(id, constraints)
      if (selectedId.value === id) reranked.value = r
      return []
    } catch (e) {
      // the service names the field: "constraints.minAccuracy: must be at most 1"
      return messageOf(e).split('; ').map((m) => {
        const k = m.indexOf(': ')
        return k > 0 ? { path: m.slice(0, k), message: m.slice(k + 2) } : { path: 'constraints', message: m }
      })
    }
  }

  return { list, progress, selectedId, record, reranked, error, init, openLatest, refreshList, open, start, resume, cancel, remove, rerank }
})
