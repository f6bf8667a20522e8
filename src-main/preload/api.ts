// Types only: the contract between the preload (window.api) and the renderer. The renderer may import
// this file with `import type`; nothing here may have a runtime value.
import type { EngineInfo } from '../../workers/engine-api'

export interface StudioInfo {
  /** Product name shown to the user. */
  name: string
  /** App version (package.json). */
  version: string
  /** Reported by the engine worker itself. */
  engine: EngineInfo
}

/** window.api: one method per IPC channel (see src-main/ipc/channels.ts). */
export interface StudioApi {
  getStudioInfo(): Promise<StudioInfo>
}
