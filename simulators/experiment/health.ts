/**
 * What a run's integer arithmetic lost, and whether it learned: the two halves of a verdict besides
 * "it fits". A device's formats decide both (W16A16 with 32-bit accumulators saturates; 8-bit weights
 * round small steps away), so a bit-width comparison must show them, not only the final accuracy.
 *
 * - Saturation: accumulations that hit the accumulator's limit (saturating) or wrapped, per layer and
 *   phase, from the MAC kernels' own counts (core/op.ts Op.health). A rate, not a count: events per MAC.
 * - Clipping: requantized outputs clamped to the format (a fused ReLU's floor is not counted, see
 *   kernels/requantize.ts), per layer in the forward pass and per phase otherwise.
 * - Learning: final against zero-shot test accuracy, with the spread of a difference of two accuracies
 *   on n test images (binomial, ±2 standard errors ≈ 95 %): a gain inside it is "no clear change".
 */
import { PHASES, type Op, type Phase, type PhaseWork } from '../core/op'
import type { GraphNode } from '../model/graph'

/** Above these rates a layer gets a warning (a few events in millions are harmless rounding of the tails). */
export const SATURATION_WARN_RATE = 1e-4
export const CLIPPING_WARN_RATE = 0.01

export interface LayerHealth {
  node: number
  /** "layers[2] conv2d" */
  layer: string
  phase: Phase
  macs: number
  accSaturations: number
  accWraps: number
  /** outputs the requantization after the kernel clipped, of `requantized` */
  clipped: number
  requantized: number
}

export interface PhaseHealth {
  macs: number
  accSaturations: number
  accWraps: number
  requantizations: number
  clipped: number
}

export interface ArithmeticHealth {
  byPhase: Record<Phase, PhaseHealth>
  /** per layer and phase, worst first (layers that lost nothing are left out) */
  byLayer: LayerHealth[]
  /** in words, one per layer and phase over a warning rate, worst first */
  warnings: string[]
}

export interface Learning {
  /** final minus zero-shot test accuracy */
  gain: number
  /** two standard errors of that difference on the test set (≈ 95 %) */
  spread: number
  verdict: 'learned' | 'no clear change' | 'degraded'
}

const pct = (x: number) => `${(100 * x).toPrecision(2)} %`

/** Accumulates the health of a run's steps from their Ops and per-phase work. */
export class HealthTally {
  private readonly layers = new Map<string, LayerHealth>()
  private readonly phases = Object.fromEntries(PHASES.map((ph) => [ph, { macs: 0, accSaturations: 0, accWraps: 0, requantizations: 0, clipped: 0 }])) as Record<Phase, PhaseHealth>

  constructor(private readonly graph: readonly GraphNode[]) {}

  addStep(ops: readonly Op[], work: PhaseWork): void {
    for (const ph of PHASES) {
      const w = work[ph], t = this.phases[ph]
      t.macs += w.macs; t.accSaturations += w.accSaturations; t.accWraps += w.accWraps; t.requantizations += w.requantizations; t.clipped += w.clipped
    }
    for (const op of ops) {
      const h = op.health
      if (!h || op.node < 0 || h.accSaturations + h.accWraps + h.clipped === 0) continue
      const key = `${op.node}:${op.phase}`
      let l = this.layers.get(key)
      if (!l) {
        const n = this.graph[op.node]
        this.layers.set(key, (l = { node: op.node, layer: `${n.path} ${n.kind}`, phase: op.phase, macs: 0, accSaturations: 0, accWraps: 0, clipped: 0, requantized: 0 }))
      }
      l.macs += op.macs; l.accSaturations += h.accSaturations; l.accWraps += h.accWraps; l.clipped += h.clipped; l.requantized += h.requantized
    }
  }

  result(): ArithmeticHealth {
    const rate = (l: LayerHealth) => Math.max((l.accSaturations + l.accWraps) / Math.max(1, l.macs) / SATURATION_WARN_RATE, l.clipped / Math.max(1, l.requantized) / CLIPPING_WARN_RATE)
    const byLayer = [...this.layers.values()].sort((a, b) => rate(b) - rate(a))
    const warnings: string[] = []
    for (const l of byLayer) {
      const sat = (l.accSaturations + l.accWraps) / Math.max(1, l.macs)
      const clip = l.clipped / Math.max(1, l.requantized)
      const parts = [
        ...(sat >= SATURATION_WARN_RATE ? [`${pct(sat)} of accumulations ${l.accWraps > l.accSaturations ? 'wrapped' : 'saturated'}`] : []),
        ...(l.requantized > 0 && clip >= CLIPPING_WARN_RATE ? [`${pct(clip)} of outputs clipped`] : []),
      ]
      if (parts.length) warnings.push(`${l.layer} (${l.phase}): ${parts.join(', ')}`)
    }
    return { byPhase: this.phases, byLayer, warnings }
  }
}

/** Whether a run learned: its gain against the spread of the test accuracy on `testCount` images. */
export function learning(zeroShot: number, final: number, testCount: number): Learning {
  const p = (zeroShot + final) / 2
  const spread = 2 * Math.sqrt((2 * p * (1 - p)) / Math.max(1, testCount))
  const gain = final - zeroShot
  return { gain, spread, verdict: gain > spread ? 'learned' : gain < -spread ? 'degraded' : 'no clear change' }
}
