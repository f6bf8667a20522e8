/**
 * Forward-mode tangent propagation through one node of the integer network, in fixed point: the
 * tangent ẏ = ∂y/∂θ · v of node i's output along a weight direction v, from the tangent ẋ of its
 * input(s) and the primal values of the forward that just ran (net.acts). Tangents are Grads: codes
 * in the gradient format with a per-tensor dynamic scale (int-grad.ts), as backprop's gradients.
 *
 * Like backprop, this differentiates the real-valued network the integers stand for (the rounding of
 * each requantization is treated as identity, straight-through): the derivative of a step function
 * would be zero almost everywhere.
 *
 * Weighted nodes: ẏ = W·ẋ + V·x (+ V_b), two exact integer accumulations on codes (linalg on centred
 * codes; exact below 2^53), each with its own per-output-channel scale (s_ẋ·s_w[c] and s_x·s_w[c]; the
 * bias direction's is s_w[c]). Per-channel scales apply per output channel here (unlike backprop's
 * input gradient, which sums across channels), so each term is brought by a per-channel fixed-point
 * multiplier to one common accumulator scale S, chosen so the largest possible sum fills the
 * accumulator with 2 bits of headroom (a block-floating-point alignment; the alignment rounds half to
 * even), then requantized to the gradient format with a dynamic scale and masked by the fused clamp.
 */
import { fitAccumulatorRange } from '../../core/accumulator'
import { applyMultiplier, quantizeMultiplier } from '../../core/requantize'
import { roundDiv, type RoundingMode, type UniformSource } from '../../core/rounding'
import type { Work } from '../../core/work'
import { f64Scratch } from '../../kernels/scratch'
import { forEachPoolWindow, shapeSize, type GraphNode } from '../../model/graph'
import type { QNetwork } from './qnetwork'
import { convDims, depthwiseDims } from '../float/float-network'
import { centredInput, maskByClamp } from './int-backward'
import { mergeGrad, requantDynamic, type Grad } from './int-grad'
import * as la from '../float/linalg'

/** The direction v over a node's parameters, in weight-LSB units (real = K · s_w[c]); undefined: not perturbed. */
export interface Direction {
  weights(i: number): Float64Array | undefined
  bias(i: number): Float64Array | undefined
}

/** y = A·x for node n's linear operator (dense, conv, depthwise) on codes, no bias. */
function linear(n: GraphNode, B: number, x: Float64Array, w: Float64Array, out: Float64Array): void {
  if (n.kind === 'dense') la.denseForward(x, B, n.inShape[0], w, n.outShape[0], undefined, out)
  else if (n.kind === 'conv2d') la.conv2dForward(x, w, undefined, convDims(n, B), out)
  else la.depthwiseForward(x, w, undefined, depthwiseDims(n, B), out)
}

interface Term {
  acc: Float64Array
  scale: (c: number) => number
}

/** Σ_t acc_t · scale_t(c) as an accumulator at one common scale S (see the file comment). */
function alignTerms(terms: Term[], count: number, channels: number, bits: number, work: Work): { sum: Float64Array; scale: number } {
  let bound = 0
  const maxScale = terms.map((t) => {
    let s = 0, a = 0
    for (let c = 0; c < channels; c++) s = Math.max(s, t.scale(c))
    for (let k = 0; k < count; k++) a = Math.max(a, Math.abs(t.acc[k]))
    bound += a * s
    return s
  })
  const sum = f64Scratch('fad.sum', count)
  sum.fill(0, 0, count)
  if (bound === 0) return { sum, scale: 1 }
  const S = bound / 2 ** (bits - 3)
  terms.forEach((t, ti) => {
    if (maxScale[ti] === 0) return
    const m = Array.from({ length: channels }, (_, c) => quantizeMultiplier(t.scale(c) / S))
    for (let k = 0; k < count; k++) sum[k] += applyMultiplier(t.acc[k], m[k % channels], 'half-even')
    work.requantizations += count
  })
  return { sum, scale: S }
}

function weightedTangent(net: QNetwork, n: GraphNode, B: number, tx: Grad | undefined, dir: Direction, out: Float64Array, mode: RoundingMode, work: Work, rng?: UniformSource): Grad | undefined {
  const i = n.index
  const K = dir.weights(i), Kb = dir.bias(i)
  if (!tx && !K && !Kb) return undefined
  const p = net.model.nodes[i]
  const f = net.model.formats
  const count = B * shapeSize(n.outShape)
  const channels = n.outShape[n.outShape.length - 1]
  const sw = p.w!.quant.scales
  const swc = (c: number) => (sw.length === 1 ? sw[0] : sw[c])
  const xi = n.inputs[0]
  const sx = (xi < 0 ? net.model.input : net.model.nodes[xi].out).scales[0]
  const terms: Term[] = []
  if (tx) {
    // W·ẋ: stored weight codes against the input tangent's codes
    const w = f64Scratch('fad.w', p.w!.data.length)
    for (let j = 0; j < p.w!.data.length; j++) w[j] = p.w!.data[j]
    const acc = f64Scratch('fad.accW', count)
    linear(n, B, tx.codes, w, acc)
    fitAccumulatorRange(acc, 0, acc, 0, count, f.accumulator, work)
    work.macs += B * n.macsPerSample
    const s = tx.scale
    terms.push({ acc, scale: (c) => s * swc(c) })
  }
  if (K || Kb) {
    // V·x: direction codes against the centred input codes. The bias direction (real K_b·s_w[c])
    // would not be an integer at V·x's scale s_x·s_w[c], so it is a term of its own at scale s_w[c].
    const acc = f64Scratch('fad.accV', count)
    if (K) {
      linear(n, B, centredInput(net, n, B), K, acc)
      fitAccumulatorRange(acc, 0, acc, 0, count, f.accumulator, work)
      work.macs += B * n.macsPerSample
      terms.push({ acc, scale: (c) => sx * swc(c) })
    }
    if (Kb) {
      const accB = f64Scratch('fad.accB', count)
      for (let k = 0; k < count; k++) accB[k] = Kb[k % channels]
      terms.push({ acc: accB, scale: swc })
    }
  }
  // the largest possible sum fills the accumulator but for 2 bits — and stays where doubles are exact
  // (2^53) and where requantDynamic's multiplier qmax / max|sum| is representable (≥ 2^−32)
  const { sum, scale } = alignTerms(terms, count, channels, Math.min(f.accumulator.bits, 53, f.gradient.bits + 31), work)
  return requantDynamic(sum, count, scale, f.gradient, mode, work, out, rng)
}

/** Tangent of node i's output, or undefined where it is identically zero. `tangent(k)` gives earlier ones. */
export function tangentNode(net: QNetwork, i: number, B: number, tangent: (k: number) => Grad | undefined, dir: Direction, out: Float64Array, mode: RoundingMode, work: Work, rng?: UniformSource): Grad | undefined {
  const n = net.model.graph[i]
  const f = net.model.formats
  const count = B * shapeSize(n.outShape)
  const tx = tangent(n.inputs[0])
  let res: Grad | undefined
  switch (n.kind) {
    case 'dense':
    case 'conv2d':
    case 'depthwise':
      res = weightedTangent(net, n, B, tx, dir, out, mode, work, rng)
      break
    case 'maxPool': {
      const x = net.inputOf(n.inputs[0])
      if (tx) res = { codes: out, scale: tx.scale, count }
      if (tx) windows(n, B, (o, taps, cnt) => {
        // the tangent of the window's first maximum, the forward's tie rule
        let best = taps[0]
        for (let t = 1; t < cnt; t++) if (x[taps[t]] > x[best]) best = taps[t]
        out[o] = cnt ? tx.codes[best] : 0
      }, work)
      break
    }
    case 'avgPool':
    case 'globalAvgPool':
      // exact sum of tangent codes over the valid taps, rounded once: the mean of the tangents
      if (tx) res = { codes: out, scale: tx.scale, count }
      if (tx) windows(n, B, (o, taps, cnt) => {
        let s = 0
        for (let t = 0; t < cnt; t++) s += tx.codes[taps[t]]
        out[o] = cnt ? roundDiv(s, cnt, mode, rng) : 0
      }, work)
      break
    case 'flatten':
      return tx // a view, like the activation
    case 'relu':
    case 'relu6':
      if (tx) { out.set(tx.codes.subarray(0, count)); res = { codes: out, scale: tx.scale, count } }
      break
    case 'add': {
      // d(a + b) = da + db in real terms: merged at the coarser of the two scales (mergeGrad)
      const tb = tangent(n.inputs[1])
      const first = tx ?? tb
      if (first) {
        out.set(first.codes.subarray(0, count))
        res = { codes: out, scale: first.scale, count }
        if (tx && tb) mergeGrad(res, tb, f.gradient, mode, work)
      }
      break
    }
  }
  if (res) maskByClamp(net, i, B, res, work)
  return res
}

/** forEachPoolWindow, counting the window scan as element-wise work. */
function windows(n: GraphNode, B: number, fn: (o: number, taps: Int32Array, count: number) => void, work: Work): void {
  forEachPoolWindow(n, B, fn)
  work.elementOps += B * shapeSize(n.outShape) * n.window!.kh * n.window!.kw
}
