/**
 * Tensors of the integer engine. Layout is fixed so that no step repacks data:
 * activations NHWC (batch, height, width, channels) or [batch, features]; dense weights [out, in];
 * conv weights OHWI [out, kh, kw, in]; depthwise weights [kh, kw, channels × multiplier].
 * This is TFLite's layout: the innermost loop of every MAC kernel walks contiguous memory.
 *
 * Storage (storage.ts): Int32Array, or Float64Array for uint32. Accumulators live in Float64Array, or
 * BigInt64Array when a 64-bit accumulator can exceed 2^53.
 */
import type { IntFormat } from './int-format'
import type { AccumulatorFormat } from './accumulator'
import type { QuantParams } from './quant'
import { allocStorage, sizeOf, type IntStorage } from './storage'

export interface QTensor {
  readonly shape: readonly number[]
  readonly data: IntStorage
  readonly format: IntFormat
  readonly quant: QuantParams
}

export interface AccTensor {
  readonly shape: readonly number[]
  readonly data: Float64Array | BigInt64Array
  readonly format: AccumulatorFormat
}

export function qtensor(shape: readonly number[], format: IntFormat, quant: QuantParams, data?: IntStorage): QTensor {
  const n = sizeOf(shape)
  const storage = data ?? allocStorage(format, n)
  if (storage.length !== n) throw new RangeError(`tensor data has ${storage.length} values, shape [${shape.join(', ')}] needs ${n}`)
  return { shape: [...shape], data: storage, format, quant }
}

/**
 * An accumulator buffer; `big` selects BigInt64Array (see kernels/mac-core.ts, needsBigStorage).
 * `data` wraps an existing buffer instead of allocating (training reuses one scratch buffer).
 */
export function accTensor(shape: readonly number[], format: AccumulatorFormat, big = false, data?: Float64Array | BigInt64Array): AccTensor {
  const n = sizeOf(shape)
  const storage = data ?? (big ? new BigInt64Array(n) : new Float64Array(n))
  if (storage.length !== n) throw new RangeError(`accumulator data has ${storage.length} values, shape [${shape.join(', ')}] needs ${n}`)
  return { shape: [...shape], data: storage, format }
}

/** Same data, new shape (flatten): NHWC is already contiguous, so no values move. */
export function reshape<T extends { shape: readonly number[] }>(t: T, shape: readonly number[]): T {
  if (sizeOf(shape) !== sizeOf(t.shape)) {
    throw new RangeError(`cannot reshape [${t.shape.join(', ')}] to [${shape.join(', ')}]`)
  }
  return { ...t, shape: [...shape] }
}
