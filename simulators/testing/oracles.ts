/**
 * Exact oracles for tests, written in BigInt and by the definitions, deliberately not sharing code
 * with the engine: rounding of a rational, and the integer MAC kernels as naive loops.
 */
import type { RoundingMode } from '../core/rounding'

/** Correctly rounded num/den (den > 0) by the textbook definitions. */
export function oracleRound(num: bigint, den: bigint, mode: Exclude<RoundingMode, 'stochastic'>): bigint {
  const fl = num >= 0n ? num / den : -((-num + den - 1n) / den)
  const rem = num - fl * den
  const twice = 2n * rem
  if (mode === 'floor' || rem === 0n) return fl
  if (twice < den) return fl
  if (twice > den) return fl + 1n
  if (mode === 'half-away') return num > 0n ? fl + 1n : fl
  return fl % 2n === 0n ? fl : fl + 1n
}

/** Stochastic rounding oracle with an explicit 32-bit draw u: up iff u/2^32 < rem/den. */
export function oracleStochastic(num: bigint, den: bigint, u: number): bigint {
  const fl = num >= 0n ? num / den : -((-num + den - 1n) / den)
  const rem = num - fl * den
  return BigInt(u) * den < rem * 4294967296n ? fl + 1n : fl
}

export interface OracleAcc {
  bits: number
  overflow: 'saturate' | 'wrap'
}

/** Accumulates terms one at a time, as a MAC unit does. */
export function oracleAccumulate(init: bigint, terms: Iterable<bigint>, acc: OracleAcc): bigint {
  const hi = 2n ** BigInt(acc.bits - 1) - 1n
  const lo = -(2n ** BigInt(acc.bits - 1))
  const clamp = (v: bigint) => (v > hi ? hi : v < lo ? lo : v)
  const wrap = (v: bigint) => {
    const m = 2n ** BigInt(acc.bits)
    let r = ((v % m) + m) % m
    if (r > hi) r -= m
    return r
  }
  let s = acc.overflow === 'saturate' ? clamp(init) : init
  for (const t of terms) s = acc.overflow === 'saturate' ? clamp(s + t) : s + t
  return acc.overflow === 'saturate' ? s : wrap(s)
}

export function oracleDense(
  x: ArrayLike<number>, zx: number, w: ArrayLike<number>, zw: ArrayLike<number>, bias: ArrayLike<number> | undefined,
  N: number, K: number, M: number, acc: OracleAcc,
): bigint[] {
  const out: bigint[] = []
  for (let n = 0; n < N; n++) for (let m = 0; m < M; m++) {
    const z = BigInt(zw.length === 1 ? zw[0] : zw[m])
    function* terms() {
      for (let k = 0; k < K; k++) yield (BigInt(x[n * K + k]) - BigInt(zx)) * (BigInt(w[m * K + k]) - z)
    }
    out.push(oracleAccumulate(BigInt(bias ? bias[m] : 0), terms(), acc))
  }
  return out
}

/** Convolution by definition, NHWC/OHWI; out-of-bounds taps contribute nothing (padding = zero point). */
export function oracleConv2d(
  x: ArrayLike<number>, xs: number[], zx: number, w: ArrayLike<number>, ws: number[], zw: ArrayLike<number>,
  bias: ArrayLike<number> | undefined, stride: number[], pad: number[], dil: number[], acc: OracleAcc,
): { out: bigint[]; shape: number[] } {
  const [N, H, W, C] = xs
  const [CO, KH, KW] = ws
  const OH = Math.floor((H + pad[0] + pad[2] - dil[0] * (KH - 1) - 1) / stride[0]) + 1
  const OW = Math.floor((W + pad[1] + pad[3] - dil[1] * (KW - 1) - 1) / stride[1]) + 1
  const out: bigint[] = []
  for (let n = 0; n < N; n++) for (let oy = 0; oy < OH; oy++) for (let ox = 0; ox < OW; ox++) for (let co = 0; co < CO; co++) {
    const z = BigInt(zw.length === 1 ? zw[0] : zw[co])
    function* terms() {
      for (let ky = 0; ky < KH; ky++) for (let kx = 0; kx < KW; kx++) {
        const i = oy * stride[0] - pad[0] + ky * dil[0]
        const j = ox * stride[1] - pad[1] + kx * dil[1]
        if (i < 0 || i >= H || j < 0 || j >= W) continue
        for (let c = 0; c < C; c++) yield (BigInt(x[((n * H + i) * W + j) * C + c]) - BigInt(zx)) * (BigInt(w[((co * KH + ky) * KW + kx) * C + c]) - z)
      }
    }
    out.push(oracleAccumulate(BigInt(bias ? bias[co] : 0), terms(), acc))
  }
  return { out, shape: [N, OH, OW, CO] }
}

export function oracleDepthwise(
  x: ArrayLike<number>, xs: number[], zx: number, w: ArrayLike<number>, ws: number[], zw: ArrayLike<number>,
  bias: ArrayLike<number> | undefined, stride: number[], pad: number[], dil: number[], acc: OracleAcc,
): { out: bigint[]; shape: number[] } {
  const [N, H, W, C] = xs
  const [KH, KW, OC] = ws
  const mult = OC / C
  const OH = Math.floor((H + pad[0] + pad[2] - dil[0] * (KH - 1) - 1) / stride[0]) + 1
  const OW = Math.floor((W + pad[1] + pad[3] - dil[1] * (KW - 1) - 1) / stride[1]) + 1
  const out: bigint[] = []
  for (let n = 0; n < N; n++) for (let oy = 0; oy < OH; oy++) for (let ox = 0; ox < OW; ox++) for (let oc = 0; oc < OC; oc++) {
    const z = BigInt(zw.length === 1 ? zw[0] : zw[oc])
    const c = Math.floor(oc / mult)
    function* terms() {
      for (let ky = 0; ky < KH; ky++) for (let kx = 0; kx < KW; kx++) {
        const i = oy * stride[0] - pad[0] + ky * dil[0]
        const j = ox * stride[1] - pad[1] + kx * dil[1]
        if (i < 0 || i >= H || j < 0 || j >= W) continue
        yield (BigInt(x[((n * H + i) * W + j) * C + c]) - BigInt(zx)) * (BigInt(w[(ky * KW + kx) * OC + oc]) - z)
      }
    }
    out.push(oracleAccumulate(BigInt(bias ? bias[oc] : 0), terms(), acc))
  }
  return { out, shape: [N, OH, OW, OC] }
}
