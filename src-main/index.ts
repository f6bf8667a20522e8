// Electron main process. Secure by default: isolated, sandboxed renderer without Node; no navigation,
// no new windows, no permissions, a strict CSP. All IPC goes through registerIpcHandlers.
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { app, BrowserWindow, ipcMain, session, type IpcMainInvokeEvent } from 'electron'
import { registerIpcHandlers } from './ipc-handlers'
import { RENDERER_CSP, RENDERER_CSP_DEV } from './security'

const devUrl = process.env.ELECTRON_RENDERER_URL // set by `electron-vite dev`

// One studio per data folder: the run store's recover() treats every run left 'running' as killed, which
// holds only if no other studio is writing there. A second launch focuses the first window and quits.
// LASTMILE_DATA_DIR points a studio (and the e2e suite's Electron mode) at another folder.
if (process.env.LASTMILE_DATA_DIR) app.setPath('userData', process.env.LASTMILE_DATA_DIR)
const primary = app.requestSingleInstanceLock()
if (!primary) {
  app.quit()
} else {
  app.on('second-instance', () => {
    const win = BrowserWindow.getAllWindows()[0]
    if (win) {
      if (win.isMinimized()) win.restore()
      win.focus()
    }
  })
}
// Pretrained source weights are cached next to the data in the packaged app (its node_modules is read-only).
if (app.isPackaged) process.env.LASTMILE_CACHE ??= join(app.getPath('userData'), 'cache', 'pretrained')

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
      // middle-click opens links in new windows through auxclick; nothing here needs it (electronegativity AUXCLICK_JS_CHECK)
      disableBlinkFeatures: 'Auxclick',
    },
  })
  win.once('ready-to-show', () => win.show())
  if (devUrl) void win.loadURL(devUrl)
  else void win.loadFile(join(import.meta.dirname, '../renderer/index.html'))
  return win
}

/**
 * The report's HTML printed by Chromium inside Electron: a hidden, sandboxed window without JavaScript
 * (the report has none) loads it from a data: URL and prints it to A4.
 */
async function printToPdf(html: string): Promise<Uint8Array> {
  const win = new BrowserWindow({ show: false, webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true, javascript: false, disableBlinkFeatures: 'Auxclick' } })
  try {
    await win.loadURL(`data:text/html;charset=utf-8;base64,${Buffer.from(html).toString('base64')}`)
    return new Uint8Array(await win.webContents.printToPDF({ printBackground: true, pageSize: 'A4' }))
  } finally {
    win.destroy()
  }
}

const rendererUrl = devUrl ?? pathToFileURL(join(import.meta.dirname, '../renderer/index.html')).href

/** IPC only from the main frame of the studio's own page (not an iframe, not a page it was navigated to). */
function trustSender(event: unknown): boolean {
  const e = event as IpcMainInvokeEvent
  const frame = e.senderFrame
  if (!frame || frame !== e.sender.mainFrame) return false
  const url = frame.url.split('#')[0].split('?')[0]
  return devUrl ? url.startsWith(devUrl) : url === rendererUrl
}

// Applies to every webContents, including any created later.
app.on('web-contents-created', (_event, contents) => {
  contents.on('will-navigate', (event) => event.preventDefault())
  contents.setWindowOpenHandler(() => ({ action: 'deny' }))
})

void app.whenReady().then(() => {
  if (!primary) return
  const csp = devUrl ? RENDERER_CSP_DEV : RENDERER_CSP
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } })
  })
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false))

  const ipc = registerIpcHandlers(ipcMain, {
    dataDir: app.getPath('userData'),
    printToPdf,
    trustSender,
    // pushes go to every window (there is one; a reload keeps receiving)
    send: (channel, payload) => {
      for (const w of BrowserWindow.getAllWindows()) if (!w.webContents.isDestroyed()) w.webContents.send(channel, payload)
    },
  })
  // Runs still going when the studio closes are stored as interrupted, with what they recorded: wait for that.
  let disposed = false
  app.on('before-quit', (event) => {
    if (disposed) return
    event.preventDefault()
    void ipc.dispose().finally(() => {
      disposed = true
      app.quit()
    })
  })

  createWindow()
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow()
  })
})

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit()
})
