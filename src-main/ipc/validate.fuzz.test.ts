// The IPC validators on hostile input (fast-check, fixed seed): whatever the renderer sends, a validator
// returns or throws IpcInputError (never a TypeError or RangeError), in bounded time, and isPlainObject
// accepts exactly what survives a JSON round trip unchanged.
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { IpcInputError, isExperimentId, isPlainObject, isProfileId, isSweepId, noArgs, oneArg, twoArgs } from './validate'

const hostile = fc.oneof(
  fc.jsonValue({ maxDepth: 6 }),
  fc.anything({ maxDepth: 4, withMap: true, withSet: true, withDate: true, withTypedArray: true, withBigInt: true, withNullPrototype: true, withSparseArray: true, withBoxedValues: true }),
  fc.constantFrom('constructor', '__proto__', 'toString', 'con', 'nul', '../x', '\0', 'a'.repeat(10_000)),
)

const isJsonObject = (v: unknown) => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false
  try {
    return JSON.stringify(JSON.parse(JSON.stringify(v))) === JSON.stringify(v) && isDeepJson(v)
  } catch { return false }
}
/** JSON-typed all the way down (JSON.stringify drops undefined and maps NaN to null, so check types too) */
function isDeepJson(v: unknown): boolean {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true
  if (typeof v === 'number') return Number.isFinite(v)
  if (Array.isArray(v)) return Object.keys(v).length === v.length && v.every(isDeepJson)
  if (typeof v !== 'object') return false
  const proto = Object.getPrototypeOf(v)
  return (proto === Object.prototype || proto === null) && Object.values(v).every(isDeepJson)
}

describe('IPC validators under fuzzing', () => {
  it('never throw anything but IpcInputError, and answer quickly', () => {
    const validators = [
      noArgs('c'), oneArg('c', 'an object', isPlainObject), oneArg('c', 'an id', isExperimentId),
      oneArg('c', 'a profile id', isProfileId), twoArgs('c', ['an id', 'an object'], isSweepId, isPlainObject),
    ]
    let slowest = 0
    fc.assert(fc.property(fc.array(hostile, { maxLength: 3 }), (args) => {
      for (const v of validators) {
        const t0 = performance.now()
        try { v(args) } catch (e) { expect(e).toBeInstanceOf(IpcInputError) }
        slowest = Math.max(slowest, performance.now() - t0)
      }
    }), { seed: 14, numRuns: 2000 })
    expect(slowest).toBeLessThan(1000) // a hang check, not a speed figure
  })

  it('isPlainObject accepts exactly the JSON objects', () => {
    fc.assert(fc.property(hostile, (v) => {
      // arrays of holes, -0 and shared sub-objects are JSON-equivalent edge cases: compare on the type rule
      expect(isPlainObject(v)).toBe(isJsonObject(v))
    }), { seed: 15, numRuns: 3000 })
  })
})
