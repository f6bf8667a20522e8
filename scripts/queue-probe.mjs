#!/usr/bin/env node
// Resource use with many experiments queued: starts N copies of a short experiment at once through the REAL
// built handlers (out/main/ipc-handlers.js: run store, worker pool, worker threads) and measures the process
// until they end. A figure for the issue notes, not a test (`npm run build` first).
//   node scripts/queue-probe.mjs [N ...]      (default 1 2 5 20; each N in a fresh process, one after another)
// Per N: peak resident memory (the kernel's VmHWM), the main thread's V8 heap and typed-array stores at their
// peaks, and every worker thread's own heap (thread-heap-sampler.mjs, preloaded into each thread). The
// marginal cost of a queued experiment is (peak(N) − peak(2)) / (N − 2): two run at once on the default
// two-worker pool of this probe, the rest wait.
/* global BroadcastChannel -- a Node global the shared script config does not list */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { getHeapStatistics } from 'node:v8'

const WORKERS = 2
const args = process.argv.slice(2)

if (args[0] !== '--one') {
  const series = (args.length ? args : ['1', '2', '5', '20']).map(Number)
  const rows = []
  for (const n of series) {
    const out = execFileSync(process.execPath, ['--expose-gc', '--import', resolve(import.meta.dirname, 'thread-heap-sampler.mjs'), fileURLToPath(import.meta.url), '--one', String(n)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })
    rows.push(JSON.parse(out.trim().split('\n').pop()))
    console.error(`N=${n} done`)
  }
  const base = rows.find((r) => r.experiments === 2)
  const mb = (v) => v.toFixed(0)
  console.log('| N | finished | seconds | RSS idle → peak (MB) | main heap peak (MB) | main typed arrays peak (MB) | worker threads | one worker heap peak (MB) | workers\' heaps at once, peak (MB) | MB per queued beyond 2 | main heap per queued (kB) | main heap kept per ended (kB) |')
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |')
  for (const r of rows) {
    const marginal = base && r.experiments > 2 ? ((r.peakRssMB - base.peakRssMB) / (r.experiments - 2)).toFixed(1) : '—'
    console.log(`| ${r.experiments} | ${r.finished} | ${r.seconds.toFixed(0)} | ${mb(r.idleRssMB)} → ${mb(r.peakRssMB)} | ${mb(r.mainHeapMB)} | ${mb(r.mainArrayBuffersMB)} | ${r.workerThreads} | ${mb(r.workerHeapMB)} | ${mb(r.workerHeapsAtOnceMB)} | ${marginal} | ${r.queuedKB.toFixed(0)} | ${r.endedKB.toFixed(0)} |`)
  }
  process.exit(0)
}

const n = Number(args[1])
const { registerIpcHandlers } = await import(pathToFileURL(resolve(import.meta.dirname, '../out/main/ipc-handlers.js')).href)
const dataDir = mkdtempSync(join(tmpdir(), 'lastmile-queue-'))
const handlers = new Map()
const reg = registerIpcHandlers({ handle: (c, fn) => void handlers.set(c, fn) }, { dataDir, send: () => {}, workers: WORKERS })
const call = (c, ...a) => handlers.get(c)({}, ...a)
const status = () => readFileSync('/proc/self/status', 'utf8')
const kB = (field) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status())?.[1] ?? NaN)

// every worker thread's latest sample, and the peaks over the run
const latest = new Map()
let workerHeapMB = 0, workerHeapsAtOnceMB = 0
const channel = new BroadcastChannel('lastmile-thread-heap')
channel.onmessage = ({ data }) => {
  latest.set(data.threadId, { ...data, at: Date.now() })
  seen.add(data.threadId)
  workerHeapMB = Math.max(workerHeapMB, data.heapMB + data.arrayBuffersMB)
}
const seen = new Set()
let mainHeapMB = 0, mainArrayBuffersMB = 0, threads = 0
const sample = () => {
  mainHeapMB = Math.max(mainHeapMB, getHeapStatistics().total_physical_size / 2 ** 20)
  mainArrayBuffersMB = Math.max(mainArrayBuffersMB, process.memoryUsage().arrayBuffers / 2 ** 20)
  threads = Math.max(threads, kB('Threads'))
}

// what the main thread itself keeps, after a full collection (--expose-gc): V8 heap plus typed-array stores
const kept = () => { globalThis.gc(); return (process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers) / 2 ** 10 }
const idleRssMB = kB('VmRSS') / 1024
const spec = { name: 'queued', steps: 20, evalEvery: 10 }
const keptIdleKB = kept()
for (let i = 0; i < n; i++) {
  const r = await call('experiments:start', { ...spec, seed: i + 1 })
  if (!r.ok) throw new Error(JSON.stringify(r.errors))
}
// all N are started and none has prepared yet (the first prepare takes seconds): each holds its spec, plan and update
const queuedKB = (kept() - keptIdleKB) / n
const t0 = Date.now()
while ((await call('experiments:list')).some((x) => x.meta.status === 'running')) {
  sample()
  // the heaps of the threads alive now (a thread's samples stop when it ends)
  const now = Date.now()
  for (const [id, s] of latest) if (now - s.at > 300) latest.delete(id)
  workerHeapsAtOnceMB = Math.max(workerHeapsAtOnceMB, [...latest.values()].reduce((a, s) => a + s.heapMB + s.arrayBuffersMB, 0))
  await new Promise((r) => setTimeout(r, 100))
}
const list = await call('experiments:list')
// once all ended: what the main thread still holds per experiment it ran
const endedKB = (kept() - keptIdleKB) / n
const result = {
  queuedKB, endedKB,
  experiments: n, finished: list.filter((x) => x.meta.status === 'finished').length, seconds: (Date.now() - t0) / 1000,
  idleRssMB, peakRssMB: kB('VmHWM') / 1024, mainHeapMB, mainArrayBuffersMB, peakThreads: threads,
  workerThreads: seen.size, workerHeapMB, workerHeapsAtOnceMB,
}
channel.close()
await reg.dispose()
rmSync(dataDir, { recursive: true, force: true })
console.log(JSON.stringify(result))
process.exit(0)
