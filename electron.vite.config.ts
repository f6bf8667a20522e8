// electron-vite: main process, preload and renderer. `electron-vite build` only reads electron/package.json
// (for the build target), never the Electron binary, so it runs on machines without Electron.
import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import renderer from './vite.renderer.config'

const r = (p: string) => resolve(import.meta.dirname, p)

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // Bundle comlink so the worker chunk and main share one copy and nothing is resolved at runtime.
      externalizeDeps: { exclude: ['comlink'] },
      rolldownOptions: {
        input: {
          index: r('src-main/index.ts'),
          // Electron-free entry: e2e (Playwright, plain Node) imports it to run the REAL IPC handlers.
          'ipc-handlers': r('src-main/ipc-handlers.ts'),
          // The headless CLI (cli/bin.mjs runs it): same engine, same worker threads, no Electron.
          cli: r('cli/lastmile.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rolldownOptions: {
        input: { index: r('src-main/preload/index.ts') },
        // A sandboxed preload (sandbox: true) is not loaded by Node's module loader and cannot be ESM.
        // package.json has "type": "module", so name it .cjs to make the format explicit on disk too.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer,
})
