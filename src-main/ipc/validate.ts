// Input validation for IPC handlers. The renderer is untrusted: every handler declares what arguments it
// accepts and anything else is rejected with an error naming the channel. Later channels add validators
// of the same shape (args in, typed value out, throw on anything unexpected).

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
