// The Landscape view's state: the study in flight (its id, status and progress, from landscape:update pushes)
// and the last result with the request it answers (the chart's axis names come from that request, not from
// the form, which the user may already be changing). The computation happens in a worker of the main
// process's pool; this store only sends the request and listens.
import { ref, shallowRef } from 'vue'
import { defineStore } from 'pinia'
import { api, messageOf, type FieldError, type LandscapeRequest, type LandscapeStatus, type LandscapeStudy, type LandscapeUpdate, type StudyProgress } from '../../api/bridge'

export interface ShownStudy {
  study: LandscapeStudy
  directions: LandscapeRequest['directions']
  runs: { label: string; index: number }[]
}

export const useLandscapeStore = defineStore('landscape', () => {
  const id = ref<string | null>(null)
  const status = ref<LandscapeStatus | 'idle'>('idle')
  const progress = shallowRef<StudyProgress | null>(null)
  const shown = shallowRef<ShownStudy | null>(null)
  /** field errors of a refused request, or the sentence of a failed or unreachable one */
  const errors = ref<FieldError[]>([])
  const error = ref<string | null>(null)
  let asked: Omit<ShownStudy, 'study'> | null = null
  let unsubscribe: (() => void) | undefined

  function onUpdate(u: LandscapeUpdate): void {
    if (u.id !== id.value) return
    status.value = u.status
    if (u.progress) progress.value = u.progress
    if (u.result && asked) shown.value = { study: u.result, ...asked }
    if (u.error) error.value = u.error
  }

  const busy = () => status.value === 'preparing' || status.value === 'running'

  async function start(request: LandscapeRequest, runs: ShownStudy['runs']): Promise<void> {
    if (busy()) return
    unsubscribe ??= api().onLandscapeUpdate(onUpdate)
    errors.value = []
    error.value = null
    progress.value = null
    try {
      const r = await api().startLandscape(request)
      if (!r.ok) { errors.value = r.errors; return }
      asked = { directions: request.directions, runs }
      id.value = r.id
      // its first push may arrive before its id does (and is then dropped): it starts as preparing
      status.value = 'preparing'
    } catch (e) {
      error.value = messageOf(e)
    }
  }

  async function cancel(): Promise<void> {
    if (!id.value || !busy()) return
    try { await api().cancelLandscape(id.value) } catch (e) { error.value = messageOf(e) }
  }

  return { id, status, progress, shown, errors, error, start, cancel, busy }
})
