// Preloaded into every thread of the queue probe (`node --import`; worker threads inherit the parent's
// execArgv, so the pool's worker threads load it too). Each worker thread broadcasts its own V8 heap every
// 100 ms on a BroadcastChannel, which reaches every thread of the process: the main thread cannot read a
// worker's heap on Node 20 (Worker.getHeapStatistics is newer). Diagnostics only; the app never loads it.
/* global BroadcastChannel, setInterval -- Node globals the shared script config does not list */
import { isMainThread, threadId } from 'node:worker_threads'
import { getHeapStatistics } from 'node:v8'

if (!isMainThread) {
  const channel = new BroadcastChannel('lastmile-thread-heap')
  channel.unref()
  const send = () => {
    const h = getHeapStatistics()
    const m = process.memoryUsage()
    // physical heap: the V8 heap pages this isolate has resident; arrayBuffers: typed-array stores outside it
    channel.postMessage({ threadId, heapMB: h.total_physical_size / 2 ** 20, usedMB: h.used_heap_size / 2 ** 20, arrayBuffersMB: m.arrayBuffers / 2 ** 20 })
  }
  send()
  setInterval(send, 100).unref()
}
