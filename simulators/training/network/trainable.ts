/**
 * Which of a network's parameters train. A property of the network the algorithms drive, not of the
 * algorithm contract: the updater (update.ts) and every algorithm resolve a scope the same way.
 */
import { hasWeights } from '../../model/graph'
import type { QNetwork } from './qnetwork'

/** Which parameters train: everything, the last k layers with weights, or only biases (TinyTL-style). */
export type TrainableScope = { kind: 'all' } | { kind: 'last'; layers: number } | { kind: 'biases' }

export interface Trainable {
  /** node indices whose parameters train, in execution order */
  nodes: number[]
  weights: boolean
  biases: boolean
  /** earliest node the backward pass must reach */
  first: number
}

export function resolveScope(net: QNetwork, scope: TrainableScope): Trainable {
  const weighted = net.model.graph.filter(hasWeights).map((n) => n.index)
  let nodes = weighted
  if (scope.kind === 'last') {
    if (!Number.isInteger(scope.layers) || scope.layers < 1) throw new RangeError(`scope.layers must be a positive integer, got ${scope.layers}`)
    nodes = weighted.slice(-scope.layers)
  }
  return { nodes, weights: scope.kind !== 'biases', biases: true, first: nodes.length ? nodes[0] : net.model.graph.length }
}
