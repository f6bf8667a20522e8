/**
 * Max and average pooling in WASM. Max pooling (kernels.wat, max_pool), bit-identical to kernels/pool2d.ts maxPool2d: a signed
 * max over int32 codes is exact, and starting each output at the format's minimum gives what the
 * reference gives for a window wholly in the padding. Channels are contiguous in NHWC, so 4 channels
 * share one i32x4.max_s. Returns false (nothing written, no Work counted) for formats past int32 (their
 * codes are not int32); the caller then runs the TypeScript kernel.
 *
 * Average pooling (kernels.wat, avg_pool) is bit-identical to avgPool2d for the deterministic roundings
 * (floor, half-away, half-even): int32 sums are exact while taps · max|code| < 2^31, and the floor
 * quotient and remainder of sum/count are rounded once, as roundFromFloor does. Falls back for
 * stochastic rounding (its draws stay in TypeScript), wider sums, and windows with no tap to divide by.
 */
import { maxValue, minValue, packedBytes } from '../../core/int-format'
import type { Work } from '../../core/work'
import { preparePool, type AvgPoolArgs, type PoolArgs } from '../pool2d'
import { expectPerTensor } from '../checks'
import { roundUp, wasmKernels } from './runtime'
import { wasmStats } from './mac-shared'

export function wasmMaxPool2d(a: PoolArgs, work: Work): boolean {
  const k = wasmKernels()
  if (!k) return false
  const { N, H, W, C, g } = preparePool('maxPool2d', a)
  const lo = minValue(a.out.format)
  if (lo < -(2 ** 31) || maxValue(a.x.format) > 2 ** 31 - 1 || minValue(a.x.format) < -(2 ** 31)) return false
  const nx = a.x.data.length, no = a.out.data.length
  const dst = roundUp(nx * 4, 16)
  k.reserve(dst + no * 4)
  k.i32.set(a.x.data, 0)
  const taps = k.maxPool(0, N, H, W, C, g.kh, g.kw, g.sh, g.sw, g.pt, g.pl, g.dh, g.dw, g.oh, g.ow, lo, dst)
  wasmStats.fast++
  a.out.data.set(k.i32.subarray(dst >> 2, (dst >> 2) + no))
  work.elementOps += taps * C
  work.bytesRead += packedBytes(a.x.format, nx)
  work.bytesWritten += packedBytes(a.out.format, no)
  return true
}

const MODE = { floor: 0, 'half-away': 1, 'half-even': 2 } as const

export function wasmAvgPool2d(a: AvgPoolArgs, work: Work): boolean {
  const k = wasmKernels()
  if (!k) return false
  const { N, H, W, C, g } = preparePool('avgPool2d', a)
  expectPerTensor('avgPool2d input', a.x.quant.zeroPoints)
  const mode = a.rounding ?? 'half-away'
  const zp = a.x.quant.zeroPoints[0]
  const largest = Math.max(-minValue(a.x.format), maxValue(a.x.format), Math.abs(zp))
  if (mode === 'stochastic' || g.kh * g.kw * largest >= 2 ** 31) { wasmStats.fallback++; return false }
  const nx = a.x.data.length, no = a.out.data.length
  const sums = roundUp(nx * 4, 16), dst = sums + roundUp(C * 4, 16)
  k.reserve(dst + no * 4)
  k.i32.set(a.x.data, 0)
  const ops = k.avgPool(0, N, H, W, C, g.kh, g.kw, g.sh, g.sw, g.pt, g.pl, g.pb, g.pr, g.dh, g.dw, g.oh, g.ow, zp, a.countIncludePad ? 1 : 0, MODE[mode], sums, dst)
  if (ops < 0) { wasmStats.fallback++; return false }
  wasmStats.fast++
  a.out.data.set(k.i32.subarray(dst >> 2, (dst >> 2) + no))
  work.elementOps += ops * C
  work.bytesRead += packedBytes(a.x.format, nx)
  work.bytesWritten += packedBytes(a.out.format, no)
  return true
}
