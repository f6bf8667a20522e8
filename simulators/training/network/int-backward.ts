/**
 * The integer backward pass of one node: activation-clamp mask, weight and bias gradients as exact
 * accumulators, and the input gradient requantized to the gradient format. The sums run on centred
 * integer codes in doubles (exact: QNetwork refuses formats whose sums could reach 2^53) with the
 * accumulator's rule applied once per output — the transposed operations an inference NPU lacks.
 *
 * Per-channel weight scales: dX = Σ_m dY[m]·W[m]·s_w[m] sums over output channels whose scales differ,
 * so dY is first brought to the common scale max s_w by a per-channel fixed-point multiplier (an extra,
 * counted requantization), as an integer engine must.
 */
import { fitAccumulatorRange } from '../../core/accumulator'
import { applyMultiplier, quantizeMultiplier } from '../../core/requantize'
import { roundDiv, type RoundingMode, type UniformSource } from '../../core/rounding'
import type { Work } from '../../core/work'
import { f64Scratch } from '../../kernels/scratch'
import { forEachPoolWindow, shapeSize, type GraphNode } from '../../model/graph'
import type { QNetwork } from './qnetwork'
import { convDims, depthwiseDims } from '../float/float-network'
import { requantDynamic, type Grad } from './int-grad'
import * as la from '../float/linalg'
import { emitMacOp } from './trace'
import { newWork } from '../../core/work'
import { sliceIndices, type WeightSlice } from './sparse-update'

export interface NodeGrads {
  /** weight-gradient accumulators; real gradient = dW[j] · dWScale */
  dW?: Float64Array
  /** for a sliced update (sparse-update.ts): the weight element each dW entry belongs to */
  dWIndex?: Int32Array
  dWScale?: number
  /** bias-gradient sums; real gradient = dB[c] · dBScale */
  dB?: Float64Array
  dBScale?: number
  /** gradient w.r.t. the node's (first) input */
  dX?: Grad
  /** gradient w.r.t. an add node's second operand */
  dOther?: Grad
}

export interface BackwardOptions {
  needDx: boolean
  weights: boolean
  biases: boolean
  rounding: RoundingMode
  rng?: UniformSource
  /** only these channels' weight gradients (TTE's sub-operator slicing); the rest are never computed */
  slice?: WeightSlice
}

/** dy ← 0 where the node's fused activation clamped (its output sits at the clamp bounds). */
export function maskByClamp(net: QNetwork, i: number, B: number, dy: Grad, work: Work): void {
  const c = net.clamps[i]
  if (!c) return
  const y = net.acts[i]
  const n = B * shapeSize(net.model.graph[i].outShape)
  for (let k = 0; k < n; k++) if (y[k] <= c[0] || y[k] >= c[1]) dy.codes[k] = 0
  work.elementOps += n
}

/** Input codes of node i minus their zero point, as doubles. */
export function centredInput(net: QNetwork, n: GraphNode, B: number): Float64Array {
  const x = net.inputOf(n.inputs[0])
  const zp = (n.inputs[0] < 0 ? net.model.input : net.model.nodes[n.inputs[0]].out).zeroPoints[0]
  const count = B * shapeSize(n.inShape)
  const out = f64Scratch('ib.xc', count)
  for (let k = 0; k < count; k++) out[k] = x[k] - zp
  return out
}

function weightCodes(net: QNetwork, i: number): Float64Array {
  const w = net.model.nodes[i].w!
  const out = f64Scratch('ib.w', w.data.length)
  for (let k = 0; k < w.data.length; k++) out[k] = w.data[k]
  return out
}

/** dY brought to the common scale max(s_w) per output channel (last axis), for the input gradient. */
function prescale(dy: Grad, channels: number, wScales: Float64Array, mode: RoundingMode, work: Work): { codes: Float64Array; sMax: number } {
  let sMax = 0
  for (const s of wScales) sMax = Math.max(sMax, s)
  if (wScales.length === 1) return { codes: dy.codes, sMax }
  const out = f64Scratch('ib.dyScaled', dy.count)
  const m = Array.from(wScales, (s) => quantizeMultiplier(s / sMax))
  for (let k = 0; k < dy.count; k++) out[k] = applyMultiplier(dy.codes[k], m[k % channels], mode)
  work.requantizations += dy.count
  return { codes: out, sMax }
}

export function backwardNode(net: QNetwork, i: number, B: number, dy: Grad, o: BackwardOptions, gradBuffer: (k: number) => Float64Array, work: Work): NodeGrads {
  const n = net.model.graph[i]
  const p = net.model.nodes[i]
  const f = net.model.formats
  const inCount = B * shapeSize(n.inShape)
  const outCount = B * shapeSize(n.outShape)
  const res: NodeGrads = {}
  const xi = n.inputs[0]
  switch (n.kind) {
    case 'dense':
    case 'conv2d':
    case 'depthwise': {
      const channels = n.outShape[n.outShape.length - 1]
      const sx = (xi < 0 ? net.model.input : net.model.nodes[xi].out).scales[0]
      if (o.weights && o.slice) {
        Object.assign(res, slicedWeightGrad(net, i, B, dy, o.slice, work))
        res.dWScale = dy.scale * sx
      } else if (o.weights) {
        const xc = centredInput(net, n, B)
        const dW = f64Scratch(`ib.dW.${i}`, p.w!.data.length)
        if (n.kind === 'dense') la.denseBackwardWeight(dy.codes, B, channels, xc, n.inShape[0], dW)
        else if (n.kind === 'conv2d') la.conv2dBackwardWeight(dy.codes, xc, convDims(n, B), dW)
        else la.depthwiseBackwardWeight(dy.codes, xc, depthwiseDims(n, B), dW)
        fitAccumulatorRange(dW, 0, dW, 0, p.w!.data.length, f.accumulator, work)
        countMac(net, n, B, 'outer-product', work, (outCount * f.gradient.bits + inCount * f.activation.bits) / 8, (p.w!.data.length * f.accumulator.bits) / 8, 0)
        res.dW = dW.subarray(0, p.w!.data.length)
        res.dWScale = dy.scale * sx
      }
      if (o.biases && p.b) {
        const dB = f64Scratch(`ib.dB.${i}`, channels)
        la.sumChannels(dy.codes.subarray(0, outCount), channels, dB)
        work.elementOps += outCount
        res.dB = dB.subarray(0, channels)
        res.dBScale = dy.scale
      }
      if (o.needDx) {
        const { codes, sMax } = prescale(dy, channels, p.w!.quant.scales, o.rounding, work)
        const acc = f64Scratch('ib.dxAcc', inCount)
        const wc = weightCodes(net, i)
        if (n.kind === 'dense') la.denseBackwardInput(codes, B, channels, wc, n.inShape[0], acc)
        else if (n.kind === 'conv2d') la.conv2dBackwardInput(codes, wc, convDims(n, B), acc)
        else la.depthwiseBackwardInput(codes, wc, depthwiseDims(n, B), acc)
        fitAccumulatorRange(acc, 0, acc, 0, inCount, f.accumulator, work)
        const wBytes = (p.w!.data.length * f.weight.bits) / 8
        countMac(net, n, B, 'transposed', work, (outCount * f.gradient.bits) / 8 + wBytes, (inCount * f.accumulator.bits) / 8, wBytes)
        res.dX = requantDynamic(acc, inCount, dy.scale * sMax, f.gradient, o.rounding, work, gradBuffer(xi), o.rng)
      }
      break
    }
    case 'maxPool': {
      if (!o.needDx) break
      const dx = gradBuffer(xi)
      dx.fill(0, 0, inCount)
      routeMax(net, n, B, dy, dx, work)
      res.dX = { codes: dx, scale: dy.scale, count: inCount }
      break
    }
    case 'avgPool':
    case 'globalAvgPool': {
      if (!o.needDx) break
      const dx = gradBuffer(xi)
      spreadAverage(n, B, dy, dx, o.rounding, work, o.rng)
      res.dX = { codes: dx, scale: dy.scale, count: inCount }
      break
    }
    case 'flatten':
    case 'relu':
    case 'relu6': {
      if (!o.needDx) break
      const dx = gradBuffer(xi)
      dx.set(dy.codes.subarray(0, inCount))
      res.dX = { codes: dx, scale: dy.scale, count: inCount }
      break
    }
    case 'add': {
      // d(a + b)/da = d(a + b)/db = 1 in real terms: both operands receive dY's codes and scale
      if (o.needDx) {
        const dx = gradBuffer(xi)
        dx.set(dy.codes.subarray(0, inCount))
        res.dX = { codes: dx, scale: dy.scale, count: inCount }
      }
      const other = f64Scratch(`ib.other.${i}`, inCount)
      other.set(dy.codes.subarray(0, inCount))
      res.dOther = { codes: other, scale: dy.scale, count: inCount }
      break
    }
  }
  return res
}

/** Gathers channels `keep` (of C, the last axis) of a [rows, C] tensor into [rows, keep.length]. */
function gatherChannels(src: Float64Array, rows: number, C: number, keep: Int32Array, name: string): Float64Array {
  const k = keep.length
  const out = f64Scratch(name, rows * k)
  for (let r = 0; r < rows; r++) for (let t = 0; t < k; t++) out[r * k + t] = src[r * C + keep[t]]
  return out
}

/**
 * The weight gradient of a slice only: the kernels run on the kept channels alone (input channels: the
 * saved input's kept channels; output channels: dY's kept channels), so the frozen part is never
 * computed and its MACs are not counted. dW[t] belongs to weight element dWIndex[t].
 */
function slicedWeightGrad(net: QNetwork, i: number, B: number, dy: Grad, s: WeightSlice, work: Work): { dW: Float64Array; dWIndex: Int32Array } {
  const n = net.model.graph[i]
  const f = net.model.formats
  const xcFull = centredInput(net, n, B)
  const C = n.inShape[n.inShape.length - 1]
  const outC = n.outShape[n.outShape.length - 1]
  const pixelsIn = (B * shapeSize(n.inShape)) / C, pixelsOut = (B * shapeSize(n.outShape)) / outC
  const k = s.channels.length
  const index = sliceIndices(n, net.model.nodes[i].w!.data.length, s)
  const dW = f64Scratch(`ib.dW.${i}`, index.length)
  if (n.kind === 'depthwise') {
    // a depthwise channel c feeds outputs c·mult … c·mult + mult − 1: both sides are sliced
    const mult = outC / C
    const outKeep = Int32Array.from({ length: k * mult }, (_, t) => s.channels[Math.floor(t / mult)] * mult + (t % mult))
    const xs = gatherChannels(xcFull, pixelsIn, C, s.channels, 'ib.xSlice')
    const dys = gatherChannels(dy.codes, pixelsOut, outC, outKeep, 'ib.dySlice')
    la.depthwiseBackwardWeight(dys, xs, { ...depthwiseDims(n, B), C: k }, dW)
  } else if (s.axis === 'input') {
    const xs = gatherChannels(xcFull, pixelsIn, C, s.channels, 'ib.xSlice')
    if (n.kind === 'dense') la.denseBackwardWeight(dy.codes, B, outC, xs, k, dW)
    else la.conv2dBackwardWeight(dy.codes, xs, { ...convDims(n, B), C: k }, dW)
  } else {
    const dys = gatherChannels(dy.codes, pixelsOut, outC, s.channels, 'ib.dySlice')
    if (n.kind === 'dense') la.denseBackwardWeight(dys, B, k, xcFull, C, dW)
    else la.conv2dBackwardWeight(dys, xcFull, { ...convDims(n, B), CO: k }, dW)
  }
  fitAccumulatorRange(dW, 0, dW, 0, index.length, f.accumulator, work)
  const share = k / s.of
  const inBytes = (s.axis === 'input' || n.kind === 'depthwise' ? share : 1) * B * shapeSize(n.inShape) * f.activation.bits / 8
  const dyBytes = (s.axis === 'output' || n.kind === 'depthwise' ? share : 1) * B * shapeSize(n.outShape) * f.gradient.bits / 8
  countMac(net, n, B, 'outer-product', work, dyBytes + inBytes, (index.length * f.accumulator.bits) / 8, 0, share)
  return { dW: dW.subarray(0, index.length), dWIndex: index }
}

/** Max pooling backward: each output's gradient goes to the first maximal input of its window (the forward's tie rule). */
function routeMax(net: QNetwork, n: GraphNode, B: number, dy: Grad, dx: Float64Array, work: Work): void {
  const x = net.inputOf(n.inputs[0])
  forEachPoolWindow(n, B, (o, taps, count) => {
    if (count === 0) return
    let best = taps[0]
    for (let t = 1; t < count; t++) if (x[taps[t]] > x[best]) best = taps[t]
    dx[best] += dy.codes[o]
  })
  work.elementOps += B * shapeSize(n.outShape) * n.window!.kh * n.window!.kw
}

/**
 * Average pooling backward: each input receives Σ dY/count over the windows that read it. With a common
 * denominator L (the lcm of the window counts) the sum is an exact integer numerator, rounded once.
 */
function spreadAverage(n: GraphNode, B: number, dy: Grad, dx: Float64Array, mode: RoundingMode, work: Work, rng?: UniformSource): void {
  const size = B * shapeSize(n.inShape)
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b))
  let L = 1
  forEachPoolWindow(n, 1, (_o, _taps, count) => { if (count) L = (L / gcd(L, count)) * count })
  const num = f64Scratch('ib.avgNum', size)
  num.fill(0, 0, size)
  forEachPoolWindow(n, B, (o, taps, count) => {
    for (let t = 0; t < count; t++) num[taps[t]] += dy.codes[o] * (L / count)
  })
  for (let k = 0; k < size; k++) dx[k] = roundDiv(num[k], L, mode, rng)
  work.elementOps += size
}

/** Counts a backward MAC kernel's work (MACs of the valid taps, bytes at device widths) and traces it. */
function countMac(net: QNetwork, n: GraphNode, B: number, form: 'transposed' | 'outer-product', work: Work, bytesRead: number, bytesWritten: number, weightBytes: number, share = 1): void {
  // a sliced weight gradient runs share of the layer's MACs (its kept channels' taps)
  const w = { ...newWork(), macs: Math.round(B * n.macsPerSample * share), bytesRead, bytesWritten }
  work.macs += w.macs
  work.bytesRead += bytesRead
  work.bytesWritten += bytesWritten
  if (net.trace) emitMacOp(net.trace, net.model.formats, 'backward', n, B, form, w, weightBytes)
}
