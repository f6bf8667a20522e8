/**
 * What a run is called in the store, the charts, error messages and reports. Its own file (types only
 * besides this function) so that the window can name runs before their first event without loading the
 * runner.
 */
import type { ExperimentSpec } from './spec'

/** A run's label: its own, or its algorithm's id, numbered when the algorithm appears more than once. */
export function runLabel(spec: ExperimentSpec, i: number): string {
  const r = spec.runs[i]
  if (!r) return `run ${i + 1}`
  return r.label ?? (spec.runs.filter((x) => x.algorithm === r.algorithm).length > 1 ? `${r.algorithm} #${i + 1}` : r.algorithm)
}
