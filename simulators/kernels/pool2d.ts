/**
 * Max and average pooling on integer NHWC tensors. Input and output share the format and quantization
 * (as in TFLite), so pooling works on raw codes. Padded positions are ignored by max pooling; average
 * pooling divides by the number of valid taps unless `countIncludePad` (then padded taps count, holding
 * the zero point), with exact rounding of sum/count.
 */
import { minValue, packedBytes } from '../core/int-format'
import { roundDiv, type RoundingMode, type UniformSource } from '../core/rounding'
import type { QTensor } from '../core/tensor'
import type { Work } from '../core/work'
import { expectEqual, expectPerTensor, expectRank } from './checks'
import { resolveWindow, type Window2d } from './geometry'

export interface PoolArgs extends Window2d {
  readonly x: QTensor
  readonly out: QTensor
}

export interface AvgPoolArgs extends PoolArgs {
  readonly rounding?: RoundingMode
  readonly countIncludePad?: boolean
  readonly rng?: UniformSource
}

/** Shape checks and the resolved window (shared with the WASM kernel, wasm/pool.ts). */
export function preparePool(name: string, a: PoolArgs) {
  expectRank(`${name} input`, a.x.shape, 4)
  const [N, H, W, C] = a.x.shape
  const g = resolveWindow(name, H, W, a)
  expectEqual(`${name} output size`, a.out.data.length, N * g.oh * g.ow * C)
  return { N, H, W, C, g }
}

export function maxPool2d(a: PoolArgs, work: Work): void {
  const { N, H, W, C, g } = preparePool('maxPool2d', a)
  const x = a.x.data
  const o = a.out.data
  const lowest = minValue(a.out.format)
  let ops = 0
  for (let n = 0; n < N; n++) for (let oy = 0; oy < g.oh; oy++) for (let ox = 0; ox < g.ow; ox++) {
    for (let c = 0; c < C; c++) {
      let best = -Infinity
      for (let ky = 0; ky < g.kh; ky++) {
        const iy = oy * g.sh - g.pt + ky * g.dh
        if (iy < 0 || iy >= H) continue
        for (let kx = 0; kx < g.kw; kx++) {
          const ix = ox * g.sw - g.pl + kx * g.dw
          if (ix < 0 || ix >= W) continue
          const v = x[((n * H + iy) * W + ix) * C + c]
          if (v > best) best = v
          ops++
        }
      }
      // a window entirely in the padding (possible with dilation) sees only −∞: saturated, that is the
      // format's minimum (onnxruntime's MaxPool gives the same)
      o[((n * g.oh + oy) * g.ow + ox) * C + c] = best === -Infinity ? lowest : best
    }
  }
  work.elementOps += ops
  work.bytesRead += packedBytes(a.x.format, x.length)
  work.bytesWritten += packedBytes(a.out.format, o.length)
}

export function avgPool2d(a: AvgPoolArgs, work: Work): void {
  const { N, H, W, C, g } = preparePool('avgPool2d', a)
  expectPerTensor('avgPool2d input', a.x.quant.zeroPoints)
  const x = a.x.data
  const o = a.out.data
  const zp = a.x.quant.zeroPoints[0]
  const mode = a.rounding ?? 'half-away'
  let ops = 0
  for (let n = 0; n < N; n++) for (let oy = 0; oy < g.oh; oy++) for (let ox = 0; ox < g.ow; ox++) {
    for (let c = 0; c < C; c++) {
      let sum = 0
      let count = 0
      let padded = 0
      for (let ky = 0; ky < g.kh; ky++) {
        const iy = oy * g.sh - g.pt + ky * g.dh
        for (let kx = 0; kx < g.kw; kx++) {
          const ix = ox * g.sw - g.pl + kx * g.dw
          if (iy < 0 || iy >= H || ix < 0 || ix >= W) {
            // only taps inside the padded input count as padding (not those past it)
            if (iy >= -g.pt && iy < H + g.pb && ix >= -g.pl && ix < W + g.pr) padded++
            continue
          }
          sum += x[((n * H + iy) * W + ix) * C + c]
          count++
        }
      }
      if (a.countIncludePad) { sum += padded * zp; count += padded }
      o[((n * g.oh + oy) * g.ow + ox) * C + c] = roundDiv(sum, count, mode, a.rng)
      ops += count + 1
    }
  }
  work.elementOps += ops
  work.bytesRead += packedBytes(a.x.format, x.length)
  work.bytesWritten += packedBytes(a.out.format, o.length)
}
