/**
 * Integer storage and element counts: the two smallest ideas of the engine, below both tensors and
 * quantization (which allocate storage) so that neither imports the other. Int32Array for every format
 * that fits it; Float64Array (exact for integers < 2^53) only for uint32, which Int32Array cannot hold.
 */
import { fitsInt32, type IntFormat } from './int-format'

export type IntStorage = Int32Array | Float64Array

/** Number of elements of a tensor of this shape (1 for a scalar's empty shape). */
export function sizeOf(shape: readonly number[]): number {
  let n = 1
  for (const d of shape) n *= d
  return n
}

export function allocStorage(format: IntFormat, count: number): IntStorage {
  return fitsInt32(format) ? new Int32Array(count) : new Float64Array(count)
}
