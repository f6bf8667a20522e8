// Electron main process. Secure by default: isolated, sandboxed renderer without Node; no navigation,
// no new windows, no permissions, a strict CSP. All IPC goes through registerIpcHandlers.
import { join } from 'node:path'
import { app, BrowserWindow, ipcMain, session } from 'electron'
import { registerIpcHandlers } from './ipc-handlers'
import { RENDERER_CSP, RENDERER_CSP_DEV } from './security'

const devUrl = process.env.ELECTRON_RENDERER_URL // set by `electron-vite dev`

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 1024,
    minHeight: 640,
    title: 'Lastmile Studio',
    show: false,
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  })
  win.once('ready-to-show', () => win.show())
  if (devUrl) void win.loadURL(devUrl)
  else void win.loadFile(join(import.meta.dirname, '../renderer/index.html'))
  return win
}

// Applies to every webContents, including any created later.
app.on('web-contents-created', (_event, contents) => {
  contents.on('will-navigate', (event) => event.preventDefault())
  contents.setWindowOpenHandler(() => ({ action: 'deny' }))
})

void app.whenReady().then(() => {
  const csp = devUrl ? RENDERER_CSP_DEV : RENDERER_CSP
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } })
  })
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))

  const ipc = registerIpcHandlers(ipcMain)
  app.on('will-quit', () => void ipc.dispose())

  createWindow()
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow()
  })
})

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit()
})
