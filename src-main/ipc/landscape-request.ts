// The argument of landscape:start, checked field by field before anything is prepared or run: the renderer
// is untrusted (validate.ts), and a bad grid size must come back as a sentence naming the field, not as a
// worker that failed a minute later. The bounds are the engine's own (landscape.ts, landscape-study.ts);
// the engine checks them again, and the evaluation batch against the task's test set, which only it knows.
import { MAX_GRID_POINTS } from '../../simulators/experiment/landscape'
import { MAX_EVAL_SAMPLES, MAX_SNAPSHOTS } from '../../simulators/experiment/landscape-study'
import type { LandscapeRequest } from '../preload/api'
import { IpcInputError, isPlainObject, type ArgsValidator } from './validate'

/**
 * Grid coordinates are multiples of the direction vectors (with 'updates' directions a run ends at 1). The
 * bound only refuses absurd input: a coordinate of 1e308 would overflow the weights to Infinity, and far
 * below ±1000 every weight of a slice already clips at the format's limits.
 */
export const MAX_COORDINATE = 1000
/** plan indices; the service checks them against the experiment's actual plan */
export const MAX_RUN_INDEX = 1023

const REQUEST_KEYS = ['experiment', 'runs', 'directions', 'grid', 'evalSamples', 'snapshots']
const GRID_KEYS = ['aRange', 'bRange', 'aPoints', 'bPoints']

const isIntIn = (v: unknown, lo: number, hi: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi
const shown = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v.slice(0, 40)) : typeof v === 'number' ? String(v) : Array.isArray(v) ? 'an array' : v === null ? 'null' : typeof v)

/** Unknown fields are refused: a misspelt `aPoint` must not silently fall back to something else. */
function onlyKeys(fail: (detail: string) => never, where: string, o: Record<string, unknown>, keys: string[]): void {
  const extra = Object.keys(o).find((k) => !keys.includes(k))
  if (extra !== undefined) fail(`${where}${shown(extra)} is not a field (expected ${keys.join(', ')})`)
}

function range(fail: (detail: string) => never, field: string, v: unknown): [number, number] {
  if (!Array.isArray(v) || v.length !== 2 || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) fail(`${field} must be two finite numbers [lo, hi], got ${shown(v)}`)
  const [lo, hi] = v as [number, number]
  if (Math.abs(lo) > MAX_COORDINATE || Math.abs(hi) > MAX_COORDINATE) fail(`${field} must lie within ±${MAX_COORDINATE}, got [${lo}, ${hi}]`)
  if (!(lo < hi)) fail(`${field} must have lo < hi, got [${lo}, ${hi}]`)
  return [lo, hi]
}

/** Exactly one LandscapeRequest; anything else throws IpcInputError naming the field and the reason. */
export function landscapeRequestArgs(channel: string): ArgsValidator<LandscapeRequest> {
  return (args) => {
    const fail = (detail: string): never => { throw new IpcInputError(channel, detail) }
    if (args.length !== 1) fail(`expected 1 argument (a landscape request), got ${args.length}`)
    const r = args[0]
    if (!isPlainObject(r)) return fail('expected a landscape request object (plain JSON)')
    onlyKeys(fail, '', r, REQUEST_KEYS)
    if (!isPlainObject(r.experiment)) fail('experiment must be an experiment object')
    const runs = r.runs
    if (!Array.isArray(runs) || runs.length !== 2 || !runs.every((x) => isIntIn(x, 0, MAX_RUN_INDEX))) fail(`runs must be two run indices (integers in [0, ${MAX_RUN_INDEX}]), got ${shown(runs)}`)
    const [r0, r1] = runs as [number, number]
    if (r0 === r1) fail(`runs must be two different runs, got ${r0} twice`)
    if (r.directions !== 'updates' && r.directions !== 'random') fail(`directions must be 'updates' or 'random', got ${shown(r.directions)}`)
    const g = r.grid
    if (!isPlainObject(g)) return fail('grid must be an object { aRange, bRange, aPoints, bPoints }')
    onlyKeys(fail, 'grid.', g, GRID_KEYS)
    const aRange = range(fail, 'grid.aRange', g.aRange)
    const bRange = range(fail, 'grid.bRange', g.bRange)
    for (const k of ['aPoints', 'bPoints'] as const) if (!isIntIn(g[k], 2, MAX_GRID_POINTS)) fail(`grid.${k} must be an integer in [2, ${MAX_GRID_POINTS}] (points per axis), got ${shown(g[k])}`)
    if (!isIntIn(r.evalSamples, 1, MAX_EVAL_SAMPLES)) fail(`evalSamples must be an integer in [1, ${MAX_EVAL_SAMPLES}], got ${shown(r.evalSamples)}`)
    if (!isIntIn(r.snapshots, 1, MAX_SNAPSHOTS)) fail(`snapshots must be an integer in [1, ${MAX_SNAPSHOTS}], got ${shown(r.snapshots)}`)
    return {
      experiment: r.experiment as Record<string, unknown>,
      runs: [r0, r1],
      directions: r.directions as LandscapeRequest['directions'],
      grid: { aRange, bRange, aPoints: g.aPoints as number, bPoints: g.bPoints as number },
      evalSamples: r.evalSamples as number,
      snapshots: r.snapshots as number,
    }
  }
}
