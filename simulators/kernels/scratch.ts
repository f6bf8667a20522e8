/**
 * Reusable buffers for the kernels, grown on demand and never shrunk, so that steady-state training
 * steps allocate nothing. Module-level because every runtime (worker, test, CLI) runs one kernel at a
 * time per thread; each slot has one owner at a time (the kernel that is running).
 */
let identity = new Int32Array(0)
let xTaps = new Int32Array(0)
let wTaps = new Int32Array(0)
const f64 = new Map<string, Float64Array>()
const i32 = new Map<string, Int32Array>()

/** Offsets 0, 1, …, n−1. */
export function identityOffsets(n: number): Int32Array {
  if (identity.length < n) {
    identity = new Int32Array(Math.max(n, identity.length * 2))
    for (let i = 0; i < identity.length; i++) identity[i] = i
  }
  return identity
}

/** Two tap-offset buffers of at least n entries (contents are the caller's to fill). */
export function tapBuffers(n: number): [Int32Array, Int32Array] {
  if (xTaps.length < n) {
    xTaps = new Int32Array(Math.max(n, xTaps.length * 2))
    wTaps = new Int32Array(xTaps.length)
  }
  return [xTaps, wTaps]
}

/** A Float64Array of at least n entries for the named use (contents undefined). */
export function f64Scratch(slot: string, n: number): Float64Array {
  let b = f64.get(slot)
  if (!b || b.length < n) f64.set(slot, (b = new Float64Array(Math.max(n, (b?.length ?? 0) * 2))))
  return b
}

/** An Int32Array of at least n entries for the named use (contents undefined). */
export function i32Scratch(slot: string, n: number): Int32Array {
  let b = i32.get(slot)
  if (!b || b.length < n) i32.set(slot, (b = new Int32Array(Math.max(n, (b?.length ?? 0) * 2))))
  return b
}
