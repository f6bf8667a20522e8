/** Sliding-window geometry shared by convolution and pooling (NHWC). */

export interface Window2d {
  /** kernel height and width */
  readonly kernel: readonly [number, number]
  readonly stride?: readonly [number, number]
  /** [top, left, bottom, right] */
  readonly padding?: readonly [number, number, number, number]
  readonly dilation?: readonly [number, number]
}

export interface ResolvedWindow {
  kh: number; kw: number; sh: number; sw: number
  pt: number; pl: number; pb: number; pr: number
  dh: number; dw: number
  oh: number; ow: number
}

export function resolveWindow(name: string, h: number, w: number, win: Window2d): ResolvedWindow {
  const [kh, kw] = win.kernel
  const [sh, sw] = win.stride ?? [1, 1]
  const [pt, pl, pb, pr] = win.padding ?? [0, 0, 0, 0]
  const [dh, dw] = win.dilation ?? [1, 1]
  for (const [k, v] of Object.entries({ kh, kw, sh, sw, dh, dw })) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`${name}: ${k} must be a positive integer, got ${v}`)
  }
  for (const [k, v] of Object.entries({ pt, pl, pb, pr })) {
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`${name}: padding ${k} must be a non-negative integer, got ${v}`)
  }
  const oh = Math.floor((h + pt + pb - dh * (kh - 1) - 1) / sh) + 1
  const ow = Math.floor((w + pl + pr - dw * (kw - 1) - 1) / sw) + 1
  if (oh < 1 || ow < 1) throw new RangeError(`${name}: a ${kh}×${kw} window does not fit a ${h}×${w} input with this padding`)
  return { kh, kw, sh, sw, pt, pl, pb, pr, dh, dw, oh, ow }
}

/** "same" padding for stride s (TensorFlow's rule: the extra pixel goes to the bottom/right). */
export function samePadding(h: number, w: number, kernel: readonly [number, number], stride: readonly [number, number] = [1, 1], dilation: readonly [number, number] = [1, 1]): [number, number, number, number] {
  const pad = (n: number, k: number, s: number, d: number): [number, number] => {
    const out = Math.ceil(n / s)
    const total = Math.max(0, (out - 1) * s + d * (k - 1) + 1 - n)
    return [Math.floor(total / 2), total - Math.floor(total / 2)]
  }
  const [t, b] = pad(h, kernel[0], stride[0], dilation[0])
  const [l, r] = pad(w, kernel[1], stride[1], dilation[1])
  return [t, l, b, r]
}

/**
 * The valid (in-bounds) taps of output pixel (n, oy, ox), in (ky, kx, i) order: xo[t] is the NHWC offset
 * of input pixel (iy, ix) plus i, wo[t] is (ky·KW + kx)·wTapStride + i, for i < inner. conv2d gathers
 * every input channel per tap (inner = C, wTapStride = C); depthwise one slot per tap (inner = 1,
 * wTapStride = channels·multiplier) and adds the channel itself. Returns the tap count.
 */
export function gatherWindow(
  g: ResolvedWindow, n: number, H: number, W: number, C: number, oy: number, ox: number,
  inner: number, wTapStride: number, xo: Int32Array, wo: Int32Array,
): number {
  let taps = 0
  for (let ky = 0; ky < g.kh; ky++) {
    const iy = oy * g.sh - g.pt + ky * g.dh
    if (iy < 0 || iy >= H) continue
    for (let kx = 0; kx < g.kw; kx++) {
      const ix = ox * g.sw - g.pl + kx * g.dw
      if (ix < 0 || ix >= W) continue
      const xBase = ((n * H + iy) * W + ix) * C
      const wBase = (ky * g.kw + kx) * wTapStride
      for (let i = 0; i < inner; i++) { xo[taps] = xBase + i; wo[taps] = wBase + i; taps++ }
    }
  }
  return taps
}
