// Experiments as the window sees them: the history list, the experiments still going, the one on the
// dashboard and the ones picked for comparison. Live metrics arrive as numbered pushes (onExperimentUpdate);
// an experiment's record is fetched once (getExperiment) and pushes are applied on top. Subscribing happens before any
// fetch, and ExperimentData.apply drops pushes the record already includes (ExperimentUpdate.seq), so nothing is
// counted twice or lost in between.
import { ref, shallowRef } from 'vue'
import { defineStore } from 'pinia'
import { api, messageOf, type ExperimentSpec, type ExperimentListItem, type ExperimentUpdate } from '../api/bridge'
import { ExperimentData } from '../model/experiment-data'

export const useExperimentsStore = defineStore('experiments', () => {
  const list = ref<ExperimentListItem[]>([])
  const activeIds = ref<string[]>([])
  /** the experiment on the dashboard, and a counter bumped whenever its data changed */
  const current = shallowRef<ExperimentData | null>(null)
  const version = ref(0)
  const compared = shallowRef<ExperimentData[]>([])
  const error = ref<string | null>(null)

  const loaded = new Map<string, ExperimentData>()
  /** pushes for experiments whose record is being fetched */
  const early = new Map<string, ExperimentUpdate[]>()
  const fetching = new Map<string, Promise<ExperimentData>>()
  let unsubscribe: (() => void) | undefined

  const fail = (e: unknown) => { error.value = messageOf(e) }

  function onUpdate(u: ExperimentUpdate) {
    const d = loaded.get(u.id)
    if (d) {
      if (d.apply(u) && d === current.value) version.value++
    } else if (fetching.has(u.id)) {
      early.get(u.id)!.push(u)
    } else {
      void load(u.id) // an experiment started elsewhere (another window, before a reload): follow it
      early.get(u.id)?.push(u)
    }
    if (u.meta?.status === 'running' && !activeIds.value.includes(u.id)) activeIds.value = [...activeIds.value, u.id]
    if (u.stage === 'ended') {
      activeIds.value = activeIds.value.filter((x) => x !== u.id)
      void refreshList()
    }
  }

  function load(id: string): Promise<ExperimentData> {
    const have = loaded.get(id)
    if (have) return Promise.resolve(have)
    let p = fetching.get(id)
    if (!p) {
      early.set(id, [])
      p = api().getExperiment(id).then((record) => {
        const d = ExperimentData.fromRecord(record)
        for (const u of early.get(id) ?? []) d.apply(u)
        loaded.set(id, d)
        return d
      }).finally(() => {
        early.delete(id)
        fetching.delete(id)
      })
      fetching.set(id, p)
    }
    return p
  }

  async function refreshList() {
    try {
      list.value = await api().listExperiments()
    } catch (e) {
      fail(e)
    }
  }

  async function init() {
    if (unsubscribe) return
    try {
      unsubscribe = api().onExperimentUpdate(onUpdate)
      await refreshList()
      activeIds.value = list.value.filter((r) => r.meta.status === 'running').map((r) => r.meta.id)
      if (activeIds.value.length) await open(activeIds.value[0])
    } catch (e) {
      fail(e)
    }
  }

  async function open(id: string) {
    try {
      current.value = await load(id)
      version.value++
    } catch (e) {
      fail(e)
    }
  }

  /** Starts an experiment and puts it on the dashboard; false (with `error` set) if the main process refused it. */
  async function start(spec: ExperimentSpec): Promise<boolean> {
    error.value = null
    try {
      const r = await api().startExperiment(spec)
      if (!r.ok) {
        error.value = `Not started: ${r.errors.map((e) => `${e.path || 'experiment'}: ${e.message}`).join('; ')}`
        return false
      }
      if (!activeIds.value.includes(r.id)) activeIds.value = [...activeIds.value, r.id]
      await open(r.id)
      void refreshList()
      return true
    } catch (e) {
      fail(e)
      return false
    }
  }

  async function cancel(id: string) {
    try {
      await api().cancelExperiment(id)
    } catch (e) {
      fail(e)
    }
  }

  async function remove(id: string) {
    try {
      await api().deleteExperiment(id)
      loaded.delete(id)
      if (current.value?.id === id) current.value = null
      compared.value = compared.value.filter((d) => d.id !== id)
      await refreshList()
    } catch (e) {
      fail(e)
    }
  }

  /** The same experiment again, as stored (user profiles included as they were then). */
  async function rerun(id: string): Promise<boolean> {
    try {
      const record = await api().getExperiment(id)
      return await start(record.spec)
    } catch (e) {
      fail(e)
      return false
    }
  }

  async function compare(ids: string[]) {
    try {
      compared.value = await Promise.all(ids.map(load))
    } catch (e) {
      fail(e)
    }
  }

  return { list, activeIds, current, version, compared, error, init, refreshList, open, start, cancel, remove, rerun, compare }
})
