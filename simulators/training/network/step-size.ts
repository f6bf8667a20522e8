/**
 * Step-size control of the zeroth-order update: a decay schedule over the steps of a run and a
 * per-layer scaling of η. Both are plain multipliers of the step η·d; the integer rounding of the
 * update stays where it is (zo-spsa.ts).
 *
 * Why. With one η for every tensor and no decay, all-layer zeroth-order training random-walks the
 * conv weights: the same full-scale-relative step that suits the dense head is a far larger real step
 * in a conv layer (whose weights are larger, its fan-in being small), and every downstream activation
 * moves with it; accuracy peaks and then falls below zero-shot (issue 13 §1; audit runs E7b/E8a).
 */

export const LR_DECAYS = ['none', 'cosine', 'step', 'inverse-sqrt'] as const
export type LrDecay = (typeof LR_DECAYS)[number]

export interface StepSchedule {
  lrDecay: LrDecay
  /** T in steps: cosine's horizon, step decay's period, inverse-sqrt's time constant; 0 = the run's step count */
  lrDecaySteps: number
  /** step decay: the factor γ applied every T steps */
  lrDecayFactor: number
  /** cosine: the factor it ends at (η_min / η) */
  lrDecayFloor: number
}

/**
 * The multiplier of η at step t (0-based) of a run of `runSteps` steps:
 *   none          1
 *   cosine        f + (1 − f)·½(1 + cos(π·min(t, T)/T))      (Loshchilov & Hutter, SGDR, arXiv 1608.03983, eq. 5, one cycle)
 *   step          γ^⌊t/T⌋                                      (the classic staircase decay)
 *   inverse-sqrt  √(T / (T + t))                               (1 at t = 0, ½ at t = 3T; Vaswani et al. 2017 §5.3 without warm-up)
 */
export function lrFactor(s: StepSchedule, t: number, runSteps: number | undefined): number {
  if (s.lrDecay === 'none') return 1
  // a run of 0 steps (allowed: it evaluates the start point only) never asks for a factor beyond the eager check at
  // create; T = 1 keeps that check from refusing it
  const T = s.lrDecaySteps > 0 ? s.lrDecaySteps : runSteps === 0 ? 1 : runSteps
  if (T === undefined || !(T > 0)) throw new RangeError('hyperparameters.lrDecaySteps: 0 means the run\'s step count, which this caller does not know; give a number of steps')
  switch (s.lrDecay) {
    case 'cosine': return s.lrDecayFloor + (1 - s.lrDecayFloor) * 0.5 * (1 + Math.cos((Math.PI * Math.min(t, T)) / T))
    case 'step': return s.lrDecayFactor ** Math.floor(t / T)
    case 'inverse-sqrt': return Math.sqrt(T / (T + t))
  }
}

/**
 * Per-layer scaling: the same real step in every tensor. η is a fraction of each channel's full scale,
 * so with 'uniform' a channel of real scale s_c (real units per LSB) moves by η·F·s_c real units; 'per-layer'
 * multiplies its η by s_ref / s_c, s_ref the mean channel scale of the last trained weight tensor (the
 * head keeps on average the step it has with 'uniform'). That is the one real learning rate of SGD and
 * of MeZO (Malladi et al. 2023, Algorithm 1), and under He initialisation (std ∝ 1/√fan-in) it scales a
 * layer's step by about √(fan-in / fan-in of the head): a 3×3 conv on one channel (fan-in 9) gets about a
 * tenth of the step of a 784-input head. Biases follow the weights of their channel (a bias code is s_w·s_x
 * real units, and its step in codes is already η·d·s_w/(s_w·s_x)).
 */
export function perLayerFactors(channelScales: readonly ArrayLike<number>[], reference: ArrayLike<number>): Float64Array[] {
  const ref = Array.from(reference).reduce((a, v) => a + v, 0) / reference.length
  return channelScales.map((s) => Float64Array.from(s, (v) => ref / v))
}
