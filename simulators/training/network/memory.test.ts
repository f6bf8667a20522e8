import { describe, expect, it } from 'vitest'
import { MemoryTracker } from './memory'
import { MEMORY_CATEGORIES } from '../../core/memory-categories'
import { buildGraph } from '../../model/graph'
import { initParams } from '../float/float-network'
import { quantizeModel } from './quantize-model'
import { QNetwork } from './qnetwork'
import { resolveFormats, DEFAULT_FORMATS } from './formats'
import { resolveScope } from './trainable'
import { backprop, backpropDefaults } from '../algorithms/backprop'
import { tinyMlp, quadrantTask } from '../../testing/training-fixtures'

describe('MemoryTracker: each category\'s own maximum beside the breakdown at the peak', () => {
  it('matches a hand-computed schedule of a two-layer backprop step; three categories peak away from the total', () => {
    // A 4→3→2 dense network at batch 2, int8 weights and activations, int32 gradients and accumulators.
    // Hand schedule (bytes): weights 4·3+3 + 3·2+2 = 23 stay live; forward keeps the input (2·4 = 8) and
    // hidden (2·3 = 6) as saved activations, the logits (2·2 = 4) as scratch; backward makes dL/dlogits
    // (2·2·4 = 16), frees the logits, makes layer 2's weight gradient (8·4 = 32), applies and frees it,
    // then dL/dhidden (2·3·4 = 24) and layer 1's weight gradient (15·4 = 60).
    const t = new MemoryTracker()
    t.alloc('w1', 'weights', 15); t.alloc('w2', 'weights', 8)
    t.resetPeak()
    t.alloc('saved:in', 'savedActivations', 8)
    t.alloc('saved:h', 'savedActivations', 6)
    t.alloc('act:logits', 'scratch', 4) // total 41
    t.alloc('grad:logits', 'activationGradients', 16) // 57
    t.free('act:logits') // 53
    t.alloc('wgrad:2', 'weightGradients', 32) // 85
    t.free('wgrad:2') // 53
    t.alloc('grad:h', 'activationGradients', 24) // 77
    t.free('grad:logits'); t.free('saved:h') // 55
    t.alloc('wgrad:1', 'weightGradients', 60) // 23 + 8 + 24 + 60 = 115: the peak
    t.free('wgrad:1'); t.free('grad:h'); t.free('saved:in')
    expect(t.totalNow).toBe(23)
    expect(t.peakTotal).toBe(115)
    expect(t.peak).toEqual({ weights: 23, savedActivations: 8, activationGradients: 24, weightGradients: 60, optimizerState: 0, perturbationState: 0, scratch: 0 })
    // own maxima: saved 8 + 6 = 14 (before backward), activation gradients 16 + 24 = 40 (briefly both), scratch 4
    expect(t.maxByCategory).toEqual({ weights: 23, savedActivations: 14, activationGradients: 40, weightGradients: 60, optimizerState: 0, perturbationState: 0, scratch: 4 })
    expect(MEMORY_CATEGORIES.filter((c) => t.maxByCategory[c] > t.peak[c])).toEqual(['savedActivations', 'activationGradients', 'scratch'])
  })

  it('a new window starts from what is live, not from the previous step\'s maxima', () => {
    const t = new MemoryTracker()
    t.alloc('w', 'weights', 10)
    t.alloc('s', 'scratch', 100)
    t.free('s')
    t.resetPeak()
    t.alloc('s', 'scratch', 7)
    expect(t.maxByCategory.scratch).toBe(7)
    expect(t.maxByCategory.weights).toBe(10)
  })

  it('real backprop on a tiny MLP: the weight gradient\'s own max is the larger layer\'s at the accumulator width', () => {
    const B = 4
    const graph = buildGraph(tinyMlp)
    const data = quadrantTask(16, 4)
    const formats = resolveFormats(DEFAULT_FORMATS)
    const net = new QNetwork(quantizeModel(graph, initParams(graph, 5), formats, data.images, 16), B)
    const tracker = new MemoryTracker()
    const tr = backprop.create({ net, trainable: resolveScope(net, { kind: 'all' }), seed: 1, tracker, maxBatch: B }, backpropDefaults)
    const r = tr.step(data.images.subarray(0, B * 64), data.labels.subarray(0, B), B, 0)
    // dense 64→24 has 64·24 + 24 = 1560 parameters, dense 24→4 has 100; each gradient is applied and freed
    // before the next is made, so the category's maximum is the larger one, 1560 accumulators
    expect(r.memory.maxByCategory.weightGradients).toBe((1560 * formats.accumulator.bits) / 8)
    for (const c of MEMORY_CATEGORIES) expect(r.memory.maxByCategory[c]).toBeGreaterThanOrEqual(r.memory.peak[c])
    expect(MEMORY_CATEGORIES.some((c) => r.memory.maxByCategory[c] > r.memory.peak[c])).toBe(true)
  })
})
