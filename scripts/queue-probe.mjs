#!/usr/bin/env node
// Resource use with many experiments queued: starts N copies of a short experiment at once through the REAL
// built handlers (out/main/ipc-handlers.js: run store, worker pool, worker threads) and samples the process's
// threads and resident memory until they end. A figure for the issue notes, not a test (`npm run build` first).
//   node scripts/queue-probe.mjs [N=20]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'

const n = Number(process.argv[2] ?? 20)
const { registerIpcHandlers } = await import(pathToFileURL(resolve(import.meta.dirname, '../out/main/ipc-handlers.js')).href)
const dataDir = mkdtempSync(join(tmpdir(), 'lastmile-queue-'))
const handlers = new Map()
const reg = registerIpcHandlers({ handle: (c, fn) => void handlers.set(c, fn) }, { dataDir, send: () => {} })
const call = (c, ...a) => handlers.get(c)({}, ...a)
const threads = () => Number(/Threads:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? NaN)
const sample = () => ({ threads: threads(), rssMB: process.memoryUsage().rss / 2 ** 20 })
const before = sample()
const spec = { name: 'queued', steps: 20, evalEvery: 10 }
const ids = []
for (let i = 0; i < n; i++) {
  const r = await call('experiments:start', { ...spec, seed: i + 1 })
  if (!r.ok) throw new Error(JSON.stringify(r.errors))
  ids.push(r.id)
}
let peak = sample()
const t0 = Date.now()
while ((await call('experiments:list')).some((x) => x.meta.status === 'running')) {
  const s = sample()
  peak = { threads: Math.max(peak.threads, s.threads), rssMB: Math.max(peak.rssMB, s.rssMB) }
  await new Promise((r) => setTimeout(r, 250))
}
const list = await call('experiments:list')
console.log(JSON.stringify({ experiments: n, before, peak, seconds: (Date.now() - t0) / 1000, finished: list.filter((x) => x.meta.status === 'finished').length }, null, 2))
await reg.dispose()
rmSync(dataDir, { recursive: true, force: true })
process.exit(0)
