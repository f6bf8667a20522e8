/**
 * A seconds-long synthetic experiment: the shared fixture of the determinism checks (vitest runs it
 * in-process; scripts/cli-determinism.mjs runs it through the CLI, in-process and in worker threads).
 */
export const TINY_EXPERIMENT = {
  name: 'tiny-determinism',
  seed: 7,
  data: { dataset: 'synthetic', pretrainPerClass: 30, corruption: 'rotate', severity: 3, shots: 8, testPerClass: 10 },
  model: 'dscnn-mnist',
  pretrain: { epochs: 2, batch: 16, lr: 0.05, momentum: 0.9 },
  batch: 16,
  steps: 12,
  evalEvery: 6,
  runs: [
    { algorithm: 'backprop', hyperparameters: { optimizer: 'momentum', rounding: 'stochastic' } },
    { algorithm: 'zo-spsa', hyperparameters: { perturbations: 2, rounding: 'stochastic', density: 0.5 } },
  ],
}

/** The fields of a run summary that must be bit-identical between runtimes (everything but timing). */
export function deterministicPart(summary: Record<string, unknown>): Record<string, unknown> {
  const { wallSeconds, stepsPerSecond, ...rest } = summary
  void wallSeconds
  void stepsPerSecond
  return rest
}
