// Preloaded (`node --import ./scripts/bench-heap-probe.mjs …`) by scripts/bench-default-run.mjs: samples this
// process's memory every 5 ms while the event loop is free, and writes the peaks to $LASTMILE_HEAP_PROBE at exit.
//   heapUsedMB        V8 heap in use (JS objects)
//   heapBuffersMB     V8 heap in use + ArrayBuffer backing stores (the engine's typed arrays live outside the JS heap)
//   maxRssMB          the OS's peak resident set of the process (getrusage: exact, not sampled)
//   cpuSeconds        user + system CPU time of the process, all its threads (workers included): less sensitive
//                     than wall time to other jobs on a shared machine
// Sampling misses peaks that rise and fall within a synchronous stretch of more than 5 ms; the V8 heap's
// peak is also read from --trace-gc by the caller (the heap size before each collection).
import { writeFileSync } from 'node:fs'
import { setInterval } from 'node:timers'

const out = process.env.LASTMILE_HEAP_PROBE
const MB = 2 ** 20
const peak = { heapUsedMB: 0, heapBuffersMB: 0, samples: 0 }
function sample() {
  const m = process.memoryUsage()
  peak.heapUsedMB = Math.max(peak.heapUsedMB, m.heapUsed / MB)
  peak.heapBuffersMB = Math.max(peak.heapBuffersMB, (m.heapUsed + m.arrayBuffers) / MB)
  peak.samples++
}
if (out) {
  setInterval(sample, 5).unref()
  process.on('exit', () => {
    sample()
    writeFileSync(out, JSON.stringify({ ...peak, maxRssMB: process.resourceUsage().maxRSS / 1024, cpuSeconds: (process.cpuUsage().user + process.cpuUsage().system) / 1e6 }))
  })
}
