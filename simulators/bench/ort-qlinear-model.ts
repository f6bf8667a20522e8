/**
 * A quantized engine model (conv2d / maxPool / flatten / dense, int8 weights and activations, as cnn-mnist
 * at W8A8) written as an ONNX QLinear model, the way a deployed int8 model is run by onnxruntime:
 *   conv2d  → QLinearConv (int8 × int8 → int8, per-channel w_scale, int32 bias at scale s_x·s_w)
 *   maxPool → MaxPool (opset 12 accepts int8)
 *   flatten → Reshape to [B, K, 1, 1] (NCHW order; the next dense layer's weight columns are permuted to match)
 *   dense   → QLinearConv with a 1×1 kernel (QLinearMatMul has no bias input)
 * A fused ReLU needs no node: its output's calibrated range starts at 0, so its zero point is the format's
 * minimum and QLinearConv's saturation is the ReLU (the builder refuses a model where that does not hold).
 * Weights, biases, scales and zero points are initializers (constants), as in a deployed model.
 * ONNX operator definitions: https://onnx.ai/onnx/operators/ (QLinearConv-10, MaxPool-12, Reshape-13).
 */
import { DataType, encodeModel, rawBytes, type AttributeInit, type NodeProtoInit, type TensorProtoInit } from '../testing/onnx/onnx-proto'
import { minValue } from '../core/int-format'
import { shapeSize } from '../model/graph'
import type { QuantizedModel } from '../training/network/quantize-model'

const OPSET = 13

function toOIHW(w: ArrayLike<number>, [O, KH, KW, I]: readonly number[]): Int8Array {
  const out = new Int8Array(w.length)
  for (let o = 0; o < O; o++) for (let h = 0; h < KH; h++) for (let x = 0; x < KW; x++) for (let i = 0; i < I; i++) out[((o * I + i) * KH + h) * KW + x] = w[((o * KH + h) * KW + x) * I + i]
  return out
}

/** Dense weights [M, K] with K in the engine's HWC flatten order → [M, K] with K in NCHW's CHW order. */
function toChwColumns(w: ArrayLike<number>, M: number, [H, W, C]: readonly number[]): Int8Array {
  const out = new Int8Array(w.length), K = H * W * C
  for (let m = 0; m < M; m++) for (let h = 0; h < H; h++) for (let x = 0; x < W; x++) for (let c = 0; c < C; c++) out[m * K + (c * H + h) * W + x] = w[m * K + (h * W + x) * C + c]
  return out
}

/** The ONNX model bytes, its input name and shape [B, C, H, W], and its output name (int8 [B, classes, 1, 1]). */
export function qlinearOnnxModel(q: QuantizedModel, batch: number): { bytes: Uint8Array; input: string; inputShape: number[]; output: string } {
  if (q.formats.weight.bits !== 8 || q.formats.activation.bits !== 8) throw new RangeError(`formats: the ONNX QLinear model needs 8-bit weights and activations, got W${q.formats.weight.bits}A${q.formats.activation.bits}`)
  const init: TensorProtoInit[] = []
  const nodes: NodeProtoInit[] = []
  const constant = (name: string, dataType: typeof DataType[keyof typeof DataType], dims: number[], values: ArrayLike<number>) => { init.push({ name, dataType, dims, rawData: rawBytes(dataType, values) }); return name }
  const quantOf = (i: number) => (i < 0 ? q.input : q.nodes[i].out)
  const scaleZp = (prefix: string, i: number) => {
    const p = quantOf(i)
    return [constant(`${prefix}_scale`, DataType.FLOAT, [], [p.scales[0]]), constant(`${prefix}_zp`, DataType.INT8, [], [p.zeroPoints[0]])]
  }
  const tensorName = (i: number) => (i < 0 ? 'input' : `t${i}`)
  // the NHWC shape a flatten consumed, so the dense layer after it can permute its weight columns
  let flattened: number[] | undefined
  const act = q.formats.activation
  const [H0, W0, C0] = q.graph[0].inShape
  for (const n of q.graph) {
    const p = q.nodes[n.index]
    const x = tensorName(n.inputs[0]), y = tensorName(n.index)
    if (n.activation !== 'none' && !(n.activation === 'relu' && p.out.zeroPoints[0] === minValue(act))) {
      throw new RangeError(`${n.path}: activation ${n.activation} with output zero point ${p.out.zeroPoints[0]} is not the saturation of a QLinear op`)
    }
    if (n.kind === 'conv2d' || n.kind === 'dense') {
      const ws = n.weightShape!
      const O = ws[0]
      const wData = n.kind === 'conv2d' ? toOIHW(p.w!.data, ws) : flattened ? toChwColumns(p.w!.data, O, flattened) : Int8Array.from(p.w!.data)
      const wDims = n.kind === 'conv2d' ? [O, ws[3], ws[1], ws[2]] : [O, ws[1], 1, 1]
      const scales = p.w!.quant.scales
      const wIn = [
        constant(`w${n.index}`, DataType.INT8, wDims, wData),
        constant(`w${n.index}_scale`, DataType.FLOAT, scales.length === 1 ? [] : [O], scales),
        constant(`w${n.index}_zp`, DataType.INT8, scales.length === 1 ? [] : [O], new Int8Array(scales.length)),
      ]
      const bias = p.b ? [constant(`b${n.index}`, DataType.INT32, [O], p.b)] : []
      const g = n.window
      const attribute: AttributeInit[] = g
        ? [{ name: 'kernel_shape', type: 'ints', ints: [g.kh, g.kw] }, { name: 'strides', type: 'ints', ints: [g.sh, g.sw] }, { name: 'pads', type: 'ints', ints: [g.pt, g.pl, g.pb, g.pr] }, { name: 'dilations', type: 'ints', ints: [g.dh, g.dw] }]
        : [{ name: 'kernel_shape', type: 'ints', ints: [1, 1] }]
      nodes.push({ opType: 'QLinearConv', name: `n${n.index}`, input: [x, ...scaleZp(`x${n.index}`, n.inputs[0]), ...wIn, ...scaleZp(`y${n.index}`, n.index), ...bias], output: [y], attribute })
      flattened = undefined
    } else if (n.kind === 'maxPool') {
      const g = n.window!
      nodes.push({ opType: 'MaxPool', name: `n${n.index}`, input: [x], output: [y], attribute: [{ name: 'kernel_shape', type: 'ints', ints: [g.kh, g.kw] }, { name: 'strides', type: 'ints', ints: [g.sh, g.sw] }, { name: 'pads', type: 'ints', ints: [g.pt, g.pl, g.pb, g.pr] }] })
    } else if (n.kind === 'flatten') {
      const K = shapeSize(n.inShape)
      nodes.push({ opType: 'Reshape', name: `n${n.index}`, input: [x, constant(`shape${n.index}`, DataType.INT64, [4], [batch, K, 1, 1])], output: [y] })
      flattened = n.inShape.length === 3 ? n.inShape : undefined
    } else {
      throw new RangeError(`${n.path}: ${n.kind} layers are not written as ONNX QLinear nodes here (conv2d, maxPool, flatten and dense are)`)
    }
  }
  const last = q.graph[q.graph.length - 1]
  if (last.kind !== 'dense') throw new RangeError(`${last.path}: the last layer must be dense (the output is read as [B, classes])`)
  const inputShape = [batch, C0 ?? 1, H0, W0 ?? 1]
  const output = tensorName(last.index)
  const bytes = encodeModel({
    irVersion: 8,
    producerName: 'lastmile-bench',
    opsetImport: [{ domain: '', version: OPSET }],
    graph: { name: 'qlinear', node: nodes, initializer: init, input: [{ name: 'input', elemType: DataType.INT8, shape: inputShape }], output: [{ name: output, elemType: DataType.INT8 }] },
  })
  return { bytes, input: 'input', inputShape, output }
}
