// window.api is defined by the preload (src-main/preload/index.ts). Type-only import: the renderer never
// pulls main-process code into its bundle.
import type { StudioApi } from '../../src-main/preload/api'

declare global {
  interface Window {
    /** Undefined only when the page runs without the preload (e.g. a plain browser tab). */
    api?: StudioApi
  }
}

export {}
