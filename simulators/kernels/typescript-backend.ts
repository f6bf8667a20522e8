/** The reference backend: plain TypeScript, exact, allocation-free in its loops. */
import type { KernelBackend } from './backend'
import { dense } from './dense'
import { conv2d } from './conv2d'
import { depthwiseConv2d } from './depthwise-conv2d'
import { avgPool2d, maxPool2d } from './pool2d'
import { activate } from './activation'
import { addRescaled } from './add'
import { requantize } from './requantize'
import { flatten } from './flatten'
import { softmaxCrossEntropy } from './loss'

export const typescriptBackend: KernelBackend = {
  id: 'typescript',
  label: 'TypeScript (exact, portable)',
  dense, conv2d, depthwiseConv2d, maxPool2d, avgPool2d, activate, addRescaled, requantize, flatten, softmaxCrossEntropy,
}
