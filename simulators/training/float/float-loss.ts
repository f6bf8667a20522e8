/**
 * Mean softmax cross-entropy on float logits with its gradient, using the deterministic exp/log so a
 * float run reproduces bit for bit in every runtime.
 */
import { detExp, detLog } from '../../core/det-math'

/** Returns the mean loss and the number of correct argmax predictions; writes d(mean loss)/d(logits) into grad. */
export function softmaxCrossEntropyFloat(logits: Float64Array, labels: ArrayLike<number>, B: number, K: number, grad?: Float64Array): { loss: number; correct: number } {
  let total = 0
  let correct = 0
  for (let n = 0; n < B; n++) {
    const o = n * K
    let arg = 0
    for (let k = 1; k < K; k++) if (logits[o + k] > logits[o + arg]) arg = k
    if (arg === labels[n]) correct++
    const mx = logits[o + arg]
    let z = 0
    for (let k = 0; k < K; k++) z += detExp(logits[o + k] - mx)
    const lse = detLog(z)
    total += lse - (logits[o + labels[n]] - mx)
    if (grad) for (let k = 0; k < K; k++) grad[o + k] = (detExp(logits[o + k] - mx - lse) - (k === labels[n] ? 1 : 0)) / B
  }
  return { loss: total / B, correct }
}
