/**
 * The integer network: executes a quantized model with the engine's integer kernels (the same kernels
 * that are bit-exact against onnxruntime), batch by batch, declaring its device buffers to a
 * MemoryTracker as it goes. Buffers are allocated once for a maximum batch; forward passes allocate
 * only small views.
 */
import { quantizeInto } from '../../core/quant'
import { accTensor, qtensor, type QTensor } from '../../core/tensor'
import type { Work } from '../../core/work'
import { getKernelBackend } from '../../kernels/registry'
import type { KernelBackend } from '../../kernels/backend'
import { avgPool2d, maxPool2d } from '../../kernels/pool2d'
import { activationBounds, clampInt } from '../../kernels/activation'
import { addRescaled } from '../../kernels/add'
import { f64Scratch } from '../../kernels/scratch'
import { chooseTier, macBounds, maxAbs } from '../../kernels/mac-core'
import { shapeSize, type GraphNode } from '../../model/graph'
import type { MemoryTracker } from './memory'
import type { QuantizedModel } from './quantize-model'
import type { OpSink } from '../../core/op'
import type { Phase } from '../../core/op'
import { delta, emitMacOp, snapshot } from './trace'
import { packedBytes } from '../../core/int-format'

/** Which forward buffers a training algorithm keeps for its backward pass. */
export interface SavePolicy {
  /** keep node i's input activations (dense/conv/depthwise weight gradients, max-pool routing) */
  input: (i: number) => boolean
  /** keep a 1-bit mask of node i's activation clamp (ReLU/ReLU6 derivative) */
  mask: (i: number) => boolean
  /**
   * the share of node i's input channels kept when it is saved (a sparse update's input-channel slice,
   * sparse-update.ts); default 1. A partial copy is a new buffer: the whole input stays live until
   * its last reader as usual
   */
  inputShare?: (i: number) => number
}

export const SAVE_NOTHING: SavePolicy = { input: () => false, mask: () => false }

/**
 * Weights and biases to use instead of the stored ones for some nodes in one forward pass (the
 * perturbed copies of zeroth-order methods). Returning undefined keeps the stored tensor.
 */
export interface ParamOverride {
  weights(i: number): QTensor | undefined
  bias(i: number): Float64Array | undefined
}

export class QNetwork {
  readonly acts: Int32Array[]
  readonly input: Int32Array
  /** last node index that reads node i's output (−1: the network input) */
  readonly lastUse: number[]
  /** integer clamp of each node's fused activation, or undefined */
  readonly clamps: ([number, number] | undefined)[]
  private readonly bits: number

  /**
   * `kernels`: the MAC kernels, by default the default backend (WASM SIMD where available, bit-identical
   * to the TypeScript reference, which tests pass here to compare).
   */
  constructor(readonly model: QuantizedModel, readonly maxBatch: number, private readonly kernels: KernelBackend = getKernelBackend()) {
    const g = model.graph
    this.bits = model.formats.activation.bits
    this.input = new Int32Array(maxBatch * shapeSize(g[0].inShape))
    this.acts = []
    for (const n of g) {
      // flatten is a view: NHWC data is already contiguous
      this.acts.push(n.kind === 'flatten' ? this.inputOf(n.inputs[0]) : new Int32Array(maxBatch * shapeSize(n.outShape)))
    }
    this.lastUse = g.map(() => -1)
    this.inputLastUse = -1
    for (const n of g) for (const i of n.inputs) { if (i < 0) this.inputLastUse = n.index; else this.lastUse[i] = n.index }
    this.clamps = g.map((n, i) => {
      const act = n.kind === 'relu' || n.kind === 'relu6' ? n.kind : n.activation
      if (act === 'none') return undefined
      const t = qtensor([1], model.formats.activation, model.nodes[i].out)
      return activationBounds(act, t)
    })
    this.checkExactness()
  }

  inputLastUse: number

  /** receives one Op per MAC kernel call while set (the cost models' view of the work) */
  trace: OpSink | undefined
  /** the phase forward passes are attributed to */
  tracePhase: Phase = 'forward'

  inputOf(i: number): Int32Array {
    return i < 0 ? this.input : this.acts[i]
  }

  /** Refuses formats whose sums could pass 2^53 in a 64-bit accumulator (the BigInt tier is not wired for training). */
  private checkExactness(): void {
    const { graph, nodes, formats } = this.model
    for (const n of graph) {
      const p = nodes[n.index]
      if (!p.w) continue
      if (p.b) integerCodes(p.b, n) // a NaN bias would make the bound NaN and read as "can exceed 2^53"
      const xq = n.inputs[0] < 0 ? this.model.input : nodes[n.inputs[0]].out
      const taps = n.macsPerSample / shapeSize(n.outShape) || 1
      const b = macBounds(Math.ceil(taps), formats.activation, xq.zeroPoints, formats.weight, p.w.quant.zeroPoints, maxAbs(p.b))
      if (chooseTier(b, formats.accumulator) === 'bigint') {
        throw new RangeError(`${n.path}: with ${formats.weight.bits}-bit weights and ${formats.activation.bits}-bit activations a ${formats.accumulator.bits}-bit accumulator can exceed 2^53; training supports narrower formats`)
      }
    }
  }

  actBytes(shape: readonly number[], B: number): number {
    return (B * shapeSize(shape) * this.bits) / 8
  }

  /** Quantizes images [B, ...input] (values in [0, 1]) and runs every node; returns the logits view [B, outputs]. */
  forward(images: ArrayLike<number>, B: number, work: Work, tracker?: MemoryTracker, save: SavePolicy = SAVE_NOTHING, override?: ParamOverride): QTensor {
    this.override = override
    if (B > this.maxBatch) throw new RangeError(`batch ${B} exceeds the network's maximum ${this.maxBatch}`)
    const { graph, nodes } = this.model
    const inShape = graph[0].inShape
    quantizeInto(images, [B, ...inShape], this.model.formats.activation, this.model.input, this.input.subarray(0, B * shapeSize(inShape)), 'half-even')
    tracker?.alloc('act:in', 'scratch', this.actBytes(inShape, B))
    for (const n of graph) {
      this.forwardNode(n, B, work)
      const outName = `act:${n.index}`
      if (n.kind !== 'flatten') tracker?.alloc(outName, 'scratch', this.actBytes(n.outShape, B))
      if (!tracker) continue
      if (save.mask(n.index) && this.clamps[n.index]) tracker.alloc(`mask:${n.index}`, 'savedActivations', (B * shapeSize(n.outShape)) / 8)
      for (const i of n.inputs) {
        const name = i < 0 ? 'act:in' : `act:${this.storageOf(i)}`
        const shape = i < 0 ? inShape : graph[i].outShape
        const lastReader = (i < 0 ? this.inputLastUse : this.lastUse[i]) === n.index
        const share = save.input(n.index) ? (save.inputShare?.(n.index) ?? 1) : 0
        if (share >= 1) {
          tracker.free(name)
          tracker.alloc(`saved:${i}`, 'savedActivations', this.actBytes(shape, B))
        } else {
          // another reader may have saved more of the same tensor: the copy is the larger of the two
          if (share > 0) tracker.alloc(`saved:${i}`, 'savedActivations', Math.max(tracker.bytesOf(`saved:${i}`), share * this.actBytes(shape, B)))
          if (lastReader) tracker.free(name)
        }
      }
      if (n.kind === 'flatten' && this.lastUse[n.index] !== -1) {
        // a flatten output is its input's buffer: keep that buffer alive for the flatten's consumers
        tracker.alloc(`act:${this.storageOf(n.index)}`, 'scratch', this.actBytes(n.outShape, B))
      }
    }
    const last = graph[graph.length - 1]
    tracker?.free(`act:${last.index}`)
    return qtensor([B, shapeSize(last.outShape)], this.model.formats.activation, nodes[last.index].out, this.acts[last.index].subarray(0, B * shapeSize(last.outShape)))
  }

  /** The node that owns the buffer behind node i's output (flatten chains resolve to their source). */
  storageOf(i: number): number | 'in' {
    let k = i
    while (k >= 0 && this.model.graph[k].kind === 'flatten') k = this.model.graph[k].inputs[0]
    return k < 0 ? 'in' : k
  }

  /** Node i's output as a QTensor view of batch B, with a per-sample shape. */
  view(i: number, B: number, shape?: readonly number[]): QTensor {
    const n = i < 0 ? undefined : this.model.graph[i]
    const s = shape ?? (n ? n.outShape : this.model.graph[0].inShape)
    const q = i < 0 ? this.model.input : this.model.nodes[i].out
    return qtensor([B, ...s], this.model.formats.activation, q, this.inputOf(i).subarray(0, B * shapeSize(s)))
  }

  private override: ParamOverride | undefined

  /** The MAC kernel's Op (its own work is what is priced), with what the requantization after it clipped. */
  private traceMac(n: GraphNode, B: number, mac: Work, requant: Work, p: { w?: QTensor; b?: Float64Array }): void {
    const output = { clipped: requant.clipped, requantized: requant.requantizations }
    emitMacOp(this.trace!, this.model.formats, this.tracePhase, n, B, 'forward', mac, packedBytes(p.w!.format, p.w!.data.length) + 4 * (p.b?.length ?? 0), output)
  }

  private forwardNode(n: GraphNode, B: number, work: Work): void {
    const stored = this.model.nodes[n.index]
    const o = this.override
    const p = o && stored.w ? { ...stored, w: o.weights(n.index) ?? stored.w, b: o.bias(n.index) ?? stored.b } : stored
    const f = this.model.formats
    const xi = n.inputs[0]
    const x = this.view(xi, B, n.inShape)
    const out = this.view(n.index, B)
    const outSize = B * shapeSize(n.outShape)
    const accView = () => accTensor([B, ...n.outShape], f.accumulator, false, f64Scratch('qnet.acc', outSize).subarray(0, outSize))
    switch (n.kind) {
      case 'dense':
      case 'conv2d':
      case 'depthwise': {
        // MAC kernel into the accumulator scratch, then requantization to the output format
        if (p.b) integerCodes(p.b, n)
        const acc = accView()
        const before = this.trace && snapshot(work)
        if (n.kind === 'dense') this.kernels.dense({ x, w: p.w!, bias: p.b, out: acc }, work)
        else {
          const g = n.window!
          const args = { x, w: p.w!, bias: p.b, out: acc, stride: [g.sh, g.sw] as const, padding: [g.pt, g.pl, g.pb, g.pr] as const, dilation: [g.dh, g.dw] as const }
          if (n.kind === 'conv2d') this.kernels.conv2d(args, work)
          else this.kernels.depthwiseConv2d(args, work)
        }
        const mac = before && delta(work, before)
        const afterMac = before && snapshot(work)
        this.kernels.requantize({ acc, plan: p.plan!, out }, work)
        if (mac && afterMac) this.traceMac(n, B, mac, delta(work, afterMac), p)
        break
      }
      case 'maxPool':
      case 'avgPool':
      case 'globalAvgPool': {
        const g = n.window!
        const o = n.kind === 'globalAvgPool' ? this.view(n.index, B, [1, 1, n.outShape[0]]) : out
        const args = { x, out: o, kernel: [g.kh, g.kw] as [number, number], stride: [g.sh, g.sw] as [number, number], padding: [g.pt, g.pl, g.pb, g.pr] as [number, number, number, number] }
        if (n.kind === 'maxPool') maxPool2d(args, work)
        else avgPool2d({ ...args, rounding: 'half-away' }, work)
        break
      }
      case 'flatten':
        break
      case 'relu':
      case 'relu6':
        out.data.set(x.data)
        break
      case 'add':
        addRescaled({ a: x, b: this.view(n.inputs[1], B, n.inShape), out, plan: p.add! }, work)
        break
    }
    const c = this.clamps[n.index]
    if (c) clampInt(out, out, c[0], c[1], work)
  }
}

/**
 * Biases are integer codes in a Float64Array (32-bit range plus saturation), written by every training
 * algorithm: a NaN or a fraction there would be read as garbage by the double tiers and throw a bare
 * RangeError in the BigInt tier, so it is named here, once per layer per pass (O(channels), not O(MACs)).
 */
function integerCodes(b: Float64Array, n: GraphNode): void {
  for (let c = 0; c < b.length; c++) {
    if (!Number.isInteger(b[c])) throw new RangeError(`layer ${n.index} (${n.kind}): bias code ${c} is ${b[c]}, not an integer`)
  }
}
