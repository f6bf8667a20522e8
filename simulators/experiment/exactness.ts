/**
 * Formats a run cannot train at, known before it starts. The integer network refuses, when it is built,
 * any layer whose sums could pass 2^53 (qnetwork.ts checkExactness: the BigInt tier is not wired for
 * training). Its bound uses the calibrated activation zero points, unknown at validation; but whatever
 * the zero point, an a-bit activation is 2^(a−1) or more away from one end of its range and a
 * (symmetric) b-bit weight reaches 2^(b−1), so this lower bound on the same sums already decides most
 * cases: where even it passes 2^53 the run would fail, and the spec is refused at validation. The input
 * images' zero point is known (they span [0, 1]: it is the format's minimum, 2^a − 1 from its maximum),
 * so a first weighted layer that reads the images (directly or flattened) is checked exactly. What is
 * left is a band of about one activation bit in deeper layers, where the run still refuses at its start.
 */
import { analyzeShapes } from '../model/shapes'
import type { ModelSpec } from '../model/spec'
import type { NumericFormatsSpec } from '../training/network/formats'

const SAFE = 2 ** 53

/** Why `model` cannot train at `f` (its first such layer), or undefined when it may. */
export function inexactAt(model: ModelSpec, f: NumericFormatsSpec): string | undefined {
  const accMax = 2 ** (f.accumulatorBits - 1) - 1
  let readsImages = true
  for (const l of analyzeShapes(model).layers) {
    if (!l.hasWeights) { if (l.type !== 'flatten') readsImages = false; continue }
    const x = readsImages ? 2 ** f.activationBits - 1 : 2 ** (f.activationBits - 1)
    readsImages = false
    const product = x * 2 ** (f.weightBits - 1)
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
