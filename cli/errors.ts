// What the CLI tells a user when something fails: one line, never a stack trace (LASTMILE_DEBUG=1 adds it).

/** An error as one line: its message without the stack, newlines folded, at most 500 characters. */
export function oneLine(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e)
  const line = m.replace(/\s*\n\s*/g, ' ').trim()
  return line.length > 500 ? `${line.slice(0, 497)}…` : line
}

/**
 * A spec name as one safe folder name: letters, digits, dot, dash and underscore only; no leading dots (so
 * never "." or ".."), at most 80 characters, "experiment" when nothing is left. A name like "x/../../.."
 * must not lead a run folder out of experiments/.
 */
export function folderName(name: string): string {
  const safe = name.replace(/[^\w.-]+/g, '_').replace(/\.{2,}/g, '.').replace(/^[.]+/, '').slice(0, 80)
  return safe || 'experiment'
}
