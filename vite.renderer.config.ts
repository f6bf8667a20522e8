// Renderer build, shared by electron-vite (as its `renderer` section) and by plain `vite` / `vite preview`
// (browser-only dev and the Playwright e2e run, because no Electron binary is available on dev/CI machines).
import { resolve } from 'node:path'
import { defineConfig, type Plugin } from 'vite'
import vue from '@vitejs/plugin-vue'

const r = (p: string) => resolve(import.meta.dirname, p)

// The built app keeps a strict style-src (Vue SFC CSS is extracted to a file). The dev server injects SFC
// styles as <style> elements for HMR, which needs 'unsafe-inline', so relax the meta CSP in `serve` mode only.
const devCspRelax: Plugin = {
  name: 'lastmile:dev-csp-relax',
  apply: 'serve',
  transformIndexHtml: (html) => html.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'"),
}

export default defineConfig({
  root: r('src-renderer'),
  base: './',
  plugins: [vue(), devCspRelax],
  worker: { format: 'es' },
  build: {
    outDir: r('out/renderer'),
    emptyOutDir: true,
    rolldownOptions: { input: { index: r('src-renderer/index.html') } },
  },
  server: { host: '127.0.0.1', port: 5173, strictPort: true },
  // E2E_PORT: a second checkout (a git worktree) can run its e2e suite beside the first
  preview: { host: '127.0.0.1', port: Number(process.env.E2E_PORT ?? 4173), strictPort: true },
})
