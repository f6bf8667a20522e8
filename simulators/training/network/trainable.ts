/**
 * Which of a network's parameters train. A property of the network the algorithms drive, not of the
 * algorithm contract: the updater (update.ts) and every algorithm resolve a scope the same way.
 */
import { hasWeights } from '../../model/graph'
import type { QNetwork } from './qnetwork'
import { packedBytes } from '../../core/int-format'
import { keptCount, axisChannels, selectByMagnitude, sparseScopeProblems, type SparseScope, type WeightSlice } from './sparse-update'

/**
 * Which parameters train: everything, the last k layers with weights, only biases (TinyTL-style), or
 * TTE's sparse update (sparse-update.ts: biases of the last layers, a share of some layers' weights).
 */
export type TrainableScope = { kind: 'all' } | { kind: 'last'; layers: number } | { kind: 'biases' } | SparseScope

export interface Trainable {
  /** node indices whose parameters train, in execution order */
  nodes: number[]
  weights: boolean
  biases: boolean
  /** earliest node the backward pass must reach */
  first: number
  /**
   * sparse scopes only: the nodes whose weights train and which channels of them; a trained node
   * missing here trains its bias only. Absent: every node in `nodes` trains all its weights if `weights`
   */
  slices?: Map<number, WeightSlice>
}

/** Whether node i's weights (some of them, for a sparse slice) train. */
export function trainsWeights(t: Trainable, i: number): boolean {
  if (!t.weights) return false
  return t.slices ? t.slices.has(i) : t.nodes.includes(i)
}

export function resolveScope(net: QNetwork, scope: TrainableScope): Trainable {
  const weightedNodes = net.model.graph.filter(hasWeights)
  const weighted = weightedNodes.map((n) => n.index)
  const first = (nodes: number[]) => (nodes.length ? nodes[0] : net.model.graph.length)
  if (scope.kind === 'sparse') {
    const problems = sparseScopeProblems(scope, weightedNodes)
    if (problems.length) throw new RangeError(problems.map(([f, m]) => `scope.${f} ${m}`).join('; '))
    const nodes = weighted.slice(weighted.length - scope.biasLayers)
    const axis = scope.axis ?? 'input'
    const slices = new Map<number, WeightSlice>()
    for (const u of scope.weights) {
      const n = weightedNodes[u.layer]
      slices.set(n.index, selectByMagnitude(n, net.model.nodes[n.index].w!.data, axis, keptCount(axisChannels(n, axis), u.ratio)))
    }
    return { nodes, weights: slices.size > 0, biases: true, first: first(nodes), slices }
  }
  let nodes = weighted
  if (scope.kind === 'last') {
    if (!Number.isInteger(scope.layers) || scope.layers < 1) throw new RangeError(`scope.layers must be a positive integer, got ${scope.layers}`)
    nodes = weighted.slice(-scope.layers)
  }
  return { nodes, weights: scope.kind !== 'biases', biases: true, first: first(nodes) }
}

/** Weight elements of node i that train (all of them, a slice, or none). */
export function trainedWeightCount(net: QNetwork, t: Trainable, i: number): number {
  if (!trainsWeights(t, i)) return 0
  const count = net.model.nodes[i].w!.data.length
  const s = t.slices?.get(i)
  return s ? (count / s.of) * s.channels.length : count
}

/**
 * Parameter bytes that do not train: whole frozen layers, and the frozen weights of bias-only or sliced
 * layers. On a device that keeps weights in flash these cost no SRAM; the trained ones need a writable
 * copy (TTE's rule). Weights at their packed width, biases as 32-bit.
 */
export function frozenParameterBytes(net: QNetwork, t: Trainable): number {
  const trained = new Set(t.nodes)
  let frozen = 0
  for (const n of net.model.graph) {
    const p = net.model.nodes[n.index]
    if (!p.w) continue
    const wb = packedBytes(p.w.format, p.w.data.length), bb = 4 * (p.b?.length ?? 0)
    frozen += !trained.has(n.index) ? wb + bb : wb - packedBytes(p.w.format, trainedWeightCount(net, t, n.index))
  }
  return frozen
}
