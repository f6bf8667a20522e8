/**
 * Reusable index buffers for the MAC kernels, grown on demand and never shrunk, so that steady-state
 * training steps allocate nothing. Module-level because every runtime (worker, test, CLI) runs one
 * kernel at a time per thread.
 */
let identity = new Int32Array(0)
let xTaps = new Int32Array(0)
let wTaps = new Int32Array(0)

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
