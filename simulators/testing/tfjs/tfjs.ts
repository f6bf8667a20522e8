// Test-only harness: TensorFlow.js (tfjs-core + the pure-JS cpu backend, float32) as an independent autodiff
// for the float64 backward passes in simulators/reference/float-backward.ts.
//
// The wrappers below take tensors in OUR layouts (NHWC activations, OHWI conv weights, [KH, KW, C·mult]
// depthwise weights, dense W [M, K]) and do the layout change INSIDE the differentiated function, so tfjs's
// gradients come back in our layouts too and no inverse conversion is needed:
//   conv2d     OHWI → tfjs HWIO [KH, KW, CI, CO]   transpose [1, 2, 3, 0]
//   depthwise  [KH, KW, C·mult] → [KH, KW, C, mult] reshape (oc = c·mult + m is row-major [C, mult])
//   dense      y = matMul(x, W, transposeB) + b
//
// What tfjs 4.22 cannot differentiate, and how we get around it (each route is itself plain tfjs autodiff):
// - conv2d / depthwiseConv2d gradients assert dilation 1. A dilated kernel is the undilated kernel with
//   d-1 zeros between taps, so we build that zero-stuffed kernel differentiably (reshape, pad, reshape,
//   slice) and convolve with dilation 1. This also lifts tfjs's "stride or dilation must be 1" limit.
// - avgPool's cpu gradient divides by KH·KW everywhere (AvgPoolGrad.js: avgMultiplier = 1/(fh·fw)) while
//   its forward divides by the number of in-bounds taps: with padding the two disagree. avgPoolTf therefore
//   builds average pooling as a depthwise sum over the window divided by a constant count tensor.
//   tfAvgPoolBuiltin exposes the built-in op so the test can document that discrepancy.
import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-cpu'
// tfjs-core alone registers no gradient functions (the tfjs union package imports this file).
import '@tensorflow/tfjs-core/dist/register_all_gradients'

export { tf }

type Pads = [number, number, number, number] // [top, left, bottom, right], as in float-kernels.ts
export interface TfWindow { stride?: [number, number]; padding?: Pads; dilation?: [number, number] }
export interface TfPoolWindow extends TfWindow { kernel: [number, number] }

/** Select the cpu backend. PROD silences tfjs's "install tfjs-node" banner (it changes no arithmetic). */
export async function useTfCpu(): Promise<void> {
  tf.env().set('PROD', true)
  await tf.setBackend('cpu')
  await tf.ready()
}

/** Our [t, l, b, r] as tfjs's explicit NHWC padding. */
export const explicitPad = ([t, l, b, r]: Pads = [0, 0, 0, 0]): [[number, number], [number, number], [number, number], [number, number]] =>
  [[0, 0], [t, b], [l, r], [0, 0]]

/** A float32 tensor from float64 data (the caller keeps the data float32-exact if it wants exact inputs). */
export const tensor = (data: Float64Array, shape: number[]): tf.Tensor => tf.tensor(Float32Array.from(data), shape, 'float32')

/** [KH, KW, A, B] kernel with dh-1 / dw-1 zero rows / columns between taps: [(KH-1)dh+1, (KW-1)dw+1, A, B]. */
export function dilateKernel(f: tf.Tensor4D, [dh, dw]: [number, number] = [1, 1]): tf.Tensor4D {
  if (dh === 1 && dw === 1) return f
  const [KH, KW, A, B] = f.shape
  const spread = tf.pad(tf.reshape(f, [KH, 1, KW, 1, A, B]), [[0, 0], [0, dh - 1], [0, 0], [0, dw - 1], [0, 0], [0, 0]])
  return tf.slice(tf.reshape(spread, [KH * dh, KW * dw, A, B]), [0, 0, 0, 0], [(KH - 1) * dh + 1, (KW - 1) * dw + 1, A, B]) as tf.Tensor4D
}

export function denseTf(x: tf.Tensor, w: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return tf.add(tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D, false, true), b)
}

export function conv2dTf(x: tf.Tensor, w: tf.Tensor, b: tf.Tensor, win: TfWindow): tf.Tensor {
  const filter = dilateKernel(tf.transpose(w as tf.Tensor4D, [1, 2, 3, 0]), win.dilation)
  return tf.add(tf.conv2d(x as tf.Tensor4D, filter, win.stride ?? [1, 1], explicitPad(win.padding), 'NHWC', 1), b)
}

export function depthwiseConv2dTf(x: tf.Tensor, w: tf.Tensor, b: tf.Tensor, win: TfWindow): tf.Tensor {
  const [KH, KW, OC] = w.shape as [number, number, number]
  const C = x.shape[3] as number
  const filter = dilateKernel(tf.reshape(w, [KH, KW, C, OC / C]) as tf.Tensor4D, win.dilation)
  return tf.add(tf.depthwiseConv2d(x as tf.Tensor4D, filter, win.stride ?? [1, 1], explicitPad(win.padding), 'NHWC', 1), b)
}

/** tfjs's own maxPool (no dilation argument in 4.22's maxPool). */
export function maxPoolTf(x: tf.Tensor, win: TfPoolWindow): tf.Tensor {
  if ((win.dilation ?? [1, 1]).some((d) => d !== 1)) throw new Error('maxPoolTf: tfjs maxPool has no dilation')
  return tf.maxPool(x as tf.Tensor4D, win.kernel, win.stride ?? [1, 1], explicitPad(win.padding))
}

/** Average pooling as (depthwise window sum) / count, the count a constant: in-bounds taps, or with
 *  countIncludePad also the taps that fall in the padding (a window sum of ones over the padded extent). */
export function avgPoolTf(x: tf.Tensor, win: TfPoolWindow, countIncludePad = false): tf.Tensor {
  const [, H, W, C] = x.shape as [number, number, number, number]
  const [KH, KW] = win.kernel
  const stride = win.stride ?? [1, 1]
  const window = (c: number) => dilateKernel(tf.ones([KH, KW, c, 1]) as tf.Tensor4D, win.dilation)
  const sums = tf.depthwiseConv2d(x as tf.Tensor4D, window(C), stride, explicitPad(win.padding))
  const [t, l, b, r] = win.padding ?? [0, 0, 0, 0]
  const counts = countIncludePad
    ? tf.depthwiseConv2d(tf.ones([1, t + H + b, l + W + r, 1]) as tf.Tensor4D, window(1), stride, 'valid')
    : tf.depthwiseConv2d(tf.ones([1, H, W, 1]) as tf.Tensor4D, window(1), stride, explicitPad(win.padding))
  return tf.div(sums, counts)
}

/** tfjs's built-in avgPool (forward excludes the padding from the count; its cpu gradient does not). */
export function tfAvgPoolBuiltin(x: tf.Tensor, win: TfPoolWindow): tf.Tensor {
  return tf.avgPool(x as tf.Tensor4D, win.kernel, win.stride ?? [1, 1], explicitPad(win.padding))
}

/** Mean softmax cross-entropy of integer labels (tfjs's default reduction divides by the batch size). */
export function softmaxCrossEntropyTf(logits: tf.Tensor, labels: number[]): tf.Tensor {
  const onehot = tf.oneHot(tf.tensor1d(labels, 'int32'), logits.shape[1] as number)
  return tf.losses.softmaxCrossEntropy(onehot, logits)
}

export interface Arg { data: Float64Array; shape: number[] }

/** Forward value of f on float32 copies of the arguments, as float64. */
export function forwardTf(f: (...args: tf.Tensor[]) => tf.Tensor, args: Arg[]): Float64Array {
  return readAndDispose([tf.tidy(() => f(...args.map((a) => tensor(a.data, a.shape))))])[0]
}

/** Vector-Jacobian product by tfjs autodiff: the gradients of the scalar Σ dY ⊙ f(args) w.r.t. every argument. */
export function vjpTf(f: (...args: tf.Tensor[]) => tf.Tensor, args: Arg[], dy: Float64Array): Float64Array[] {
  const loss = (...ts: tf.Tensor[]) => {
    const y = f(...ts)
    return tf.sum(tf.mul(y, tensor(dy, y.shape)))
  }
  return readAndDispose(tf.tidy(() => tf.grads(loss)(args.map((a) => tensor(a.data, a.shape)))))
}

// tf.tidy frees every intermediate but may only return tensors: read the survivors, then free them too.
function readAndDispose(ts: tf.Tensor[]): Float64Array[] {
  const out = ts.map((t) => Float64Array.from(t.dataSync()))
  tf.dispose(ts)
  return out
}
