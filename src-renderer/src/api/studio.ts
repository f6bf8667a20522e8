// The renderer's only door to the main process for studio-level info. Components and stores call this,
// never window.api directly, so the bridge can be faked in one place.
import type { StudioInfo } from '../../../src-main/preload/api'

export type { StudioInfo }

export class BridgeMissingError extends Error {
  constructor() {
    super('The desktop bridge (window.api) is not available. Start the app with `npm start`.')
    this.name = 'BridgeMissingError'
  }
}

export function getStudioInfo(): Promise<StudioInfo> {
  const api = globalThis.window?.api
  if (!api) return Promise.reject(new BridgeMissingError())
  return api.getStudioInfo()
}
