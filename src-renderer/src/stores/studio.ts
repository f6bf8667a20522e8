import { ref } from 'vue'
import { defineStore } from 'pinia'
import { api, messageOf, type StudioInfo } from '../api/bridge'

export type LoadState = 'idle' | 'loading' | 'ready' | 'error'

export const useStudioStore = defineStore('studio', () => {
  const info = ref<StudioInfo | null>(null)
  const state = ref<LoadState>('idle')
  const error = ref<string | null>(null)

  async function load(): Promise<void> {
    state.value = 'loading'
    error.value = null
    try {
      info.value = await api().getStudioInfo()
      state.value = 'ready'
    } catch (e) {
      info.value = null
      error.value = messageOf(e)
      state.value = 'error'
    }
  }

  return { info, state, error, load }
})
