import { describe, expect, it } from 'vitest'
import { buildGraph } from '../model/graph'
import { initParams } from '../training/float/float-network'
import { quantizeModel } from '../training/network/quantize-model'
import { QNetwork } from '../training/network/qnetwork'
import { resolveFormats, DEFAULT_FORMATS } from '../training/network/formats'
import { softmaxCrossEntropy } from '../kernels/loss'
import { newWork } from '../core/work'
import { qtensor } from '../core/tensor'
import { tinyMlp, quadrantTask } from '../testing/training-fixtures'
import { codesAt, computeSlice, filterNormalisedDirection, realWeights } from './landscape'
import { networkLoss, networkTensors } from './landscape-qnetwork'

describe('landscape on the integer network', () => {
  const graph = buildGraph(tinyMlp)
  const data = quadrantTask(16, 5)
  const model = quantizeModel(graph, initParams(graph, 11), resolveFormats(DEFAULT_FORMATS), data.images, 16)
  const net = new QNetwork(model, 16)
  const nodes = graph.filter((n) => n.kind === 'dense').map((n) => n.index)

  it('each grid loss equals a separate network built with those weights stored (no overrides)', () => {
    const tensors = networkTensors(net, nodes)
    const d1 = filterNormalisedDirection(tensors, 3, 1)
    const d2 = filterNormalisedDirection(tensors, 3, 2)
    const grid = { aRange: [-1, 1] as [number, number], bRange: [-1, 1] as [number, number], aPoints: 3, bPoints: 3 }
    const s = computeSlice(tensors, d1, d2, grid, networkLoss(net, nodes, data.images, data.labels, 16))
    const w0 = realWeights(tensors)
    const codes = tensors.map((t) => new Int32Array(t.codes.length))
    for (let j = 0; j < 3; j++) for (let i = 0; i < 3; i++) {
      codesAt(tensors, w0, d1, d2, s.a[i], s.b[j], codes)
      const m2 = { ...model, nodes: model.nodes.map((p, k) => {
        const slot = nodes.indexOf(k)
        return slot < 0 ? p : { ...p, w: qtensor(p.w!.shape, p.w!.format, p.w!.quant, Int32Array.from(codes[slot])) }
      }) }
      const work = newWork()
      const expected = softmaxCrossEntropy(new QNetwork(m2, 16).forward(data.images, 16, work), data.labels, work).loss
      expect(s.loss[j][i]).toBe(expected)
    }
    // moving one filter-normalised unit changes the loss: the slice is not flat
    expect(new Set(s.loss.flat()).size).toBeGreaterThan(1)
  })

  it('rejects nodes without weights and bad batch sizes', () => {
    const flatten = graph.find((n) => n.kind === 'flatten')!.index
    expect(() => networkTensors(net, [flatten])).toThrow(/nodes: node .* has no weights/)
    expect(() => networkLoss(net, nodes, data.images, data.labels, 17)).toThrow(/evaluation batch/)
  })
})
