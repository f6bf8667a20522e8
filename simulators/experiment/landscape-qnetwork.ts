// Connects the model-agnostic landscape engine (landscape.ts) to the studio's integer network: the weight
// tensors of chosen nodes as LandscapeTensors, and the loss of a set of weight codes as the mean softmax
// cross-entropy of one integer forward pass over a fixed evaluation batch (biases stay at w0: Li et al. 2018
// leave biases out of the directions too).
import { channelStride } from '../core/quant'
import { maxValue, minValue } from '../core/int-format'
import { newWork } from '../core/work'
import { qtensor } from '../core/tensor'
import { softmaxCrossEntropy } from '../kernels/loss'
import type { QNetwork } from '../training/network/qnetwork'
import type { LandscapeTensor, LossOfCodes } from './landscape'

/** The weight tensors of `nodes` (indices into the graph), at the network's current (start) weights. */
export function networkTensors(net: QNetwork, nodes: number[]): LandscapeTensor[] {
  return nodes.map((i) => {
    const n = net.model.graph[i]
    const w = net.model.nodes[i]?.w
    if (!w) throw new RangeError(`nodes: node ${i} (${n?.path ?? 'missing'}) has no weights`)
    const perChannel = w.quant.scales.length > 1
    const inner = perChannel ? channelStride(w.shape, w.quant.axis).inner : w.data.length
    return { name: n.path, inner, codes: Float64Array.from(w.data), scales: Float64Array.from(w.quant.scales), zeroPoints: Float64Array.from(w.quant.zeroPoints), qmin: minValue(w.format), qmax: maxValue(w.format) }
  })
}

/**
 * Loss of weight codes for `nodes` on the fixed batch `images` [count, …input] with `labels`, in the run's
 * integer arithmetic (the network's own forward pass with the codes as parameter overrides).
 */
export function networkLoss(net: QNetwork, nodes: number[], images: Float32Array, labels: ArrayLike<number>, count: number): LossOfCodes {
  if (count < 1 || count > net.maxBatch) throw new RangeError(`evaluation batch: ${count} samples, the network takes 1 … ${net.maxBatch}`)
  const slot = new Map(nodes.map((n, k) => [n, k]))
  return (codes) => {
    const override = {
      weights: (i: number) => {
        const k = slot.get(i)
        if (k === undefined) return undefined
        const w = net.model.nodes[i].w!
        return qtensor(w.shape, w.format, w.quant, codes[k])
      },
      bias: () => undefined,
    }
    const work = newWork()
    return softmaxCrossEntropy(net.forward(images, count, work, undefined, undefined, override), labels, work).loss
  }
}
