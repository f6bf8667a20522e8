/**
 * Formats a run cannot train at, known before it starts. The integer network refuses, when it is built,
 * any layer whose sums could pass 2^53 (qnetwork.ts checkExactness: the BigInt tier is not wired for
 * training). Its bound uses the calibrated activation zero points, unknown at validation; but whatever
 * the zero point, an a-bit activation is 2^(a−1) or more away from one end of its range and a
 * (symmetric) b-bit weight reaches 2^(b−1), so this lower bound on the same sums already decides most
 * cases: where even it passes 2^53 the run would fail, and the spec is refused at validation.
 */
import { analyzeShapes } from '../model/shapes'
import type { ModelSpec } from '../model/spec'
import type { NumericFormatsSpec } from '../training/network/formats'

const SAFE = 2 ** 53

/** Why `model` cannot train at `f` (its first such layer), or undefined when it may. */
export function inexactAt(model: ModelSpec, f: NumericFormatsSpec): string | undefined {
  const product = 2 ** (f.activationBits - 1) * 2 ** (f.weightBits - 1)
  const accMax = 2 ** (f.accumulatorBits - 1) - 1
  for (const l of analyzeShapes(model).layers) {
    if (!l.hasWeights) continue
    // as the network counts them: multiply-accumulates per output, rounded up
    const taps = Math.ceil(l.macs / l.outputShape.reduce((a, b) => a * b, 1)) || 1
    const sum = taps * product
    // kernels/mac-core.ts chooseTier, on the lower bounds: a saturating sum that may pass the
    // accumulator is clamped after every product, else the whole sum must stay below 2^53
    const stepwise = f.accumulatorOverflow === 'saturate' && sum > accMax
    if (stepwise ? product + 2 ** (f.accumulatorBits - 1) >= SAFE : sum >= SAFE) {
      return `with ${f.weightBits}-bit weights and ${f.activationBits}-bit activations, ${l.path}'s sums of ${taps} products can pass 2^53 in a ${f.accumulatorBits}-bit ${f.accumulatorOverflow === 'saturate' ? 'saturating' : 'wrapping'} accumulator; training needs narrower weights or activations`
    }
  }
  return undefined
}
