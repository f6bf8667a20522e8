/**
 * Formats a run cannot train at, known before it starts. The integer network refuses, when it is built,
 * any layer whose sums could pass 2^53 (qnetwork.ts checkExactness: the BigInt tier is not wired for
 * training). Its bound is |x − z_x|max · |w − z_w|max per product (kernels/mac-core.ts macBounds), with
 * the calibrated activation zero point z_x. Weights are symmetric (z_w = 0, so |w|max = 2^(b−1)); z_x is
 * set by calibration (core/quant.ts chooseParams, whose range always includes 0), but what the bound
 * needs of it is known from the model alone in two cases:
 * - the tensor can hold no negative value (the input images, which span [0, 1]; the output of a layer or
 *   an add with a fused ReLU/ReLU6; an add of two such tensors; pooling and flatten of one): its range
 *   starts at 0, so z_x is the format's minimum and |x − z_x|max = 2^a − 1, exactly;
 * - otherwise z_x lies anywhere in the format, and |x − z_x|max is at least 2^(a−1).
 * A standalone ReLU layer keeps its input's quantization (TFLite's rule, quantize-model.ts), so it does
 * not make its input's zero point known. Where the bound decides, the spec is refused at validation. What
 * is left to the run's start is the band of about one activation bit of layers reading a signed tensor
 * (and a layer whose biases, unknown before pretraining, push a sum within 2^31 of 2^53). One case goes
 * the other way: a ReLU layer whose output is 0 on every calibration image (a dead layer) gets zero point
 * 0 and would have run; it is refused here all the same.
 */
import { buildGraph, hasWeights, type GraphNode } from '../model/graph'
import type { ModelSpec } from '../model/spec'
import type { NumericFormatsSpec } from '../training/network/formats'

const SAFE = 2 ** 53

/**
 * Per node of the graph: its output can hold no negative value, so calibration gives it the activation
 * format's minimum as zero point (or, for a range of only zeros, zero point 0).
 */
export function nonNegativeOutputs(graph: readonly GraphNode[]): boolean[] {
  const out: boolean[] = []
  const of = (i: number) => (i < 0 ? true : out[i])
  for (const n of graph) {
    const rectified = n.activation === 'relu' || n.activation === 'relu6'
    if (n.kind === 'add') out.push(rectified || n.inputs.every(of))
    else if (hasWeights(n)) out.push(rectified)
    else out.push(of(n.inputs[0]))
  }
  return out
}

/** Why `model` cannot train at `f` (its first such layer), or undefined when it may. */
export function inexactAt(model: ModelSpec, f: NumericFormatsSpec): string | undefined {
  const accMax = 2 ** (f.accumulatorBits - 1) - 1
  const graph = buildGraph(model)
  const nonNegative = nonNegativeOutputs(graph)
  for (const n of graph) {
    if (!hasWeights(n)) continue
    const known = n.inputs[0] < 0 || nonNegative[n.inputs[0]]
    const x = known ? 2 ** f.activationBits - 1 : 2 ** (f.activationBits - 1)
    const product = x * 2 ** (f.weightBits - 1)
    // as the network counts them: multiply-accumulates per output, rounded up
    const taps = Math.ceil(n.macsPerSample / n.outShape.reduce((a, b) => a * b, 1)) || 1
    const sum = taps * product
    // kernels/mac-core.ts chooseTier: a saturating sum that may pass the accumulator is clamped after
    // every product, else the whole sum must stay below 2^53
    const stepwise = f.accumulatorOverflow === 'saturate' && sum > accMax
    if (stepwise ? product + 2 ** (f.accumulatorBits - 1) >= SAFE : sum >= SAFE) {
      const why = known ? '' : ' whatever its input\'s zero point'
      return `with ${f.weightBits}-bit weights and ${f.activationBits}-bit activations, ${n.path}'s sums of ${taps} products can pass 2^53${why} in a ${f.accumulatorBits}-bit ${f.accumulatorOverflow === 'saturate' ? 'saturating' : 'wrapping'} accumulator; training needs narrower weights or activations`
    }
  }
  return undefined
}
