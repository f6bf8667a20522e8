/**
 * The live-buffer plan of one inference forward pass, declared node by node with a hook in between —
 * for algorithms that do their own work while a node's input and output are live (forward-AD
 * tangents, tpSGD's local updates).
 *
 * Why a replay: QNetwork.forward declares its buffers as it computes, but runs all nodes in one call.
 * These algorithms compute the integer forward first (without a tracker), then walk the graph again,
 * declaring exactly the buffers QNetwork.forward would (`act:*` scratch, freed after their last
 * consumer, flatten as a view) plus their own, interleaved as the device would run them. The numbers
 * are the same either way: the forward's outputs do not depend on the extra work (a tpSGD update of
 * layer l changes W_l only after h_l is computed, and nothing downstream reads W_l).
 */
import { shapeSize, type GraphNode } from '../../model/graph'
import type { MemoryTracker } from './memory'
import type { MemoryCategory } from '../../core/memory-categories'
import type { QNetwork } from './qnetwork'

export interface ForwardPlan {
  /** node n's own work; runs after n's output (and companion) is declared, before its inputs die */
  node?(n: GraphNode): void
  /** keep node i's inputs past their last use, as saved activations `saved:<k>` (freed by the caller) */
  keepInput?(i: number): boolean
  /**
   * A buffer that lives beside an activation (forward-AD's tangent): declared with it, freed with it.
   * `has(i)` says whether node i's output (i = −1: the network input) has one.
   */
  companion?: { prefix: string; category: MemoryCategory; bits: number; has(i: number): boolean }
}

export function declareForward(net: QNetwork, B: number, tracker: MemoryTracker, plan: ForwardPlan): void {
  const g = net.model.graph
  const inShape = g[0].inShape
  const c = plan.companion
  const key = (i: number) => (i < 0 ? 'in' : net.storageOf(i))
  const alloc = (i: number, shape: readonly number[]) => {
    tracker.alloc(`act:${key(i)}`, 'scratch', net.actBytes(shape, B))
    if (c && c.has(i)) tracker.alloc(`${c.prefix}:${key(i)}`, c.category, (B * shapeSize(shape) * c.bits) / 8)
  }
  const free = (i: number) => {
    tracker.free(`act:${key(i)}`)
    if (c) tracker.free(`${c.prefix}:${key(i)}`)
  }
  alloc(-1, inShape)
  for (const n of g) {
    if (n.kind !== 'flatten') alloc(n.index, n.outShape)
    plan.node?.(n)
    for (const i of n.inputs) {
      const shape = i < 0 ? inShape : g[i].outShape
      if (plan.keepInput?.(n.index)) {
        free(i)
        tracker.alloc(`saved:${i}`, 'savedActivations', net.actBytes(shape, B))
      } else if ((i < 0 ? net.inputLastUse : net.lastUse[i]) === n.index) free(i)
    }
    // a flatten output is its input's buffer: keep that buffer alive for the flatten's consumers
    if (n.kind === 'flatten' && net.lastUse[n.index] !== -1) alloc(n.index, n.outShape)
  }
  free(g.length - 1)
}
