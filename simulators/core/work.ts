/**
 * The work a kernel did, counted by the kernel itself so that cost models (issue 4) can price it
 * without re-deriving it. Bytes are the ideal traffic of one pass: every operand read once and every
 * result written once, at its packed width; reuse and tiling are the cost model's business.
 */
import type { OverflowCount } from './accumulator'

export interface Work extends OverflowCount {
  /** multiply-accumulates */
  macs: number
  /** element-wise operations: compares, adds, clamps (pooling, activations, residual adds) */
  elementOps: number
  /** values brought from an accumulator (or a rescaled sum) to a narrower format */
  requantizations: number
  /** requantized values that fell outside the target format and were clamped */
  clipped: number
  bytesRead: number
  bytesWritten: number
}

export function newWork(): Work {
  return { macs: 0, elementOps: 0, requantizations: 0, clipped: 0, bytesRead: 0, bytesWritten: 0, accSaturations: 0, accWraps: 0 }
}

export function addWork(into: Work, w: Readonly<Work>): Work {
  into.macs += w.macs
  into.elementOps += w.elementOps
  into.requantizations += w.requantizations
  into.clipped += w.clipped
  into.bytesRead += w.bytesRead
  into.bytesWritten += w.bytesWritten
  into.accSaturations += w.accSaturations
  into.accWraps += w.accWraps
  return into
}
