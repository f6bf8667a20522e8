// Preload (sandboxed, context-isolated): exposes exactly one object, window.api, with one method per IPC
// channel. Built as CommonJS (out/preload/index.cjs) because sandboxed preloads cannot be ES modules.
// Keep it free of logic: the e2e shim evaluates this very file with a fake `electron` module.
import { contextBridge, ipcRenderer } from 'electron'
import { PRELOAD_METHODS } from '../ipc/channels'
import type { StudioApi } from './api'

const api = Object.fromEntries(
  Object.entries(PRELOAD_METHODS).map(([method, channel]) => [
    method,
    // Forward only the declared arguments; never expose ipcRenderer itself (or the event) to the page.
    (...args: unknown[]) => ipcRenderer.invoke(channel, ...args),
  ]),
) as unknown as StudioApi

contextBridge.exposeInMainWorld('api', api)
