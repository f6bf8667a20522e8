// Words for what a draft will run: the summary line next to the Run button and the run cards' titles.
import type { ExperimentCatalog } from '../../api/bridge'
import type { Draft, DraftRun } from './draft'

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`
const count = (n: number) => n.toLocaleString('en-US')
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0

/** "2 algorithms × 3 devices, 150 steps each"; a run's own step count shows as a range. */
export function summaryLine(draft: Draft): string {
  const runs = plural(draft.runs.length, 'algorithm')
  const n = draft.profiles.length
  const devices = n === 0 ? ', no device (accuracy only)' : ` × ${plural(n, 'device')}`
  const steps = draft.runs.map((r) => (r.steps === undefined ? draft.steps : r.steps))
  if (!steps.every(isCount)) return `${runs}${devices}`
  const lo = Math.min(...steps)
  const hi = Math.max(...steps)
  const each = lo === hi ? `${plural(lo, 'step')} ${draft.runs.length === 1 ? '' : 'each'}`.trimEnd() : `${count(lo)}–${count(hi)} steps`
  return `${runs}${devices}, ${each}`
}

/** "Run 2 · zo-spsa — Zeroth-order SPSA (…)", with the user's label first when there is one. */
export function runTitle(run: DraftRun, index: number, catalog: ExperimentCatalog): string {
  const alg = catalog.algorithms.find((a) => a.id === run.algorithm)
  const name = alg ? alg.label : run.algorithm || 'no algorithm'
  return run.label ? `Run ${index + 1} · ${run.label} — ${name}` : `Run ${index + 1} · ${name}`
}

/** A file name for an exported spec: the experiment's name made safe for every file system. */
export function exportFileName(name: unknown): string {
  const slug = typeof name === 'string' ? name.trim().replace(/[^\w.-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '') : ''
  return `${slug || 'experiment'}.json`
}

/** An imported file's text as JSON, or why not. */
export function parseJsonFile(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown }
  } catch (e) {
    return { ok: false, message: `not JSON: ${e instanceof Error ? e.message : String(e)}` }
  }
}
