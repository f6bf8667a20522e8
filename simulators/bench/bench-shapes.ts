/**
 * The MAC layer shapes issue 12 §2 benchmarks, each as a graph node of a one-layer model (so the issue's
 * fixed shapes and the built-in models' layers go through the same code): GEMM 64×784×128, 64×128×10 and
 * 256×256×256, a 3×3 convolution 16→32 channels at 14×14 batch 32, and the first two MAC layers of every
 * built-in model at batch 32 (that covers each 1-input-channel first convolution and, in the DS-CNN and
 * MobileNet models, the first depthwise layer).
 */
import { buildGraph, type GraphNode } from '../model/graph'
import { BUILTIN_MODEL_NAMES, getBuiltinModel } from '../model/builtin'
import { loadModelSpec } from '../model/validate'
import type { LayerSpec } from '../model/spec'

export interface BenchShape {
  label: string
  /** the MAC node (dense, conv2d or depthwise), engine layout */
  node: GraphNode
  batch: number
  /** 'issue' for the listed shapes, else the built-in model the layer comes from */
  source: string
}

const MAC_KINDS = new Set(['dense', 'conv2d', 'depthwise'])

/** The layer as the first node of a valid model (a classification model must end in logits: a head is appended and ignored). */
function oneLayer(input: number[], layer: LayerSpec): GraphNode {
  const head: LayerSpec[] = layer.type === 'dense' ? [] : [{ type: 'flatten' }, { type: 'dense', units: 2 }]
  const spec = loadModelSpec({ schemaVersion: 1, name: 'bench', description: 'one layer', source: 'issue 12 §2', task: 'classification', input: { shape: input }, layers: [layer, ...head] })
  return buildGraph(spec)[0]
}

function describe(n: GraphNode): string {
  const [h, w, c] = n.inShape
  if (n.kind === 'dense') return `dense ${n.inShape[0]}→${n.outShape[0]}`
  const g = n.window!
  const stride = g.sh > 1 || g.sw > 1 ? `/${g.sh}` : ''
  if (n.kind === 'depthwise') return `depthwise ${g.kh}×${g.kw}${stride} ${c}ch, ${h}×${w}`
  return `conv ${g.kh}×${g.kw}${stride} ${c}→${n.outShape[2]}, ${h}×${w}`
}

export function benchShapes(): BenchShape[] {
  const shapes: BenchShape[] = []
  for (const [N, K, M] of [[64, 784, 128], [64, 128, 10], [256, 256, 256]]) {
    shapes.push({ label: `GEMM ${N}×${K}×${M}`, node: oneLayer([K], { type: 'dense', units: M }), batch: N, source: 'issue' })
  }
  shapes.push({ label: 'conv 3×3 16→32, 14×14, batch 32', node: oneLayer([14, 14, 16], { type: 'conv2d', filters: 32, kernel: [3, 3], padding: 'same' }), batch: 32, source: 'issue' })
  for (const name of BUILTIN_MODEL_NAMES) {
    const macs = buildGraph(getBuiltinModel(name)).filter((n) => MAC_KINDS.has(n.kind)).slice(0, 2)
    for (const node of macs) shapes.push({ label: `${name} ${describe(node)}`, node, batch: 32, source: name })
  }
  return shapes
}
