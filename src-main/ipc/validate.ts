// Input validation for IPC handlers. The renderer is untrusted: every handler declares what arguments it
// accepts and anything else is rejected with an error naming the channel. Later channels add validators
// of the same shape (args in, typed value out, throw on anything unexpected).

import { EXPERIMENT_ID_PATTERN } from '../experiments/store'
import { PROFILE_ID_PATTERN } from '../profiles/library'
import { SWEEP_ID_PATTERN } from '../sweeps/service'

export type ArgsValidator<T> = (args: readonly unknown[]) => T

export class IpcInputError extends Error {
  constructor(channel: string, detail: string) {
    super(`${channel}: invalid arguments: ${detail}`)
    this.name = 'IpcInputError'
  }
}

/** Accepts only a call with no arguments. */
export function noArgs(channel: string): ArgsValidator<void> {
  return (args) => {
    if (args.length !== 0) throw new IpcInputError(channel, `expected no arguments, got ${args.length}`)
  }
}

/** Accepts exactly one argument that passes `check` (a type guard); `what` names it in the error. */
export function oneArg<T>(channel: string, what: string, check: (v: unknown) => v is T): ArgsValidator<T> {
  return (args) => {
    if (args.length !== 1) throw new IpcInputError(channel, `expected 1 argument (${what}), got ${args.length}`)
    if (!check(args[0])) throw new IpcInputError(channel, `expected ${what}`)
    return args[0]
  }
}

/** Accepts exactly two arguments passing `a` and `b`. */
export function twoArgs<A, B>(channel: string, what: [string, string], a: (v: unknown) => v is A, b: (v: unknown) => v is B): ArgsValidator<[A, B]> {
  return (args) => {
    if (args.length !== 2) throw new IpcInputError(channel, `expected 2 arguments (${what.join(', ')}), got ${args.length}`)
    if (!a(args[0])) throw new IpcInputError(channel, `expected ${what[0]}`)
    if (!b(args[1])) throw new IpcInputError(channel, `expected ${what[1]}`)
    return [args[0], args[1]]
  }
}

/**
 * A JSON object and nothing else: plain objects (prototype Object or null), arrays, strings, finite numbers,
 * booleans and null all the way down, at most MAX_DEPTH deep, MAX_NODES values and about MAX_OBJECT_CHARS as JSON. Electron's
 * structured clone carries Map, Set, Date, typed arrays, NaN and cycles to the main process intact; a Map read
 * as a plain object is {} (and {} starts the default experiment), so anything that is not JSON is refused
 * here, before a parser sees it. Checked iteratively: a deeply nested value cannot overflow the stack.
 */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false
  const stack: [unknown, number][] = [[v, 0]]
  let chars = 0
  let nodes = 0
  // no visited set: a shared sub-object is fine (JSON repeats it); a cycle runs into MAX_DEPTH or MAX_NODES
  while (stack.length) {
    if (++nodes > MAX_NODES) return false
    const [x, depth] = stack.pop()!
    if (x === null || typeof x === 'boolean') { chars += 5; continue }
    if (typeof x === 'string') { chars += x.length + 2; if (chars > MAX_OBJECT_CHARS) return false; continue }
    if (typeof x === 'number') { if (!Number.isFinite(x)) return false; chars += 8; continue }
    if (typeof x !== 'object' || depth >= MAX_DEPTH) return false
    if (!Array.isArray(x) && !isPlainProto(x)) return false // Map, Set, Date, typed arrays, class instances
    for (const [k, y] of Object.entries(x)) {
      chars += k.length + 3
      stack.push([y, depth + 1])
    }
    if (chars > MAX_OBJECT_CHARS) return false
  }
  return true
}

const isPlainProto = (x: object) => {
  const proto = Object.getPrototypeOf(x)
  return proto === Object.prototype || proto === null
}

/** deeper than any experiment, sweep or profile (their parsers stop at 64) */
export const MAX_DEPTH = 100
/** values in one argument: far more than any spec (a custom model is a few thousand) */
export const MAX_NODES = 1_000_000

/** profiles and experiments are a few KiB; a custom model description may reach a few hundred */
export const MAX_OBJECT_CHARS = 4 * 1024 * 1024

/** the experiment store's own id pattern, so the IPC layer and the store cannot disagree (the store checks again) */
export const isExperimentId = (v: unknown): v is string => typeof v === 'string' && EXPERIMENT_ID_PATTERN.test(v)

/** the profile library's own id pattern: a file-name-safe id (the library checks again) */
export const isProfileId = (v: unknown): v is string => typeof v === 'string' && PROFILE_ID_PATTERN.test(v)

/** the sweep service's own id pattern (it checks again) */
export const isSweepId = (v: unknown): v is string => typeof v === 'string' && SWEEP_ID_PATTERN.test(v)

/** the landscape service's ids, `landscape-<n>` (the service looks them up, an unknown id is just not running) */
export const isLandscapeId = (v: unknown): v is string => typeof v === 'string' && /^landscape-[1-9][0-9]{0,8}$/.test(v)
