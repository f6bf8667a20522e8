/**
 * The kernel interface. Everything above the kernels (layers, training algorithms, cost models) calls
 * kernels through a `KernelBackend`, so a WebAssembly SIMD backend can replace the TypeScript one later;
 * a replacement must be bit-identical, which the same test suite checks (run it per registered backend).
 */
import type { Work } from '../core/work'
import type { QTensor } from '../core/tensor'
import type { DenseArgs } from './dense'
import type { Conv2dArgs } from './conv2d'
import type { DepthwiseConv2dArgs } from './depthwise-conv2d'
import type { AvgPoolArgs, PoolArgs } from './pool2d'
import type { Activation } from './activation'
import type { AddArgs } from './add'
import type { RequantizeArgs } from './requantize'
import type { LossResult } from './loss'

export interface KernelBackend {
  readonly id: string
  readonly label: string
  dense(args: DenseArgs, work: Work): void
  conv2d(args: Conv2dArgs, work: Work): void
  depthwiseConv2d(args: DepthwiseConv2dArgs, work: Work): void
  maxPool2d(args: PoolArgs, work: Work): void
  avgPool2d(args: AvgPoolArgs, work: Work): void
  activate(kind: Activation, x: QTensor, out: QTensor, work: Work): void
  addRescaled(args: AddArgs, work: Work): void
  requantize(args: RequantizeArgs, work: Work): void
  flatten(x: QTensor): QTensor
  softmaxCrossEntropy(logits: QTensor, labels: ArrayLike<number>, work: Work, gradOut?: Float64Array): LossResult
}
