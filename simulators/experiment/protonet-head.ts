/**
 * ProtoNet initialisation of the classifier head from few-shot support embeddings.
 *
 * A prototypical network classifies an embedding x by the nearest class mean μ_c in squared Euclidean
 * distance. Since −‖x − μ_c‖² = 2μ_c·x − ‖μ_c‖² − ‖x‖², and ‖x‖² is the same for every class, the
 * nearest-centroid rule is exactly a linear layer with W_c = 2μ_c and b_c = −‖μ_c‖² (Snell, Swersky &
 * Zemel, "Prototypical Networks for Few-shot Learning", NeurIPS 2017, §2.3). The zeroth-order
 * fine-tuning paper this studio follows starts its few-shot runs from such a head.
 *
 * The embedding is the input of the model's last layer, which must therefore be a dense layer with a
 * bias and no activation. Classes absent from the support set (held-out-class tasks use a subset)
 * get zero weights and a bias low enough that they never win for any embedding no longer than the
 * longest support embedding (bound derived in `absentBias`).
 */
import { batch, imageSize, type Dataset } from '../data/dataset'
import type { GraphNode } from '../model/graph'
import { FloatNetwork, type FloatParams } from '../training/float/float-network'

/** Why the model cannot take a ProtoNet head, or undefined if it can. */
export function protonetHeadProblem(graph: GraphNode[]): string | undefined {
  const head = graph[graph.length - 1]
  if (head.kind !== 'dense') return `the model's last layer must be dense, got ${head.kind}`
  if (!head.hasBias) return "the model's last dense layer needs a bias (b_c = −‖μ_c‖²)"
  if (head.activation !== 'none') return `the model's last dense layer must have no activation, got ${head.activation}`
  return undefined
}

/** Embeddings (inputs of the last layer) of every image of a dataset, [count, D]. */
export function headEmbeddings(graph: GraphNode[], params: FloatParams, data: Dataset, batchSize = 64): Float64Array {
  const head = graph[graph.length - 1]
  const D = head.weightShape![1]
  const net = new FloatNetwork(graph, params, batchSize)
  const size = imageSize(data)
  const images = new Float32Array(batchSize * size)
  const out = new Float64Array(data.count * D)
  for (let s = 0; s < data.count; s += batchSize) {
    const n = Math.min(batchSize, data.count - s)
    batch(data, Int32Array.from({ length: n }, (_, i) => s + i), images)
    net.forward(images.subarray(0, n * size), n)
    const src = head.inputs[0] < 0 ? images : net.acts[head.inputs[0]]
    out.set(src.subarray(0, n * D), s * D)
  }
  return out
}

/**
 * Absent classes: logit_c = 2μ_c·x − ‖μ_c‖² ≥ −2‖μ_c‖·R + b_c ≥ min b − 2·M·R for ‖x‖ ≤ R (Cauchy–Schwarz),
 * with M the longest prototype; a constant bias one below that never exceeds a present class's logit.
 */
function absentBias(minBias: number, maxProtoNorm: number, maxEmbeddingNorm: number): number {
  return minBias - 2 * maxProtoNorm * maxEmbeddingNorm - 1
}

/** New parameters: the given ones with the last layer replaced by the ProtoNet head of the support set. */
export function protonetHead(graph: GraphNode[], params: FloatParams, support: Dataset): FloatParams {
  const problem = protonetHeadProblem(graph)
  if (problem) throw new Error(`head: "protonet" is not possible: ${problem}`)
  const last = graph.length - 1
  const [K, D] = graph[last].weightShape!
  const emb = headEmbeddings(graph, params, support)
  const sums = new Float64Array(K * D)
  const counts = new Float64Array(K)
  let maxNorm = 0
  for (let i = 0; i < support.count; i++) {
    const c = support.labels[i]
    if (c >= K) throw new RangeError(`support label ${c} is outside the head's ${K} classes`)
    counts[c]++
    let sq = 0
    for (let j = 0; j < D; j++) { const v = emb[i * D + j]; sums[c * D + j] += v; sq += v * v }
    maxNorm = Math.max(maxNorm, Math.sqrt(sq))
  }
  const w = new Float64Array(K * D)
  const b = new Float64Array(K)
  let minBias = Infinity, maxProto = 0
  for (let c = 0; c < K; c++) {
    if (counts[c] === 0) continue
    let sq = 0
    for (let j = 0; j < D; j++) { const mu = sums[c * D + j] / counts[c]; w[c * D + j] = 2 * mu; sq += mu * mu }
    b[c] = -sq
    minBias = Math.min(minBias, b[c]); maxProto = Math.max(maxProto, Math.sqrt(sq))
  }
  if (minBias === Infinity) throw new RangeError('the support set is empty: no class prototypes')
  for (let c = 0; c < K; c++) if (counts[c] === 0) b[c] = absentBias(minBias, maxProto, maxNorm)
  const out: FloatParams = { w: params.w.slice(), b: params.b.slice() }
  out.w[last] = w
  out.b[last] = b
  return out
}
