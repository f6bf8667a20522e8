// Preload (sandboxed, context-isolated): exposes exactly one object, window.api, with one method per IPC
// channel. Built as CommonJS (out/preload/index.cjs) because sandboxed preloads cannot be ES modules.
// Keep it free of logic: the e2e shim evaluates this very file with a fake `electron` module.
import { contextBridge, ipcRenderer } from 'electron'
import { PRELOAD_EVENTS, PRELOAD_METHODS } from '../ipc/channels'
import type { StudioApi } from './api'

const invokers = Object.entries(PRELOAD_METHODS).map(([method, channel]) => [
  method,
  // Forward only the declared arguments; never expose ipcRenderer itself (or the event) to the page.
  (...args: unknown[]) => ipcRenderer.invoke(channel, ...args),
])

const subscribers = Object.entries(PRELOAD_EVENTS).map(([method, channel]) => [
  method,
  (listener: (payload: unknown) => void) => {
    if (typeof listener !== 'function') throw new TypeError(`${method} needs a listener function`)
    // The page gets the payload only, never the IpcRendererEvent (it carries the sender).
    const forward = (_event: unknown, payload: unknown) => listener(payload)
    ipcRenderer.on(channel, forward)
    return () => void ipcRenderer.removeListener(channel, forward)
  },
])

const api = Object.fromEntries([...invokers, ...subscribers]) as unknown as StudioApi

contextBridge.exposeInMainWorld('api', api)
