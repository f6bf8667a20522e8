/** Argument checks shared by the kernels: every message names the argument and the reason. */
import type { IntStorage } from '../core/storage'

export function expectRank(name: string, shape: readonly number[], rank: number): void {
  if (shape.length !== rank) throw new RangeError(`${name} must have rank ${rank}, got shape [${shape.join(', ')}]`)
}

export function expectEqual(what: string, a: number, b: number): void {
  if (a !== b) throw new RangeError(`${what}: ${a} ≠ ${b}`)
}

export function expectPerTensor(name: string, zeroPoints: Float64Array): void {
  if (zeroPoints.length !== 1) throw new RangeError(`${name} must be quantized per tensor (one zero point), got ${zeroPoints.length}`)
}

export function expectChannels(name: string, zeroPoints: Float64Array, channels: number): void {
  if (zeroPoints.length !== 1 && zeroPoints.length !== channels) {
    throw new RangeError(`${name} has ${zeroPoints.length} zero points; expected 1 or ${channels} (one per output channel)`)
  }
}

export function expectLength(name: string, a: ArrayLike<number> | IntStorage | undefined, n: number): void {
  if (a && a.length !== n) throw new RangeError(`${name} has ${a.length} values, expected ${n}`)
}
