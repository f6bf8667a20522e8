// Types of the experiment store, kept apart from store.ts (Node) so the preload API can share them with the renderer.

export type ExperimentStatus = 'running' | 'finished' | 'cancelled' | 'failed' | 'interrupted'

export interface ExperimentMeta {
  id: string
  name: string
  labels: string[]
  /** ISO 8601 */
  createdAt: string
  status: ExperimentStatus
  /** the process that writes this run; see recover() */
  pid: number
  endedAt?: string
  /** fail()'s message */
  error?: string
}
