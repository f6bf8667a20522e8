/**
 * The live-buffer plan of a training step. The training code declares every device buffer it would
 * hold — at its device width, not the width of the JS array that simulates it — when it becomes live
 * and when it dies. Peak memory is then a measurement of that plan, by category, at the moment of the
 * peak; nothing is estimated separately from the code that runs.
 */
import { emptyBreakdown, type MemoryCategory } from '../../core/memory-categories'

interface Live {
  category: MemoryCategory
  bytes: number
}

export class MemoryTracker {
  private readonly live = new Map<string, Live>()
  private readonly current = emptyBreakdown()
  private currentTotal = 0
  /** breakdown at the moment of the highest total */
  peak = emptyBreakdown()
  peakTotal = 0
  /** what was live at the peak, for "which buffers made it" explanations */
  peakPhase = ''
  /** the largest each category has been on its own (its peaks need not coincide with the total's) */
  maxByCategory = emptyBreakdown()
  private phase = ''

  setPhase(name: string): void {
    this.phase = name
  }

  /** Declares a buffer live (re-declaring a live name with a new size resizes it). */
  alloc(name: string, category: MemoryCategory, bytes: number): void {
    if (!(bytes >= 0)) throw new RangeError(`buffer ${name}: bytes must be >= 0, got ${bytes}`)
    this.free(name)
    this.live.set(name, { category, bytes })
    this.current[category] += bytes
    this.currentTotal += bytes
    if (this.current[category] > this.maxByCategory[category]) this.maxByCategory[category] = this.current[category]
    if (this.currentTotal > this.peakTotal) {
      this.peakTotal = this.currentTotal
      this.peak = { ...this.current }
      this.peakPhase = this.phase
    }
  }

  free(name: string): void {
    const b = this.live.get(name)
    if (!b) return
    this.live.delete(name)
    this.current[b.category] -= b.bytes
    this.currentTotal -= b.bytes
  }

  freeAll(prefix: string): void {
    for (const name of [...this.live.keys()]) if (name.startsWith(prefix)) this.free(name)
  }

  /** bytes of a live buffer, 0 if it is not live */
  bytesOf(name: string): number {
    return this.live.get(name)?.bytes ?? 0
  }

  isLive(name: string): boolean {
    return this.live.has(name)
  }

  get totalNow(): number {
    return this.currentTotal
  }

  /** Starts a new measurement window (e.g. one step) keeping the live buffers (weights, state). */
  resetPeak(): void {
    this.peak = { ...this.current }
    this.maxByCategory = { ...this.current }
    this.peakTotal = this.currentTotal
    this.peakPhase = this.phase
  }
}
