/**
 * A model description resolved into an execution graph: one node per layer (shortcut layers included),
 * in execution order, with explicit inputs, per-sample shapes, resolved padding and weight layouts.
 * Both the float network and the integer network execute this same graph.
 */
import { resolveWindow, samePadding, type ResolvedWindow } from '../kernels/geometry'
import type { ActivationName, LayerSpec, ModelSpec, PaddingSpec } from './spec'
import { tapsAlong } from './shapes'

export type NodeKind = 'dense' | 'conv2d' | 'depthwise' | 'maxPool' | 'avgPool' | 'globalAvgPool' | 'flatten' | 'relu' | 'relu6' | 'add'

export interface GraphNode {
  index: number
  /** where it comes from in the description, e.g. "layers[5].shortcut[0]" */
  path: string
  kind: NodeKind
  /** producer node indices; −1 is the network input. `add` has two: main path, then the other operand */
  inputs: number[]
  inShape: number[]
  outShape: number[]
  /** activation fused into this node's output (dense, conv, depthwise, add) */
  activation: ActivationName
  /** resolved sliding window (conv, depthwise, pools) */
  window?: ResolvedWindow
  hasBias: boolean
  /** engine layout of the weights: dense [M, K], conv [CO, KH, KW, CI], depthwise [KH, KW, C·mult] */
  weightShape?: number[]
  /** output-channel axis of the weights (per-channel scales) */
  weightAxis?: number
  /** multiply-accumulates per sample over valid taps (the forward work; backward-input and -weight match it) */
  macsPerSample: number
}

const size = (s: number[]) => s.reduce((a, b) => a * b, 1)

function padding(p: PaddingSpec | undefined, h: number, w: number, k: [number, number], s: [number, number], d: [number, number]): [number, number, number, number] {
  if (p === undefined || p === 'valid') return [0, 0, 0, 0]
  if (p === 'same') return samePadding(h, w, k, s, d)
  return p
}

/** Valid-tap count of a window over an h×w input, per output channel group (for MAC counts). */
/**
 * (output pixel, kernel tap) pairs whose input pixel is inside the image: a tap is inside when its row and
 * its column are, so the count is the product of the per-axis counts, each in closed form (shapes.ts).
 * Looping over every output pixel and tap cost oh·ow·kh·kw steps, hours for a large valid model.
 */
function validTaps(g: ResolvedWindow, h: number, w: number): number {
  return tapsAlong(h, g.kh, g.sh, g.dh, g.pt, g.oh) * tapsAlong(w, g.kw, g.sw, g.dw, g.pl, g.ow)
}

export function buildGraph(spec: ModelSpec): GraphNode[] {
  const nodes: GraphNode[] = []
  const byId = new Map<string, number>()

  function add(layer: LayerSpec, path: string, input: number, inShape: number[]): number {
    const index = nodes.length
    const base = { index, path, inputs: [input], inShape, activation: 'none' as ActivationName, hasBias: false, macsPerSample: 0 }
    let node: GraphNode
    const need3 = (what: string) => {
      if (inShape.length !== 3) throw new RangeError(`${path}: ${what} needs an [H, W, C] input, got [${inShape.join(', ')}]`)
    }
    switch (layer.type) {
      case 'dense': {
        if (inShape.length !== 1) throw new RangeError(`${path}: dense needs a flat input (add a flatten layer), got [${inShape.join(', ')}]`)
        const K = inShape[0]
        node = { ...base, kind: 'dense', outShape: [layer.units], activation: layer.activation ?? 'none', hasBias: layer.bias ?? true, weightShape: [layer.units, K], weightAxis: 0, macsPerSample: K * layer.units }
        break
      }
      case 'conv2d': {
        need3('conv2d')
        const [H, W, C] = inShape
        const stride = layer.stride ?? [1, 1]
        const dil = layer.dilation ?? [1, 1]
        const g = resolveWindow(path, H, W, { kernel: layer.kernel, stride, dilation: dil, padding: padding(layer.padding, H, W, layer.kernel, stride, dil) })
        node = { ...base, kind: 'conv2d', outShape: [g.oh, g.ow, layer.filters], window: g, activation: layer.activation ?? 'none', hasBias: layer.bias ?? true, weightShape: [layer.filters, layer.kernel[0], layer.kernel[1], C], weightAxis: 0, macsPerSample: validTaps(g, H, W) * C * layer.filters }
        break
      }
      case 'depthwiseConv2d': {
        need3('depthwiseConv2d')
        const [H, W, C] = inShape
        const mult = layer.multiplier ?? 1
        const stride = layer.stride ?? [1, 1]
        const dil = layer.dilation ?? [1, 1]
        const g = resolveWindow(path, H, W, { kernel: layer.kernel, stride, dilation: dil, padding: padding(layer.padding, H, W, layer.kernel, stride, dil) })
        node = { ...base, kind: 'depthwise', outShape: [g.oh, g.ow, C * mult], window: g, activation: layer.activation ?? 'none', hasBias: layer.bias ?? true, weightShape: [layer.kernel[0], layer.kernel[1], C * mult], weightAxis: 2, macsPerSample: validTaps(g, H, W) * C * mult }
        break
      }
      case 'maxPool2d':
      case 'avgPool2d': {
        need3(layer.type)
        const [H, W, C] = inShape
        const stride = layer.stride ?? layer.kernel
        const g = resolveWindow(path, H, W, { kernel: layer.kernel, stride, padding: padding(layer.padding, H, W, layer.kernel, stride, [1, 1]) })
        node = { ...base, kind: layer.type === 'maxPool2d' ? 'maxPool' : 'avgPool', outShape: [g.oh, g.ow, C], window: g }
        break
      }
      case 'globalAvgPool2d': {
        need3('globalAvgPool2d')
        const [H, W, C] = inShape
        node = { ...base, kind: 'globalAvgPool', outShape: [C], window: resolveWindow(path, H, W, { kernel: [H, W] }) }
        break
      }
      case 'flatten':
        node = { ...base, kind: 'flatten', outShape: [size(inShape)] }
        break
      case 'relu':
      case 'relu6':
        node = { ...base, kind: layer.type, outShape: inShape }
        break
      case 'add': {
        const from = byId.get(layer.from)
        if (from === undefined) throw new RangeError(`${path}.from: no earlier layer has id "${layer.from}"`)
        let other = from
        let otherShape = nodes[from].outShape
        ;(layer.shortcut ?? []).forEach((s, i) => {
          other = add(s, `${path}.shortcut[${i}]`, other, otherShape)
          otherShape = nodes[other].outShape
        })
        if (otherShape.join() !== inShape.join()) {
          throw new RangeError(`${path}: cannot add [${otherShape.join(', ')}] (from "${layer.from}") to [${inShape.join(', ')}]`)
        }
        node = { ...base, index: nodes.length, kind: 'add', inputs: [input, other], outShape: inShape, activation: layer.activation ?? 'none' }
        break
      }
    }
    nodes.push(node)
    if (layer.id) byId.set(layer.id, node.index)
    return node.index
  }

  let prev = -1
  let shape = spec.input.shape
  spec.layers.forEach((layer, i) => {
    prev = add(layer, `layers[${i}]`, prev, shape)
    shape = nodes[prev].outShape
  })
  return nodes
}

export function shapeSize(s: readonly number[]): number {
  return size(s as number[])
}

/** Nodes that hold weights. */
export function hasWeights(n: GraphNode): boolean {
  return n.kind === 'dense' || n.kind === 'conv2d' || n.kind === 'depthwise'
}

/**
 * Visits every window of a pooling node over batch B: fn(output index, the valid input indices of the
 * window in (ky, kx) scan order, their count). Padded taps are skipped; the float network, the integer
 * backward pass and forward-AD's tangents all walk pooling windows through this one function.
 */
export function forEachPoolWindow(n: GraphNode, B: number, fn: (o: number, taps: Int32Array, count: number) => void): void {
  const [H, W, C] = n.inShape
  const g = n.window!
  const taps = new Int32Array(g.kh * g.kw)
  for (let b = 0; b < B; b++) for (let oy = 0; oy < g.oh; oy++) for (let ox = 0; ox < g.ow; ox++) for (let c = 0; c < C; c++) {
    let count = 0
    for (let ky = 0; ky < g.kh; ky++) {
      const iy = oy * g.sh - g.pt + ky
      if (iy < 0 || iy >= H) continue
      for (let kx = 0; kx < g.kw; kx++) {
        const ix = ox * g.sw - g.pl + kx
        if (ix >= 0 && ix < W) taps[count++] = ((b * H + iy) * W + ix) * C + c
      }
    }
    fn(((b * g.oh + oy) * g.ow + ox) * C + c, taps, count)
  }
}
