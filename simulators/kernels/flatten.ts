/** Flatten [N, H, W, C] to [N, H·W·C]. NHWC is contiguous, so this is a view: no data moves, no work. */
import { reshape, type QTensor } from '../core/tensor'
import { sizeOf } from '../core/storage'

export function flatten(x: QTensor): QTensor {
  return reshape(x, [x.shape[0], sizeOf(x.shape.slice(1))])
}
