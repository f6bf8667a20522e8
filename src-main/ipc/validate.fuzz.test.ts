// The IPC validators on hostile input (fast-check, fixed seed): whatever the renderer sends, a validator
// returns or throws IpcInputError (never a TypeError or RangeError), in bounded time, and isPlainObject
// accepts exactly what survives a JSON round trip unchanged.
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { IpcInputError, isExperimentId, isLandscapeId, isPlainObject, isProfileId, isSweepId, noArgs, oneArg, twoArgs } from './validate'
import { landscapeRequestArgs, MAX_COORDINATE } from './landscape-request'
import { MAX_GRID_POINTS } from '../../simulators/experiment/landscape'
import { MAX_EVAL_SAMPLES, MAX_SNAPSHOTS } from '../../simulators/experiment/landscape-study'

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
      landscapeRequestArgs('c'), oneArg('c', 'a landscape id', isLandscapeId),
    ]
    const names = ['noArgs', 'oneArg(object)', 'oneArg(experiment id)', 'oneArg(profile id)', 'twoArgs(sweep id, object)', 'landscape:start', 'oneArg(landscape id)']
    let slowest = 0, calls = 0, accepted = 0, rejected = 0, other = 0
    let slowestRejection = { ms: 0, validator: '—' }
    fc.assert(fc.property(fc.array(hostile, { maxLength: 3 }), (args) => {
      validators.forEach((v, i) => {
        const t0 = performance.now()
        let threw: unknown
        calls++
        try { v(args); accepted++ } catch (e) { threw = e; if (e instanceof IpcInputError) rejected++; else other++ }
        const ms = performance.now() - t0
        slowest = Math.max(slowest, ms)
        if (threw instanceof IpcInputError && ms > slowestRejection.ms) slowestRejection = { ms, validator: names[i] }
        if (threw !== undefined) expect(threw).toBeInstanceOf(IpcInputError)
      })
    }), { seed: 14, numRuns: 2000 })
    // FUZZ_STATS=1: issue 14's closing figures for the IPC validators
    if (process.env.FUZZ_STATS) console.log(`FUZZ_STATS IPC validators: ${calls} calls (2000 argument lists × ${validators.length} validators); ${accepted} accepted, ${rejected} rejected with IpcInputError; ${other} crashes (another error); slowest call ${slowest.toFixed(1)} ms; slowest rejection ${slowestRejection.ms.toFixed(1)} ms (${slowestRejection.validator})`)
    expect(slowest).toBeLessThan(1000) // a hang check, not a speed figure
  })

  it('isPlainObject accepts exactly the JSON objects', () => {
    fc.assert(fc.property(hostile, (v) => {
      // arrays of holes, -0 and shared sub-objects are JSON-equivalent edge cases: compare on the type rule
      expect(isPlainObject(v)).toBe(isJsonObject(v))
    }), { seed: 15, numRuns: 3000 })
  })

  // landscape:start's argument: every well-formed request passes unchanged; one field broken (out of bounds,
  // wrong type, or hostile) is refused with the field's name, whatever the rest holds
  const range = fc.tuple(fc.double({ min: -MAX_COORDINATE, max: MAX_COORDINATE, noNaN: true }), fc.double({ min: -MAX_COORDINATE, max: MAX_COORDINATE, noNaN: true }))
    .filter(([lo, hi]) => lo < hi).map(([lo, hi]) => [lo === 0 ? 0 : lo, hi === 0 ? 0 : hi] as [number, number]) // -0 is not JSON
  const request = fc.record({
    experiment: fc.dictionary(fc.string({ maxLength: 8 }).filter((k) => k !== '__proto__'), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
    runs: fc.uniqueArray(fc.integer({ min: 0, max: 1023 }), { minLength: 2, maxLength: 2 }) as fc.Arbitrary<[number, number]>,
    directions: fc.constantFrom('updates' as const, 'random' as const),
    grid: fc.record({ aRange: range, bRange: range, aPoints: fc.integer({ min: 2, max: MAX_GRID_POINTS }), bPoints: fc.integer({ min: 2, max: MAX_GRID_POINTS }) }),
    evalSamples: fc.integer({ min: 1, max: MAX_EVAL_SAMPLES }),
    snapshots: fc.integer({ min: 1, max: MAX_SNAPSHOTS }),
  })
  const broken: [string, fc.Arbitrary<unknown>][] = [
    ['grid.aPoints', fc.oneof(fc.integer({ min: MAX_GRID_POINTS + 1 }), fc.integer({ max: 1 }), fc.double(), hostile)],
    ['grid.bPoints', fc.oneof(fc.integer({ min: MAX_GRID_POINTS + 1 }), fc.constant(2.5), hostile)],
    ['grid.aRange', fc.oneof(fc.tuple(fc.double({ min: MAX_COORDINATE, noNaN: true }), fc.double({ min: 2 * MAX_COORDINATE, noNaN: true })), fc.constant([1, 1]), fc.constant([2, 1]), hostile)],
    ['evalSamples', fc.oneof(fc.integer({ min: MAX_EVAL_SAMPLES + 1 }), fc.constant(0), hostile)],
    ['snapshots', fc.oneof(fc.integer({ min: MAX_SNAPSHOTS + 1 }), fc.constant(-1), hostile)],
    ['directions', fc.oneof(fc.string(), hostile)],
    ['runs', fc.oneof(fc.constant([3, 3]), fc.constant([0, 1024]), fc.constant([0]), hostile)],
  ]
  const setAt = (o: Record<string, unknown>, path: string, v: unknown) => {
    const [head, tail] = path.split('.')
    if (tail) (o[head] as Record<string, unknown>)[tail] = v
    else o[head] = v
  }

  it('landscape:start accepts every well-formed request unchanged and names the one broken field', () => {
    const v = landscapeRequestArgs('landscape:start')
    fc.assert(fc.property(request, (r) => { expect(v([r])).toEqual(r) }), { seed: 16, numRuns: 1000 })
    let refused = 0
    fc.assert(fc.property(request, fc.constantFrom(...broken.keys()), (r, k) => {
      const [field, bad] = broken[k]
      const value = fc.sample(bad, { seed: r.evalSamples * 31 + k, numRuns: 1 })[0]
      const req = structuredClone(r) as unknown as Record<string, unknown>
      setAt(req, field, value)
      try { v([req]) } catch (e) {
        expect(e).toBeInstanceOf(IpcInputError)
        // a hostile value may break the object itself (not JSON); otherwise the message names the field
        if (isPlainObject(req)) expect((e as Error).message).toContain(field)
        refused++
        return
      }
      // only a value that happens to be valid gets through (e.g. a hostile string 'random' for directions)
      expect(v([req])).toBeTruthy()
    }), { seed: 17, numRuns: 1500 })
    expect(refused).toBeGreaterThan(1400)
  })
})
