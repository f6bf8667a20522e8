/**
 * Float64 reference kernels: the plain mathematical definitions, written independently of the integer
 * kernels' loop structure (no tap gathering, no tiers). They are the oracle the integer kernels are
 * tested against on dequantized values, and the float path of training (pretraining, float-mode backprop).
 * Layouts as in the integer engine: NHWC activations, OHWI conv weights, [KH, KW, C·mult] depthwise.
 */

export interface FloatWindow {
  kernel: [number, number]
  stride?: [number, number]
  padding?: [number, number, number, number]
  dilation?: [number, number]
}

function outSize(n: number, k: number, s: number, p0: number, p1: number, d: number): number {
  return Math.floor((n + p0 + p1 - d * (k - 1) - 1) / s) + 1
}

/** y[n, m] = b[m] + Σ_k x[n, k] w[m, k] */
export function denseF(x: Float64Array, w: Float64Array, b: Float64Array | undefined, N: number, K: number, M: number): Float64Array {
  const y = new Float64Array(N * M)
  for (let n = 0; n < N; n++) for (let m = 0; m < M; m++) {
    let s = b ? b[m] : 0
    for (let k = 0; k < K; k++) s += x[n * K + k] * w[m * K + k]
    y[n * M + m] = s
  }
  return y
}

/** Convolution by its definition: sum over the window of in-bounds input times weight. */
export function conv2dF(
  x: Float64Array, xShape: [number, number, number, number],
  w: Float64Array, wShape: [number, number, number, number],
  b: Float64Array | undefined, win: Omit<FloatWindow, 'kernel'>,
): { y: Float64Array; shape: [number, number, number, number] } {
  const [N, H, W, C] = xShape
  const [CO, KH, KW] = wShape
  const [sh, sw] = win.stride ?? [1, 1]
  const [pt, pl, pb, pr] = win.padding ?? [0, 0, 0, 0]
  const [dh, dw] = win.dilation ?? [1, 1]
  const OH = outSize(H, KH, sh, pt, pb, dh)
  const OW = outSize(W, KW, sw, pl, pr, dw)
  const y = new Float64Array(N * OH * OW * CO)
  const at = (n: number, i: number, j: number, c: number) => (i < 0 || i >= H || j < 0 || j >= W ? 0 : x[((n * H + i) * W + j) * C + c])
  for (let n = 0; n < N; n++) for (let oy = 0; oy < OH; oy++) for (let ox = 0; ox < OW; ox++) for (let co = 0; co < CO; co++) {
    let s = b ? b[co] : 0
    for (let ky = 0; ky < KH; ky++) for (let kx = 0; kx < KW; kx++) for (let c = 0; c < C; c++) {
      s += at(n, oy * sh - pt + ky * dh, ox * sw - pl + kx * dw, c) * w[((co * KH + ky) * KW + kx) * C + c]
    }
    y[((n * OH + oy) * OW + ox) * CO + co] = s
  }
  return { y, shape: [N, OH, OW, CO] }
}

export function depthwiseConv2dF(
  x: Float64Array, xShape: [number, number, number, number],
  w: Float64Array, wShape: [number, number, number],
  b: Float64Array | undefined, win: Omit<FloatWindow, 'kernel'>,
): { y: Float64Array; shape: [number, number, number, number] } {
  const [N, H, W, C] = xShape
  const [KH, KW, OC] = wShape
  const mult = OC / C
  const [sh, sw] = win.stride ?? [1, 1]
  const [pt, pl, pb, pr] = win.padding ?? [0, 0, 0, 0]
  const [dh, dw] = win.dilation ?? [1, 1]
  const OH = outSize(H, KH, sh, pt, pb, dh)
  const OW = outSize(W, KW, sw, pl, pr, dw)
  const y = new Float64Array(N * OH * OW * OC)
  for (let n = 0; n < N; n++) for (let oy = 0; oy < OH; oy++) for (let ox = 0; ox < OW; ox++) for (let oc = 0; oc < OC; oc++) {
    const c = Math.floor(oc / mult)
    let s = b ? b[oc] : 0
    for (let ky = 0; ky < KH; ky++) for (let kx = 0; kx < KW; kx++) {
      const i = oy * sh - pt + ky * dh
      const j = ox * sw - pl + kx * dw
      if (i >= 0 && i < H && j >= 0 && j < W) s += x[((n * H + i) * W + j) * C + c] * w[(ky * KW + kx) * OC + oc]
    }
    y[((n * OH + oy) * OW + ox) * OC + oc] = s
  }
  return { y, shape: [N, OH, OW, OC] }
}

export function pool2dF(
  kind: 'max' | 'avg', x: Float64Array, xShape: [number, number, number, number], win: FloatWindow, countIncludePad = false,
): { y: Float64Array; shape: [number, number, number, number] } {
  const [N, H, W, C] = xShape
  const [KH, KW] = win.kernel
  const [sh, sw] = win.stride ?? [1, 1]
  const [pt, pl, pb, pr] = win.padding ?? [0, 0, 0, 0]
  const [dh, dw] = win.dilation ?? [1, 1]
  const OH = outSize(H, KH, sh, pt, pb, dh)
  const OW = outSize(W, KW, sw, pl, pr, dw)
  const y = new Float64Array(N * OH * OW * C)
  for (let n = 0; n < N; n++) for (let oy = 0; oy < OH; oy++) for (let ox = 0; ox < OW; ox++) for (let c = 0; c < C; c++) {
    const vals: number[] = []
    let padded = 0
    for (let ky = 0; ky < KH; ky++) for (let kx = 0; kx < KW; kx++) {
      const i = oy * sh - pt + ky * dh
      const j = ox * sw - pl + kx * dw
      if (i >= 0 && i < H && j >= 0 && j < W) vals.push(x[((n * H + i) * W + j) * C + c])
      else if (i >= -pt && i < H + pb && j >= -pl && j < W + pr) padded++
    }
    const sum = vals.reduce((p, v) => p + v, 0)
    y[((n * OH + oy) * OW + ox) * C + c] = kind === 'max' ? (vals.length ? Math.max(...vals) : -Infinity) : sum / (vals.length + (countIncludePad ? padded : 0))
  }
  return { y, shape: [N, OH, OW, C] }
}

export const reluF = (x: Float64Array): Float64Array => x.map((v) => Math.max(0, v))
export const relu6F = (x: Float64Array): Float64Array => x.map((v) => Math.min(6, Math.max(0, v)))
export const addF = (a: Float64Array, b: Float64Array): Float64Array => a.map((v, i) => v + b[i])

/** Mean softmax cross-entropy and its gradient w.r.t. the logits, with Math.exp/log. */
export function softmaxCrossEntropyF(logits: Float64Array, labels: ArrayLike<number>, N: number, K: number): { loss: number; grad: Float64Array } {
  const grad = new Float64Array(N * K)
  let loss = 0
  for (let n = 0; n < N; n++) {
    const row = logits.subarray(n * K, n * K + K)
    const mx = Math.max(...row)
    const z = row.reduce((s, v) => s + Math.exp(v - mx), 0)
    loss += Math.log(z) + mx - row[labels[n]]
    for (let k = 0; k < K; k++) grad[n * K + k] = (Math.exp(row[k] - mx) / z - (k === labels[n] ? 1 : 0)) / N
  }
  return { loss: loss / N, grad }
}
