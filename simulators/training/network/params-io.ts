/**
 * Saving and loading weights as JSON: float parameters (the pretrained source model) and the integer
 * weights of a quantized model after training (codes with their scales and zero points), with checks
 * that name the node and field when a file does not fit the model.
 */
import { hasWeights, shapeSize, type GraphNode } from '../../model/graph'
import type { FloatParams } from '../float/float-network'
import type { QuantizedModel } from './quantize-model'

export interface FloatParamsJson {
  w: (number[] | null)[]
  b: (number[] | null)[]
}

/** JSON numbers round-trip doubles exactly, so this is lossless. */
export function floatParamsToJson(p: FloatParams): FloatParamsJson {
  return { w: p.w.map((a) => (a ? Array.from(a) : null)), b: p.b.map((a) => (a ? Array.from(a) : null)) }
}

export function floatParamsFromJson(graph: GraphNode[], raw: FloatParamsJson): FloatParams {
  if (!raw || !Array.isArray(raw.w) || !Array.isArray(raw.b) || raw.w.length !== graph.length || raw.b.length !== graph.length) {
    throw new RangeError(`weights file: expected w and b lists of ${graph.length} entries (one per layer)`)
  }
  const w: (Float64Array | undefined)[] = []
  const b: (Float64Array | undefined)[] = []
  for (const n of graph) {
    const ww = raw.w[n.index], bb = raw.b[n.index]
    if (!hasWeights(n)) { w.push(undefined); b.push(undefined); continue }
    const want = shapeSize(n.weightShape!)
    if (!ww || ww.length !== want) throw new RangeError(`weights file: ${n.path} needs ${want} weights, got ${ww?.length ?? 0}`)
    w.push(Float64Array.from(ww))
    const channels = n.outShape[n.outShape.length - 1]
    if (n.hasBias && (!bb || bb.length !== channels)) throw new RangeError(`weights file: ${n.path} needs ${channels} biases, got ${bb?.length ?? 0}`)
    b.push(n.hasBias ? Float64Array.from(bb!) : undefined)
  }
  return { w, b }
}

export interface QuantizedWeightsJson {
  schemaVersion: 1
  formats: QuantizedModel['formats']['spec']
  nodes: { path: string; shape: number[]; scales: number[]; zeroPoints: number[]; codes: number[]; biasCodes: number[] | null }[]
}

export function quantizedWeightsToJson(m: QuantizedModel): QuantizedWeightsJson {
  return {
    schemaVersion: 1,
    formats: m.formats.spec,
    nodes: m.graph.flatMap((n) => {
      const p = m.nodes[n.index]
      if (!p.w) return []
      return [{ path: n.path, shape: [...p.w.shape], scales: Array.from(p.w.quant.scales), zeroPoints: Array.from(p.w.quant.zeroPoints), codes: Array.from(p.w.data), biasCodes: p.b ? Array.from(p.b) : null }]
    }),
  }
}

/** Writes saved codes into a model quantized with the same formats and scales (e.g. to resume a run). */
export function loadQuantizedWeights(m: QuantizedModel, raw: QuantizedWeightsJson): void {
  const weighted = m.graph.filter((n) => m.nodes[n.index].w)
  if (raw?.schemaVersion !== 1 || !Array.isArray(raw.nodes)) throw new RangeError('weights file: schemaVersion must be 1 with a nodes list')
  if (raw.nodes.length !== weighted.length) throw new RangeError(`weights file: ${raw.nodes.length} layers with weights, the model has ${weighted.length}`)
  weighted.forEach((n, k) => {
    const src = raw.nodes[k]
    const p = m.nodes[n.index]
    if (src.path !== n.path) throw new RangeError(`weights file: nodes[${k}] is ${src.path}, the model has ${n.path} there`)
    if (src.codes.length !== p.w!.data.length) throw new RangeError(`weights file: ${n.path}.codes has ${src.codes.length} values, expected ${p.w!.data.length}`)
    if (src.scales.length !== p.w!.quant.scales.length || src.scales.some((s, i) => s !== p.w!.quant.scales[i])) {
      throw new RangeError(`weights file: ${n.path}.scales differ from the model's (different formats or source weights)`)
    }
    p.w!.data.set(src.codes)
    if (p.b) {
      if (!src.biasCodes || src.biasCodes.length !== p.b.length) throw new RangeError(`weights file: ${n.path}.biasCodes must have ${p.b.length} values`)
      p.b.set(src.biasCodes)
    }
  })
}
