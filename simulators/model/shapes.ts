/**
 * Shape inference: for every layer of a model description, its input and output shapes, parameter count
 * and multiply-accumulates per sample. Layout is the engine's: [H, W, C] for images (NHWC without the
 * batch), [features] for vectors. Padding defaults to 'valid' and pooling stride to the kernel size, as in
 * Keras, where the reference topologies come from.
 */
import { fieldPath, type FieldError } from '../core/schema'
import { ModelSpecError } from './errors'
import { resolveWindow, samePadding } from '../kernels/geometry'
import type { DepthwiseConv2dLayerSpec, LayerSpec, LayerType, ModelSpec, PaddingSpec } from './spec'

export interface LayerInfo {
  /** `layers[5]`, or `layers[5].shortcut[0]` for a layer on a residual's shortcut */
  path: string
  type: LayerType
  id?: string
  /** for an add: the main operand (the running tensor) */
  inputShape: number[]
  outputShape: number[]
  /** for an add: the other operand, i.e. the `from` tensor after its shortcut layers */
  addendShape?: number[]
  weightParams: number
  biasParams: number
  hasWeights: boolean
  /**
   * Multiply-accumulates per sample that the engine's kernels perform and report in Work: taps falling in
   * the padding are skipped, so a 'same' convolution does fewer than `nominalMacs`.
   */
  macs: number
  /** Multiply-accumulates counting every window tap, padding included: how published figures count. */
  nominalMacs: number
  /** resolved [top, left, bottom, right] padding of a windowed layer (conv, depthwise, pool) */
  padding?: [number, number, number, number]
}

export interface ShapeAnalysis {
  /** layers in execution order: a shortcut's layers come just before their add */
  layers: LayerInfo[]
  errors: FieldError[]
}

/**
 * Bounds on a model description, so that validating one takes bounded time and a valid one fits in
 * memory: a size field (units, filters, kernel, stride, dilation, padding, multiplier, an input
 * dimension) is at most MAX_DIMENSION; every tensor (the input and each layer's output, per sample)
 * holds at most MAX_ELEMENTS values and every layer at most MAX_ELEMENTS weights, so its MACs per
 * sample (outputs × weights per output) stay below 2^48, exact in a double; a model has at most
 * MAX_LAYERS layers in its main sequence (and as many in each shortcut). The largest built-in
 * (MLPerf Tiny's MobileNetV1 on 96×96×3 images, 30 layers) is far inside: 36,864 values in its largest
 * tensor, 65,536 weights in its largest layer.
 */
export const MAX_DIMENSION = 65_536
export const MAX_ELEMENTS = 2 ** 24
export const MAX_LAYERS = 1000

const product = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1)
const showShape = (s: readonly number[]): string => `[${s.join(', ')}]`

type Step = { info: LayerInfo } | { error: FieldError }

/**
 * Number of (output position, kernel tap) pairs along one axis whose input index o·s − padBefore + t·d
 * is inside [0, n): per tap t, the outputs o in [0, out) with padBefore − t·d ≤ o·s ≤ n − 1 + padBefore − t·d
 * are a range, counted in closed form. Costs k steps, not out × k: an input of 2^31 rows once took 44 s.
 */
export function tapsAlong(n: number, k: number, s: number, d: number, padBefore: number, out: number): number {
  let taps = 0
  for (let t = 0; t < k; t++) {
    const lo = Math.max(0, Math.ceil((padBefore - t * d) / s))
    const hi = Math.min(out - 1, Math.floor((n - 1 + padBefore - t * d) / s))
    if (hi >= lo) taps += hi - lo + 1
  }
  return taps
}

/** Why a layer's output or weights exceed the bounds above, or undefined. */
function overBounds(info: LayerInfo): string | undefined {
  const elements = product(info.outputShape)
  if (elements > MAX_ELEMENTS) return `its output ${showShape(info.outputShape)} has ${elements} values per sample, more than ${MAX_ELEMENTS} (2^24)`
  if (info.weightParams > MAX_ELEMENTS) return `it has ${info.weightParams} weights, more than ${MAX_ELEMENTS} (2^24)`
  return undefined
}

function resolvePadding(p: PaddingSpec | undefined, h: number, w: number, kernel: [number, number], stride: [number, number], dilation: [number, number]): [number, number, number, number] {
  if (p === undefined || p === 'valid') return [0, 0, 0, 0]
  if (p === 'same') return samePadding(h, w, kernel, stride, dilation)
  return [p[0], p[1], p[2], p[3]]
}

function inferLayer(layer: LayerSpec, input: number[], path: string): Step {
  const base = { path, type: layer.type, ...(layer.id !== undefined ? { id: layer.id } : {}), inputShape: input }
  const ok = (outputShape: number[], weightParams = 0, biasParams = 0, macs = 0, nominalMacs = macs, padding?: [number, number, number, number]): Step => ({
    info: { ...base, outputShape, weightParams, biasParams, hasWeights: weightParams > 0, macs, nominalMacs, ...(padding ? { padding } : {}) },
  })
  const fail = (message: string): Step => ({ error: { path, message } })
  const needImage = (): string => `${layer.type} needs an image input [H, W, C], got ${showShape(input)}`

  switch (layer.type) {
    case 'dense': {
      if (input.length !== 1) return fail(`dense needs a vector input, got ${showShape(input)}: put a flatten (or globalAvgPool2d) layer before it`)
      const n = input[0]
      return ok([layer.units], n * layer.units, layer.bias === false ? 0 : layer.units, n * layer.units)
    }
    case 'conv2d':
    case 'depthwiseConv2d':
    case 'maxPool2d':
    case 'avgPool2d': {
      if (input.length !== 3) return fail(needImage())
      const [h, w, c] = input
      const kernel = layer.kernel
      const isPool = layer.type === 'maxPool2d' || layer.type === 'avgPool2d'
      const stride = layer.stride ?? (isPool ? kernel : [1, 1])
      const dilation: [number, number] = (layer.type === 'conv2d' || layer.type === 'depthwiseConv2d' ? layer.dilation : undefined) ?? [1, 1]
      const padding = resolvePadding(layer.padding, h, w, kernel, stride, dilation)
      let g
      try {
        g = resolveWindow(layer.type, h, w, { kernel, stride, padding, dilation })
      } catch (e) {
        return fail(e instanceof Error ? e.message : String(e))
      }
      if (layer.type === 'maxPool2d' || layer.type === 'avgPool2d') return ok([g.oh, g.ow, c], 0, 0, 0, 0, padding)
      const taps = tapsAlong(h, g.kh, g.sh, g.dh, g.pt, g.oh) * tapsAlong(w, g.kw, g.sw, g.dw, g.pl, g.ow)
      const nominalTaps = g.oh * g.ow * g.kh * g.kw
      if (layer.type === 'conv2d') {
        const withBias = layer.bias !== false
        const co = layer.filters
        return ok([g.oh, g.ow, co], g.kh * g.kw * c * co, withBias ? co : 0, taps * c * co, nominalTaps * c * co, padding)
      }
      // depthwise: every output channel sees one input channel
      const dw = layer as DepthwiseConv2dLayerSpec
      const co = c * (dw.multiplier ?? 1)
      return ok([g.oh, g.ow, co], g.kh * g.kw * co, dw.bias !== false ? co : 0, taps * co, nominalTaps * co, padding)
    }
    case 'globalAvgPool2d':
      // Keras's GlobalAveragePooling2D: [H, W, C] → [C], so a dense layer can follow directly
      if (input.length !== 3) return fail(needImage())
      return ok([input[2]])
    case 'flatten':
      return ok([product(input)])
    case 'relu':
    case 'relu6':
      return ok(input.slice())
    case 'add':
      // handled by analyzeShapes (needs the other operand); reaching here means an add inside a shortcut
      return fail('an add cannot be nested inside a shortcut')
  }
}

/** All shapes plus every shape error found (inference stops at an error whose output shape is unknown). */
export function analyzeShapes(spec: ModelSpec): ShapeAnalysis {
  const layers: LayerInfo[] = []
  const errors: FieldError[] = []
  const outputs = new Map<string, number[]>()
  let shape = spec.input.shape.slice()
  if (product(shape) > MAX_ELEMENTS) return { layers, errors: [{ path: 'input.shape', message: `${showShape(shape)} has ${product(shape)} values per sample, more than ${MAX_ELEMENTS} (2^24)` }] }

  for (let i = 0; i < spec.layers.length; i++) {
    const layer = spec.layers[i]
    const path = fieldPath('layers', i)
    if (layer.type === 'add') {
      const name = layer.id !== undefined ? `add '${layer.id}'` : 'add'
      let addend = outputs.get(layer.from)
      if (addend === undefined) errors.push({ path: fieldPath(path, 'from'), message: `'${layer.from}' names no earlier layer` })
      ;(layer.shortcut ?? []).forEach((sl, j) => {
        if (addend === undefined) return
        const step = inferLayer(sl, addend, fieldPath(fieldPath(path, 'shortcut'), j))
        const big = 'info' in step ? overBounds(step.info) : undefined
        if ('error' in step) { errors.push(step.error); addend = undefined } else if (big) { errors.push({ path: step.info.path, message: big }); addend = undefined } else { layers.push(step.info); addend = step.info.outputShape }
      })
      if (addend !== undefined && showShape(addend) !== showShape(shape)) {
        const via = layer.shortcut?.length ? ' after its shortcut' : ''
        errors.push({ path, message: `${name}: operand shapes differ: ${showShape(shape)} (previous layer) vs ${showShape(addend)} ('${layer.from}'${via})` })
      }
      // a mismatched add still yields the running tensor's shape, so later layers can be checked too
      layers.push({
        path, type: 'add', ...(layer.id !== undefined ? { id: layer.id } : {}), inputShape: shape, outputShape: shape.slice(),
        ...(addend !== undefined ? { addendShape: addend } : {}), weightParams: 0, biasParams: 0, hasWeights: false, macs: 0, nominalMacs: 0,
      })
    } else {
      const step = inferLayer(layer, shape, path)
      if ('error' in step) { errors.push(step.error); return { layers, errors } }
      const big = overBounds(step.info)
      if (big) { errors.push({ path, message: big }); return { layers, errors } }
      layers.push(step.info)
      shape = step.info.outputShape
    }
    if (layer.id !== undefined) outputs.set(layer.id, shape)
  }

  const last = fieldPath('layers', spec.layers.length - 1)
  if (spec.layers.length > 0 && spec.task === 'classification' && (shape.length !== 1 || shape[0] < 2)) {
    errors.push({ path: last, message: `a classification model must end in a vector of at least 2 logits, got ${showShape(shape)}` })
  }
  if (spec.layers.length > 0 && spec.task === 'reconstruction' && product(shape) !== product(spec.input.shape)) {
    errors.push({ path: last, message: `a reconstruction model must output as many values as its input ${showShape(spec.input.shape)}, got ${showShape(shape)}` })
  }
  return { layers, errors }
}

/** Shapes of every layer of a (parsed) model; throws a ModelSpecError listing the shape errors. */
export function inferShapes(spec: ModelSpec): LayerInfo[] {
  const { layers, errors } = analyzeShapes(spec)
  if (errors.length > 0) throw new ModelSpecError(errors, `shape errors in model '${spec.name}'`)
  return layers
}

export interface ModelSummary {
  name: string
  task: ModelSpec['task']
  inputShape: number[]
  outputShape: number[]
  /** layers in execution order, shortcut layers included */
  layerCount: number
  weightLayerCount: number
  params: number
  weightParams: number
  biasParams: number
  /** per sample, as the engine counts (see LayerInfo.macs) */
  macs: number
  /** per sample, every window tap counted (comparable with published figures) */
  nominalMacs: number
  /** elements of the largest single tensor, the input included */
  maxActivationElements: number
  /** elements of every layer output summed: what backpropagation stores if it keeps all of them */
  totalActivationElements: number
}

export function summarizeModel(spec: ModelSpec): ModelSummary {
  const layers = inferShapes(spec)
  const sum = (f: (l: LayerInfo) => number): number => layers.reduce((a, l) => a + f(l), 0)
  const weightParams = sum((l) => l.weightParams)
  const biasParams = sum((l) => l.biasParams)
  return {
    name: spec.name,
    task: spec.task,
    inputShape: spec.input.shape.slice(),
    outputShape: layers.filter((l) => !l.path.includes('.shortcut')).at(-1)?.outputShape ?? spec.input.shape.slice(),
    layerCount: layers.length,
    weightLayerCount: layers.filter((l) => l.hasWeights).length,
    params: weightParams + biasParams,
    weightParams,
    biasParams,
    macs: sum((l) => l.macs),
    nominalMacs: sum((l) => l.nominalMacs),
    maxActivationElements: Math.max(product(spec.input.shape), ...layers.map((l) => product(l.outputShape))),
    totalActivationElements: sum((l) => product(l.outputShape)),
  }
}
