/**
 * Classification loss: softmax cross-entropy, computed on the host in float64 from the dequantized
 * integer logits, with the deterministic exp/log of core/det-math.
 *
 * Why on the host and in float: the loss is one scalar per batch consumed by the training controller
 * (zeroth-order methods need only ℓ+ − ℓ−, and backprop's seed gradient softmax − onehot is quantized
 * again before it enters the integer backward pass), and accelerators that train on-device run it on
 * their companion core (ElasticZO-INT8 shows an integer alternative; papers.md §1.5). The logits
 * themselves, and argmax for accuracy, are integer results of the engine.
 */
import { detExp, detLog } from '../core/det-math'
import type { QTensor } from '../core/tensor'
import type { Work } from '../core/work'
import { expectPerTensor, expectRank } from './checks'

export interface LossResult {
  /** mean cross-entropy over the batch, in nats */
  loss: number
  /** number of samples whose integer argmax equals the label */
  correct: number
}

/**
 * @param logits [N, classes] integer logits
 * @param labels class index per sample
 * @param gradOut optional [N, classes] buffer receiving d(mean loss)/d(real logit) = (softmax − onehot)/N
 */
export function softmaxCrossEntropy(logits: QTensor, labels: ArrayLike<number>, work: Work, gradOut?: Float64Array): LossResult {
  expectRank('loss logits', logits.shape, 2)
  expectPerTensor('loss logits', logits.quant.zeroPoints)
  const [N, K] = logits.shape
  if (labels.length !== N) throw new RangeError(`loss: ${labels.length} labels for a batch of ${N}`)
  const s = logits.quant.scales[0]
  const z = logits.quant.zeroPoints[0]
  const q = logits.data
  let total = 0
  let correct = 0
  for (let n = 0; n < N; n++) {
    const base = n * K
    const label = labels[n]
    if (!Number.isInteger(label) || label < 0 || label >= K) throw new RangeError(`loss: label ${label} of sample ${n} is not a class index in [0, ${K})`)
    // integer argmax (first maximum wins), and the max for a stable log-sum-exp
    let arg = 0
    for (let k = 1; k < K; k++) if (q[base + k] > q[base + arg]) arg = k
    if (arg === label) correct++
    const maxReal = s * (q[base + arg] - z)
    let sum = 0
    for (let k = 0; k < K; k++) sum += detExp(s * (q[base + k] - z) - maxReal)
    const logSum = detLog(sum)
    total += logSum - (s * (q[base + label] - z) - maxReal)
    if (gradOut) {
      for (let k = 0; k < K; k++) {
        const p = detExp(s * (q[base + k] - z) - maxReal - logSum)
        gradOut[base + k] = (p - (k === label ? 1 : 0)) / N
      }
    }
  }
  work.elementOps += N * K * (gradOut ? 4 : 2)
  return { loss: total / N, correct }
}
