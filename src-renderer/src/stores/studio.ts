import { ref } from 'vue'
import { defineStore } from 'pinia'
import { getStudioInfo, type StudioInfo } from '../api/studio'

export type LoadState = 'idle' | 'loading' | 'ready' | 'error'

export const useStudioStore = defineStore('studio', () => {
  const info = ref<StudioInfo | null>(null)
  const state = ref<LoadState>('idle')
  const error = ref<string | null>(null)

  async function load(): Promise<void> {
    state.value = 'loading'
    error.value = null
    try {
      info.value = await getStudioInfo()
      state.value = 'ready'
    } catch (e) {
      info.value = null
      error.value = e instanceof Error ? e.message : String(e)
      state.value = 'error'
    }
  }

  return { info, state, error, load }
})
