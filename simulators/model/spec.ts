/**
 * Model descriptions are data: versioned JSON, sequential graphs of the engine's layers plus residual
 * adds. A residual `add` sums the current tensor with the output of an earlier layer named by `from`
 * (its `id`), optionally passed through `shortcut` layers first (ResNet's 1×1 projection). Batch
 * normalisation does not appear: it is folded into the preceding conv/dense at inference, as TFLite
 * and the MLPerf Tiny deployments do.
 *
 * Layout conventions match the engine: input shapes are [H, W, C] for images and [features] for vectors.
 */
export const MODEL_SCHEMA_VERSION = 1

export type ActivationName = 'relu' | 'relu6' | 'none'
/** 'same' (TensorFlow's rule), 'valid', or explicit [top, left, bottom, right] */
export type PaddingSpec = 'same' | 'valid' | [number, number, number, number]

interface LayerBase {
  /** name other layers can refer to (residual `from`); unique within the model */
  id?: string
}

export interface DenseLayerSpec extends LayerBase {
  type: 'dense'
  units: number
  activation?: ActivationName
  /** default true */
  bias?: boolean
}

export interface Conv2dLayerSpec extends LayerBase {
  type: 'conv2d'
  filters: number
  kernel: [number, number]
  stride?: [number, number]
  padding?: PaddingSpec
  dilation?: [number, number]
  activation?: ActivationName
  bias?: boolean
}

export interface DepthwiseConv2dLayerSpec extends LayerBase {
  type: 'depthwiseConv2d'
  kernel: [number, number]
  /** channel multiplier, default 1 */
  multiplier?: number
  stride?: [number, number]
  padding?: PaddingSpec
  dilation?: [number, number]
  activation?: ActivationName
  bias?: boolean
}

export interface PoolLayerSpec extends LayerBase {
  type: 'maxPool2d' | 'avgPool2d'
  kernel: [number, number]
  /** default: the kernel size */
  stride?: [number, number]
  padding?: PaddingSpec
}

export interface GlobalAvgPoolLayerSpec extends LayerBase {
  type: 'globalAvgPool2d'
}

export interface FlattenLayerSpec extends LayerBase {
  type: 'flatten'
}

export interface ActivationLayerSpec extends LayerBase {
  type: 'relu' | 'relu6'
}

export interface AddLayerSpec extends LayerBase {
  type: 'add'
  /** id of the earlier layer whose output is added */
  from: string
  /** layers applied to that output before the add (e.g. a 1×1 strided conv projection) */
  shortcut?: LayerSpec[]
  activation?: ActivationName
}

export type LayerSpec =
  | DenseLayerSpec
  | Conv2dLayerSpec
  | DepthwiseConv2dLayerSpec
  | PoolLayerSpec
  | GlobalAvgPoolLayerSpec
  | FlattenLayerSpec
  | ActivationLayerSpec
  | AddLayerSpec

export type LayerType = LayerSpec['type']

export interface ModelSpec {
  schemaVersion: typeof MODEL_SCHEMA_VERSION
  /** short id, e.g. "mlp-mnist" */
  name: string
  description?: string
  /** where the topology comes from (paper, repository file) */
  source?: string
  task: 'classification' | 'reconstruction'
  input: { shape: number[] }
  layers: LayerSpec[]
}
