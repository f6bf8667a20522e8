/**
 * Sparse updates (Lin et al., "On-Device Training Under 256KB Memory", NeurIPS 2022, §3.3; the scheme
 * format of the public tiny-training repository, algorithm/core/utils/partial_backward.py):
 * - the last `biasLayers` layers with weights update their biases (a bias gradient needs only dY, no
 *   saved input activation);
 * - the layers listed in `weights` also update a share of their weights: the `ratio` of the channels
 *   on `axis`, at least one. TTE slices input channels (its default here): then only those channels
 *   of the layer's input activation need saving. Slicing output channels saves weight-gradient and
 *   weight-copy memory but keeps the whole input;
 * - which channels: TTE's "magnitude+" rule — the largest L2 norms of the weight slice of each channel
 *   at the start of training (ties to the lower index), fixed for the run.
 * Layer indices count the model's layers with weights (conv, depthwise, dense) from 0 in execution
 * order, as TTE's `manual_weight_idx` counts conv ops.
 */
import { shapeSize, type GraphNode } from '../../model/graph'

export interface SparseWeightUpdate {
  /** index among the layers with weights, execution order, from 0 */
  layer: number
  /** share of the channels on the scope's axis whose weights update, 0 < ratio ≤ 1 */
  ratio: number
}

export interface SparseScope {
  kind: 'sparse'
  /** the last this many layers with weights update their biases */
  biasLayers: number
  weights: SparseWeightUpdate[]
  /** which channels `ratio` selects: 'input' (TTE's sub-operator slicing, default) or 'output' */
  axis?: 'input' | 'output'
}

/** The trained part of one layer's weights: the channels on `axis`, ascending. */
export interface WeightSlice {
  axis: 'input' | 'output'
  channels: Int32Array
  /** channels on that axis in the layer */
  of: number
}

/** Channels on the axis of a layer with weights (depthwise: its channels, either axis). */
export function axisChannels(n: GraphNode, axis: 'input' | 'output'): number {
  if (n.kind === 'depthwise') return n.inShape[n.inShape.length - 1]
  return axis === 'input' ? n.weightShape![n.weightShape!.length - 1] : n.weightShape![0]
}

/** TTE's count of kept channels: int(channels · ratio). */
export function keptCount(channels: number, ratio: number): number {
  return Math.floor(channels * ratio + 1e-9)
}

/** Channel on `axis` of weight element j (layouts of model/graph.ts: dense [M,K], conv [CO,KH,KW,C], depthwise [KH,KW,C·mult]). */
export function channelOf(n: GraphNode, axis: 'input' | 'output'): (j: number) => number {
  const ws = n.weightShape!
  if (n.kind === 'depthwise') {
    const oc = ws[2], mult = oc / n.inShape[n.inShape.length - 1]
    return (j) => Math.floor((j % oc) / mult)
  }
  const inner = shapeSize(ws.slice(1))
  const C = ws[ws.length - 1]
  return axis === 'input' ? (j) => j % C : (j) => Math.floor(j / inner)
}

/** The `count` channels whose weight slices have the largest L2 norm (TTE's "magnitude+"), ascending. */
export function selectByMagnitude(n: GraphNode, w: ArrayLike<number>, axis: 'input' | 'output', count: number): WeightSlice {
  const of = axisChannels(n, axis)
  const chan = channelOf(n, axis)
  const norm2 = new Float64Array(of)
  for (let j = 0; j < w.length; j++) norm2[chan(j)] += w[j] * w[j]
  const order = Array.from({ length: of }, (_, c) => c).sort((a, b) => norm2[b] - norm2[a] || a - b)
  return { axis, of, channels: Int32Array.from(order.slice(0, count).sort((a, b) => a - b)) }
}

/** Weight element indices of a slice, ascending: where each trained gradient entry lands. */
export function sliceIndices(n: GraphNode, weightCount: number, s: WeightSlice): Int32Array {
  const chan = channelOf(n, s.axis)
  const kept = new Uint8Array(s.of)
  for (const c of s.channels) kept[c] = 1
  const out: number[] = []
  for (let j = 0; j < weightCount; j++) if (kept[chan(j)]) out.push(j)
  return Int32Array.from(out)
}

/**
 * What is wrong with a sparse scope on a model whose layers with weights are `weighted` (graph nodes,
 * execution order), as [field, reason] pairs relative to the scope; empty when it is valid.
 */
export function sparseScopeProblems(scope: SparseScope, weighted: readonly GraphNode[]): [string, string][] {
  const out: [string, string][] = []
  const L = weighted.length
  if (scope.biasLayers > L) out.push(['biasLayers', `is ${scope.biasLayers}; the model has ${L} layers with weights`])
  const firstBias = L - Math.min(scope.biasLayers, L)
  const seen = new Map<number, number>()
  scope.weights.forEach((u, k) => {
    const at = `weights[${k}]`
    if (u.layer >= L) { out.push([`${at}.layer`, `is ${u.layer}; the model's layers with weights are 0–${L - 1}`]); return }
    if (seen.has(u.layer)) out.push([`${at}.layer`, `repeats layer ${u.layer} (weights[${seen.get(u.layer)}])`])
    seen.set(u.layer, k)
    if (u.layer < firstBias) out.push([`${at}.layer`, `is ${u.layer}, before the bias-updated layers ${firstBias}–${L - 1}: a layer whose weights update also updates its bias (TTE's rule), raise biasLayers to at least ${L - u.layer}`])
    const n = weighted[u.layer]
    const c = axisChannels(n, scope.axis ?? 'input')
    if (keptCount(c, u.ratio) < 1) out.push([`${at}.ratio`, `${u.ratio} of layer ${u.layer}'s ${c} ${scope.axis ?? 'input'} channels keeps none: at least ${1 / c}`])
  })
  return out
}
