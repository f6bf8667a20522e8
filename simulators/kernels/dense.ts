/**
 * Dense (fully connected / GEMM) layer, integer in, accumulator out:
 *   acc[n, m] = bias[m] + Σ_k (x[n, k] − z_x) · (w[m, k] − z_w[m])
 * x: [N, K] per-tensor; w: [M, K], per-tensor or per-output-channel zero points; bias in accumulator
 * units (scale s_x·s_w[m]). Same contract as onnxruntime's MatMulInteger with B = wᵀ.
 */
import type { AccTensor, QTensor } from '../core/tensor'
import type { Work } from '../core/work'
import { packedBytes } from '../core/int-format'
import { expectChannels, expectEqual, expectLength, expectPerTensor, expectRank } from './checks'
import { chooseTier, DOT, macBounds, maxAbs, needsBigStorage, store, zpAt } from './mac-core'
import { identityOffsets } from './scratch'
import { centerRows, gemm } from './fast-dot'
import { fitAccumulatorRange } from '../core/accumulator'

export interface DenseArgs {
  readonly x: QTensor
  readonly w: QTensor
  readonly bias?: Int32Array | Float64Array
  readonly out: AccTensor
}

/** The shapes of a dense call, checked (every backend's dense starts here): N rows, K features, M outputs. */
export function denseShape({ x, w, bias, out }: DenseArgs): { N: number; K: number; M: number } {
  expectRank('dense input', x.shape, 2)
  expectRank('dense weights', w.shape, 2)
  const [N, K] = x.shape
  const [M, Kw] = w.shape
  expectEqual('dense input features vs weight columns', K, Kw)
  expectEqual('dense output size', out.data.length, N * M)
  expectPerTensor('dense input', x.quant.zeroPoints)
  expectChannels('dense weights', w.quant.zeroPoints, M)
  expectLength('dense bias', bias, M)
  return { N, K, M }
}

export function dense({ x, w, bias, out }: DenseArgs, work: Work): void {
  const { N, K, M } = denseShape({ x, w, bias, out })

  const zx = x.quant.zeroPoints[0]
  const zws = w.quant.zeroPoints
  const bounds = macBounds(K, x.format, x.quant.zeroPoints, w.format, zws, maxAbs(bias))
  if (needsBigStorage(bounds, out.format) && !(out.data instanceof BigInt64Array)) {
    throw new RangeError('dense: a 64-bit accumulator can pass 2^53 with these formats; allocate the output with accTensor(shape, format, true)')
  }
  const tier = chooseTier(bounds, out.format)
  if (tier === 'number') {
    // fast path: centred operands, four outputs per pass (fast-dot.ts); same exact sums
    const xc = centerRows(x.data, N, K, x.quant.zeroPoints, 'dense.x')
    const wc = centerRows(w.data, M, K, zws, 'dense.w')
    const o = out.data as Float64Array
    gemm(xc, N, wc, K, M, bias, o)
    fitAccumulatorRange(o, 0, o, 0, N * M, out.format, work)
  } else {
    const dot = DOT[tier]
    const off = identityOffsets(K)
    for (let n = 0; n < N; n++) {
      for (let m = 0; m < M; m++) {
        const v = dot(x.data, n * K, off, zx, w.data, m * K, off, zpAt(zws, m), K, bias ? bias[m] : 0, out.format, work)
        store(out.data, n * M + m, v)
      }
    }
  }
  work.macs += N * M * K
  work.bytesRead += packedBytes(x.format, N * K) + packedBytes(w.format, M * K) + (bias ? 4 * M : 0)
  work.bytesWritten += (N * M * out.format.bits) / 8
}
