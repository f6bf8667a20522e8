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

/** A JSON-like object (not an array, not null), and not absurdly large: a renderer bug must not stall main. */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false
  try {
    return JSON.stringify(v).length <= MAX_OBJECT_CHARS
  } catch {
    return false // cycles, BigInt: not JSON
  }
}

/** profiles and experiments are a few KiB; a custom model description may reach a few hundred */
export const MAX_OBJECT_CHARS = 4 * 1024 * 1024

/** the experiment store's own id pattern, so the IPC layer and the store cannot disagree (the store checks again) */
export const isExperimentId = (v: unknown): v is string => typeof v === 'string' && EXPERIMENT_ID_PATTERN.test(v)

/** the profile library's own id pattern: a file-name-safe id (the library checks again) */
export const isProfileId = (v: unknown): v is string => typeof v === 'string' && PROFILE_ID_PATTERN.test(v)

/** the sweep service's own id pattern (it checks again) */
export const isSweepId = (v: unknown): v is string => typeof v === 'string' && SWEEP_ID_PATTERN.test(v)
