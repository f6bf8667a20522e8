// Statistics behind `lastmile results`: the mean and spread of a figure over seeds, and what a run had
// reached within a compute budget (forward passes, or a device's time or energy from the cost model).
import type { RunSummary } from '../simulators/experiment/runner'

/** Mean and sample standard deviation (n − 1 in the denominator; 0 for one value). */
export function meanSd(xs: readonly number[]): { mean: number; sd: number } {
  if (xs.length === 0) throw new RangeError('meanSd: no values')
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length
  const sd = xs.length > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1)) : 0
  return { mean, sd }
}

export type BudgetKind = 'forward passes' | 'device time' | 'device energy'
export const BUDGET_KINDS: readonly BudgetKind[] = ['forward passes', 'device time', 'device energy']

/**
 * What one step of a run costs, per budget kind: forward passes from the run's count; seconds and µJ on
 * its first priced device (the cost model's totals over the run, divided by its steps: every step of a run
 * executes the same operations, so each costs the same).
 */
export function costPerStep(s: RunSummary, kind: BudgetKind): number {
  if (s.steps === 0) throw new RangeError(`${s.label}: a run of 0 steps has no cost per step`)
  if (kind === 'forward passes') return s.forwardPasses / s.steps
  const p = s.profiles[0]
  if (!p) throw new Error(`${s.label}: not priced on a device (the experiment needs a profile)`)
  return (kind === 'device time' ? p.totals.seconds : p.totals.energyUj.total) / s.steps
}

/**
 * The test accuracy a run had reached within a budget: the last evaluation whose steps cost at most the
 * budget. A run that ends below the budget stops there (its final accuracy). `evals` are [step, accuracy],
 * in step order, starting at step 0.
 */
export function accuracyWithin(evals: readonly [number, number][], perStep: number, budget: number): { step: number; accuracy: number } {
  let at = evals[0]
  if (!at || at[0] !== 0) throw new Error('accuracyWithin: the evaluations must start at step 0')
  // a relative tolerance: a budget defined as another run's cost must admit that run's own last step
  for (const e of evals) if (e[0] * perStep <= budget * (1 + 1e-9)) at = e
  return { step: at[0], accuracy: at[1] }
}
