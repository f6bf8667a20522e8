/**
 * Quantizing a float model into a device's formats: symmetric weights (per tensor or per output
 * channel), biases in the accumulator domain (scale s_x·s_w, 32-bit, TFLite's convention), and
 * asymmetric activations whose ranges come from running the float model on a calibration batch.
 * Pooling, flatten and standalone ReLU keep their input's parameters (TFLite's rule), so only layers
 * that requantize (dense, conv, depthwise, add) and the input get their own ranges.
 */
import { calibrate, chooseParams, perTensor, quantize, type QuantParams } from '../../core/quant'
import { qtensor, type QTensor } from '../../core/tensor'
import { maxValue, minValue } from '../../core/int-format'
import { fixedPlan, type RequantPlan } from '../../kernels/requantize'
import { addPlan, type AddPlan } from '../../kernels/add'
import { hasWeights, shapeSize, type GraphNode } from '../../model/graph'
import { FloatNetwork, type FloatParams } from '../float/float-network'
import type { NumericFormats } from './formats'

export interface QNodeParams {
  w?: QTensor
  /** bias codes, scale s_x·s_w[c] */
  b?: Float64Array
  /** quantization of this node's output activations (per tensor) */
  out: QuantParams
  plan?: RequantPlan
  add?: AddPlan
}

export interface QuantizedModel {
  graph: GraphNode[]
  formats: NumericFormats
  /** input images live in [0, 1] */
  input: QuantParams
  nodes: QNodeParams[]
}

/** Output activation ranges of every node on a calibration batch (float model). */
export function activationRanges(graph: GraphNode[], params: FloatParams, images: Float32Array, count: number): { min: number; max: number }[] {
  const net = new FloatNetwork(graph, params, count)
  net.forward(images.subarray(0, count * shapeSize(graph[0].inShape)), count)
  return graph.map((n, i) => {
    const a = net.acts[i].subarray(0, count * shapeSize(n.outShape))
    let lo = Infinity, hi = -Infinity
    for (let k = 0; k < a.length; k++) { if (a[k] < lo) lo = a[k]; if (a[k] > hi) hi = a[k] }
    return { min: lo, max: hi }
  })
}

export function quantizeModel(graph: GraphNode[], params: FloatParams, formats: NumericFormats, calibration: Float32Array, calibrationCount: number): QuantizedModel {
  finiteParams(graph, params)
  const ranges = activationRanges(graph, params, calibration, calibrationCount)
  const act = formats.activation
  const ip = chooseParams(0, 1, act, false)
  const input = perTensor(ip.scale, ip.zeroPoint)
  const nodes: QNodeParams[] = []
  const outOf = (i: number) => (i < 0 ? input : nodes[i].out)
  for (const n of graph) {
    const xq = outOf(n.inputs[0])
    if (hasWeights(n)) {
      const r = ranges[n.index]
      const p = chooseParams(r.min, r.max, act, false)
      const out = perTensor(p.scale, p.zeroPoint)
      const wf = params.w[n.index]!
      const wq = calibrate(wf, n.weightShape!, formats.weight, { symmetric: true, axis: formats.spec.weightGranularity === 'per-channel' ? n.weightAxis : undefined })
      const w = qtensor(n.weightShape!, formats.weight, wq, quantize(wf, n.weightShape!, formats.weight, wq))
      const channels = n.outShape[n.outShape.length - 1]
      const sx = xq.scales[0]
      const sw = (c: number) => (wq.scales.length === 1 ? wq.scales[0] : wq.scales[c])
      let b: Float64Array | undefined
      if (n.hasBias) {
        const bf = params.b[n.index]!
        b = new Float64Array(channels)
        const lo = minValue(formats.bias), hi = maxValue(formats.bias)
        for (let c = 0; c < channels; c++) b[c] = Math.min(hi, Math.max(lo, Math.round(bf[c] / (sx * sw(c)))))
      }
      const real = Array.from({ length: wq.scales.length }, (_, c) => (sx * sw(c)) / out.scales[0])
      nodes.push({ w, b, out, plan: fixedPlan(real, formats.spec.rounding) })
    } else if (n.kind === 'add') {
      const r = ranges[n.index]
      const p = chooseParams(r.min, r.max, act, false)
      const out = perTensor(p.scale, p.zeroPoint)
      nodes.push({ out, add: addPlan(xq.scales[0], outOf(n.inputs[1]).scales[0], out.scales[0], act, formats.spec.rounding) })
    } else {
      nodes.push({ out: xq })
    }
  }
  return { graph, formats, input, nodes }
}

/**
 * The float starting weights must be finite: a NaN would calibrate to a scale of 1 and quantize to garbage, and
 * pretraining with a large pretrain.lr can diverge. Said here, before anything is quantized.
 */
function finiteParams(graph: GraphNode[], params: FloatParams): void {
  for (const n of graph) {
    for (const [what, a] of [['weight', params.w[n.index]], ['bias', params.b[n.index]]] as const) {
      const j = a ? a.findIndex((v) => !Number.isFinite(v)) : -1
      if (j >= 0) throw new RangeError(`layer ${n.index} (${n.kind}): starting ${what} ${j} is ${a![j]} (if the model was pretrained, pretraining diverged: lower pretrain.lr)`)
    }
  }
}

/** Dequantized copy of the model's current weights and biases (for inspection and float comparison). */
export function dequantizedParams(m: QuantizedModel): FloatParams {
  const w: (Float64Array | undefined)[] = []
  const b: (Float64Array | undefined)[] = []
  m.graph.forEach((n, i) => {
    const p = m.nodes[i]
    if (!p.w) { w.push(undefined); b.push(undefined); return }
    const s = p.w.quant.scales
    const inner = n.kind === 'depthwise' ? 1 : shapeSize(n.weightShape!.slice(1))
    const channels = n.outShape[n.outShape.length - 1]
    const chan = (k: number) => (s.length === 1 ? 0 : n.kind === 'depthwise' ? k % channels : Math.floor(k / inner))
    w.push(Float64Array.from(p.w.data, (v, k) => v * s[chan(k)]))
    const sx = (n.inputs[0] < 0 ? m.input : m.nodes[n.inputs[0]].out).scales[0]
    b.push(p.b ? Float64Array.from(p.b, (v, c) => v * sx * s[s.length === 1 ? 0 : c]) : undefined)
  })
  return { w, b }
}
