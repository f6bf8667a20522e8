// The renderer's one door to the main process. Stores call api(), never window.api directly, so a page
// without the preload (a plain browser tab) fails with one clear message.
import type { StudioApi } from '../../../src-main/preload/api'

export type * from '../../../src-main/preload/api'

export class BridgeMissingError extends Error {
  constructor() {
    super('The desktop bridge (window.api) is not available. Start the app with `npm start`.')
    this.name = 'BridgeMissingError'
  }
}

export function api(): StudioApi {
  const a = globalThis.window?.api
  if (!a) throw new BridgeMissingError()
  return a
}

/** An error's message without Electron's "Error invoking remote method 'x': Error: " prefix. */
export function messageOf(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e)
  return m.replace(/^Error invoking remote method '[^']+': (\w*Error: )?/, '')
}
