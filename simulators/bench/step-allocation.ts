/**
 * Bytes allocated by one training step of every registered algorithm, measured, never asserted (run by
 * scripts/step-allocation.mjs, which starts Node with the flags this needs).
 *
 * Method: before each measured step a full collection (`gc()`, Node's --expose-gc) empties the young
 * generation; the step then runs with a young generation large enough (--min/--max-semi-space-size) that no
 * collection happens inside it, so what it allocated is still counted: Δ(heapUsed + arrayBuffers) of
 * `process.memoryUsage()` — JS objects on the V8 heap plus the backing stores of typed arrays, which live
 * outside it. A step during which V8 nevertheless collected (a `gc` performance entry inside its window)
 * is reported separately and left out of the median, since its delta undercounts. Warm-up steps first,
 * so that scratch buffers grown once per run (kernels/scratch.ts) and JIT code are not counted.
 */
import { PerformanceObserver, performance } from 'node:perf_hooks'
import type { NumericFormatsSpec } from '../training/network/formats'
import type { BuiltinModelName } from '../model/builtin'
import type { KernelBackend } from '../kernels/backend'
import { benchTrainers } from './training-rates'

export interface StepAllocation {
  algorithm: string
  /** median bytes per step over the measured steps without a collection inside */
  bytesPerStep: number
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
}

const used = () => { const m = process.memoryUsage(); return m.heapUsed + m.arrayBuffers }

export async function stepAllocation(o: AllocationOptions): Promise<StepAllocation[]> {
  const gc = (globalThis as { gc?: () => void }).gc
  if (!gc) throw new Error('step allocation needs a collector to call: run Node with --expose-gc (scripts/step-allocation.mjs does)')
  const collections: { start: number; end: number }[] = []
  const obs = new PerformanceObserver((list) => { for (const e of list.getEntries()) collections.push({ start: e.startTime, end: e.startTime + e.duration }) })
  obs.observe({ entryTypes: ['gc'] })
  const out: StepAllocation[] = []
  for (const { algorithm, trainer, images, labels } of benchTrainers(o.model, o.batch, o.formats, o.backend)) {
    let step = 0
    for (let k = 0; k < o.warmup; k++) trainer.step(images, labels, o.batch, step++)
    const windows: { t0: number; t1: number; bytes: number }[] = []
    for (let k = 0; k < o.steps; k++) {
      gc()
      const t0 = performance.now()
      const before = used()
      trainer.step(images, labels, o.batch, step++)
      const bytes = used() - before
      windows.push({ t0, t1: performance.now(), bytes })
    }
    // gc entries are delivered asynchronously: let the observer catch up before classifying the windows
    await new Promise((r) => setTimeout(r, 50))
    const steps = windows.map((w) => ({ bytes: w.bytes, collected: collections.some((c) => c.end > w.t0 && c.start < w.t1) }))
    const clean = steps.filter((s) => !s.collected).map((s) => s.bytes).sort((a, b) => a - b)
    out.push({ algorithm, bytesPerStep: clean.length ? clean[Math.floor(clean.length / 2)] : NaN, steps })
  }
  obs.disconnect()
  return out
}
