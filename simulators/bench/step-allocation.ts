/**
 * Bytes allocated by one training step of every registered algorithm, measured, never asserted (run by
 * scripts/step-allocation.mjs, which starts Node with the flags this needs).
 *
 * Method: after warm-up steps (so that scratch buffers grown once per run, kernels/scratch.ts, and JIT code
 * are not counted), one full collection (`gc()`, Node's --expose-gc) and warm-up again (a full collection
 * discards optimised code that depended on freed objects, and unoptimised code boxes every double), the
 * measured steps run one after another in a young generation large enough (--min/--max-semi-space-size)
 * that no collection happens inside a step, so what it allocated is still counted: Δ(heapUsed +
 * arrayBuffers) of `process.memoryUsage()` — JS objects on the V8 heap plus the backing stores of typed
 * arrays, which live outside it. A step during which V8 nevertheless collected (a `gc` performance entry
 * inside its window) is reported separately and left out of the median, since its delta undercounts.
 * Noise: about ±0.2 MB per reading on this machine (V8's own bookkeeping between two readings).
 */
import { Session } from 'node:inspector/promises'
import { PerformanceObserver, performance } from 'node:perf_hooks'
import type { NumericFormatsSpec } from '../training/network/formats'
import type { BuiltinModelName } from '../model/builtin'
import type { KernelBackend } from '../kernels/backend'
import { benchTrainers } from './training-rates'

export interface StepAllocation {
  algorithm: string
  /** median bytes per step over the measured steps without a collection inside */
  bytesPerStep: number
  /** with `sites`: the top allocation sites of the measured steps, bytes per step (sampled, so approximate) */
  sites?: AllocationSites
  /** every measured step: bytes, and whether V8 collected during it (then the figure undercounts) */
  steps: { bytes: number; collected: boolean }[]
}

export interface AllocationOptions {
  model: BuiltinModelName
  batch: number
  formats: NumericFormatsSpec
  backend: KernelBackend
  warmup: number
  steps: number
  /** measure only these algorithms (default: every registered one) */
  only?: readonly string[]
  /** also sample where the measured steps allocate (V8's sampling heap profiler, collected objects included) */
  sites?: boolean
}

/** Bytes sampled per allocating function (name file:line), largest first. */
export type AllocationSites = { site: string; bytes: number }[]

const used = () => { const m = process.memoryUsage(); return m.heapUsed + m.arrayBuffers }

export async function stepAllocation(o: AllocationOptions): Promise<StepAllocation[]> {
  const gc = (globalThis as { gc?: () => void }).gc
  if (!gc) throw new Error('step allocation needs a collector to call: run Node with --expose-gc (scripts/step-allocation.mjs does)')
  const collections: { start: number; end: number }[] = []
  const obs = new PerformanceObserver((list) => { for (const e of list.getEntries()) collections.push({ start: e.startTime, end: e.startTime + e.duration }) })
  obs.observe({ entryTypes: ['gc'] })
  const out: StepAllocation[] = []
  for (const { algorithm, trainer, images, labels } of benchTrainers(o.model, o.batch, o.formats, o.backend)) {
    if (o.only && !o.only.includes(algorithm)) continue
    let step = 0
    for (let k = 0; k < o.warmup; k++) trainer.step(images, labels, o.batch, step++)
    // a full collection drops optimised code that depends on objects it freed ("weak objects" deopts), so it
    // runs once here, followed by warm-up again, and not between the measured steps
    gc()
    for (let k = 0; k < o.warmup; k++) trainer.step(images, labels, o.batch, step++)
    const windows: { t0: number; t1: number; bytes: number }[] = []
    const profiler = o.sites ? new Session() : undefined
    if (profiler) {
      profiler.connect()
      await profiler.post('HeapProfiler.startSampling', { samplingInterval: 1024, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true })
    }
    for (let k = 0; k < o.steps; k++) {
      const t0 = performance.now()
      const before = used()
      trainer.step(images, labels, o.batch, step++)
      const bytes = used() - before
      windows.push({ t0, t1: performance.now(), bytes })
    }
    const sites = profiler ? topSites((await profiler.post('HeapProfiler.stopSampling')).profile.head as Node, o.steps) : undefined
    profiler?.disconnect()
    // gc entries are delivered asynchronously: let the observer catch up before classifying the windows
    await new Promise((r) => setTimeout(r, 50))
    const steps = windows.map((w) => ({ bytes: w.bytes, collected: collections.some((c) => c.end > w.t0 && c.start < w.t1) }))
    const clean = steps.filter((s) => !s.collected).map((s) => s.bytes).sort((a, b) => a - b)
    out.push({ algorithm, bytesPerStep: clean.length ? clean[Math.floor(clean.length / 2)] : NaN, steps, sites })
  }
  obs.disconnect()
  return out
}

interface Node { callFrame: { functionName: string; url: string; lineNumber: number }; selfSize: number; children: Node[] }

/** Self bytes per function of a sampling heap profile, per step, the 12 largest. */
function topSites(head: Node, steps: number): AllocationSites {
  const by = new Map<string, number>()
  const walk = (n: Node) => {
    const f = n.callFrame
    const site = `${f.functionName || '(anonymous)'} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}`
    if (n.selfSize) by.set(site, (by.get(site) ?? 0) + n.selfSize)
    n.children.forEach(walk)
  }
  walk(head)
  return [...by].map(([site, bytes]) => ({ site, bytes: bytes / steps })).sort((a, b) => b.bytes - a.bytes).slice(0, 12)
}
