/**
 * The float64 network: the source model (pretrained on clean data before quantization), calibration of
 * activation ranges, and the float reference for training. Executes a graph.ts graph with the
 * linear algebra of linalg.ts; buffers are allocated once for a maximum batch size.
 */
import { gaussianAt } from '../../core/rng'
import { f64Scratch } from '../../kernels/scratch'
import { forEachPoolWindow, hasWeights, shapeSize, type GraphNode } from '../../model/graph'
import * as la from './linalg'

export interface FloatParams {
  /** per node: weights in the engine layout, or undefined */
  w: (Float64Array | undefined)[]
  b: (Float64Array | undefined)[]
}

export function fanIn(n: GraphNode): number {
  const s = n.weightShape!
  return n.kind === 'dense' ? s[1] : n.kind === 'conv2d' ? s[1] * s[2] * s[3] : s[0] * s[1]
}

/** He-normal initialisation (std √(2 / fan-in)) from the counter-based generator; biases zero. */
export function initParams(graph: GraphNode[], seed: number): FloatParams {
  const w: (Float64Array | undefined)[] = []
  const b: (Float64Array | undefined)[] = []
  for (const n of graph) {
    if (!hasWeights(n)) { w.push(undefined); b.push(undefined); continue }
    const arr = new Float64Array(shapeSize(n.weightShape!))
    const std = Math.sqrt(2 / fanIn(n))
    const addr = { seed, step: 0, tensor: 1000 + n.index }
    for (let i = 0; i < arr.length; i++) arr[i] = std * gaussianAt(addr, i)
    w.push(arr)
    b.push(n.hasBias ? new Float64Array(n.outShape[n.outShape.length - 1]) : undefined)
  }
  return { w, b }
}

export function zeroParamsLike(p: FloatParams): FloatParams {
  return { w: p.w.map((a) => a && new Float64Array(a.length)), b: p.b.map((a) => a && new Float64Array(a.length)) }
}

function applyActivation(kind: string, v: Float64Array, n: number): void {
  if (kind === 'relu') for (let i = 0; i < n; i++) { if (v[i] < 0) v[i] = 0 }
  else if (kind === 'relu6') for (let i = 0; i < n; i++) v[i] = v[i] < 0 ? 0 : v[i] > 6 ? 6 : v[i]
}

/** dy ← dy ⊙ activation'(y), from the activation's output y (0 at the kinks). */
function maskActivation(kind: string, y: Float64Array, dy: Float64Array, n: number): void {
  if (kind === 'relu') for (let i = 0; i < n; i++) { if (!(y[i] > 0)) dy[i] = 0 }
  else if (kind === 'relu6') for (let i = 0; i < n; i++) { if (!(y[i] > 0 && y[i] < 6)) dy[i] = 0 }
}

export class FloatNetwork {
  readonly acts: Float64Array[]
  readonly grads: Float64Array[]
  private readonly argmax: (Int32Array | undefined)[]
  private batch = 0
  private input = new Float64Array(0)

  constructor(readonly graph: GraphNode[], public params: FloatParams, readonly maxBatch: number) {
    this.acts = graph.map((n) => new Float64Array(maxBatch * shapeSize(n.outShape)))
    this.grads = graph.map((n) => new Float64Array(maxBatch * shapeSize(n.outShape)))
    this.argmax = graph.map((n) => (n.kind === 'maxPool' ? new Int32Array(maxBatch * shapeSize(n.outShape)) : undefined))
  }

  private inputOf(i: number): Float64Array {
    return i < 0 ? this.input : this.acts[i]
  }

  /** Runs the network on x [B, ...input shape]; returns the last node's output [B, outputs]. */
  forward(x: Float64Array | Float32Array, B: number): Float64Array {
    if (B > this.maxBatch) throw new RangeError(`batch ${B} exceeds the network's maximum ${this.maxBatch}`)
    this.batch = B
    if (this.input.length < x.length) this.input = new Float64Array(x.length)
    this.input.set(x)
    for (const n of this.graph) this.forwardNode(n, B)
    return this.acts[this.graph.length - 1]
  }

  private forwardNode(n: GraphNode, B: number): void {
    const x = this.inputOf(n.inputs[0])
    const y = this.acts[n.index]
    const outSize = B * shapeSize(n.outShape)
    const w = this.params.w[n.index]
    const b = this.params.b[n.index]
    switch (n.kind) {
      case 'dense':
        la.denseForward(x, B, n.inShape[0], w!, n.outShape[0], b, y)
        break
      case 'conv2d':
        la.conv2dForward(x, w!, b, convDims(n, B), y)
        break
      case 'depthwise':
        la.depthwiseForward(x, w!, b, depthwiseDims(n, B), y)
        break
      case 'maxPool':
        maxPoolForward(n, B, x, y, this.argmax[n.index]!)
        break
      case 'avgPool':
      case 'globalAvgPool':
        avgPoolForward(n, B, x, y)
        break
      case 'flatten':
        y.set(x.subarray(0, outSize))
        break
      case 'relu':
      case 'relu6':
        y.set(x.subarray(0, outSize))
        applyActivation(n.kind, y, outSize)
        break
      case 'add': {
        const o = this.inputOf(n.inputs[1])
        for (let i = 0; i < outSize; i++) y[i] = x[i] + o[i]
        break
      }
    }
    applyActivation(n.activation, y, outSize)
  }

  /**
   * Backpropagates d(loss)/d(output) [B, outputs] through the last forward pass. Fills `into` with the
   * parameter gradients of nodes index >= firstTrainable (others untouched) and leaves input gradients
   * in `this.grads`.
   */
  backward(dOut: Float64Array, into: FloatParams, firstTrainable = 0): void {
    const B = this.batch
    for (const g of this.grads) g.fill(0)
    const last = this.graph.length - 1
    this.grads[last].set(dOut.subarray(0, B * shapeSize(this.graph[last].outShape)))
    for (let i = last; i >= firstTrainable; i--) {
      const n = this.graph[i]
      const dy = this.grads[i]
      const y = this.acts[i]
      const outSize = B * shapeSize(n.outShape)
      maskActivation(n.activation, y, dy, outSize)
      if (n.kind === 'relu' || n.kind === 'relu6') maskActivation(n.kind, y, dy, outSize)
      const xi = n.inputs[0]
      const x = this.inputOf(xi)
      const needDx = xi >= firstTrainable && xi >= 0
      const dx = needDx ? this.grads[xi] : undefined
      const tmp = needDx ? f64Scratch('float.dx', B * shapeSize(n.inShape)) : undefined
      switch (n.kind) {
        case 'dense': {
          const K = n.inShape[0], M = n.outShape[0]
          la.denseBackwardWeight(dy, B, M, x, K, into.w[i]!)
          if (into.b[i]) la.sumChannels(dy.subarray(0, outSize), M, into.b[i]!)
          if (tmp) la.denseBackwardInput(dy, B, M, this.params.w[i]!, K, tmp)
          break
        }
        case 'conv2d': {
          const d = convDims(n, B)
          la.conv2dBackwardWeight(dy, x, d, into.w[i]!)
          if (into.b[i]) la.sumChannels(dy.subarray(0, outSize), d.CO, into.b[i]!)
          if (tmp) la.conv2dBackwardInput(dy, this.params.w[i]!, d, tmp)
          break
        }
        case 'depthwise': {
          const d = depthwiseDims(n, B)
          la.depthwiseBackwardWeight(dy, x, d, into.w[i]!)
          if (into.b[i]) la.sumChannels(dy.subarray(0, outSize), d.C * d.mult, into.b[i]!)
          if (tmp) la.depthwiseBackwardInput(dy, this.params.w[i]!, d, tmp)
          break
        }
        case 'maxPool':
          if (tmp) maxPoolBackward(n, B, dy, this.argmax[i]!, tmp)
          break
        case 'avgPool':
        case 'globalAvgPool':
          if (tmp) avgPoolBackward(n, B, dy, tmp)
          break
        case 'flatten':
        case 'relu':
        case 'relu6':
          if (tmp) tmp.set(dy.subarray(0, outSize))
          break
        case 'add': {
          if (tmp) tmp.set(dy.subarray(0, outSize))
          const oi = n.inputs[1]
          if (oi >= firstTrainable && oi >= 0) {
            const g = this.grads[oi]
            for (let k = 0; k < outSize; k++) g[k] += dy[k]
          }
          break
        }
      }
      if (dx && tmp) for (let k = 0; k < B * shapeSize(n.inShape); k++) dx[k] += tmp[k]
    }
  }
}

export function convDims(n: GraphNode, B: number): la.ConvDims {
  const [H, W, C] = n.inShape
  const [CO, KH, KW] = n.weightShape!
  return { N: B, H, W, C, CO, KH, KW, g: n.window! }
}

export function depthwiseDims(n: GraphNode, B: number): la.DepthwiseDims {
  const [H, W, C] = n.inShape
  const [KH, KW, OC] = n.weightShape!
  return { N: B, H, W, C, KH, KW, mult: OC / C, g: n.window! }
}

function maxPoolForward(n: GraphNode, B: number, x: Float64Array, y: Float64Array, arg: Int32Array): void {
  forEachPoolWindow(n, B, (o, taps, count) => {
    let best = 0
    for (let t = 1; t < count; t++) if (x[taps[t]] > x[taps[best]]) best = t // first maximum wins
    y[o] = x[taps[best]]
    arg[o] = taps[best]
  })
}

function maxPoolBackward(n: GraphNode, B: number, dy: Float64Array, arg: Int32Array, dx: Float64Array): void {
  dx.fill(0, 0, B * shapeSize(n.inShape))
  const outSize = B * shapeSize(n.outShape)
  for (let o = 0; o < outSize; o++) dx[arg[o]] += dy[o]
}

/** Average over the valid taps (padding excluded, TensorFlow's 'same' average pooling). */
function avgPoolForward(n: GraphNode, B: number, x: Float64Array, y: Float64Array): void {
  forEachPoolWindow(n, B, (o, taps, count) => {
    let s = 0
    for (let t = 0; t < count; t++) s += x[taps[t]]
    y[o] = s / count
  })
}

function avgPoolBackward(n: GraphNode, B: number, dy: Float64Array, dx: Float64Array): void {
  dx.fill(0, 0, B * shapeSize(n.inShape))
  forEachPoolWindow(n, B, (o, taps, count) => {
    for (let t = 0; t < count; t++) dx[taps[t]] += dy[o] / count
  })
}

