/**
 * The WebAssembly SIMD backend: dense and conv2d on the exact int16×int16→int32 GEMM of
 * wasm/kernels.wat and fixed-point requantization where they reproduce the TypeScript reference bit for
 * bit (wasm/mac.ts, wasm/requantize.ts), max and average pooling (wasm/pool.ts), depthwise conv (wasm/depthwise.ts),
 * the TypeScript kernels for everything else. Selected by default (registry.ts) where WebAssembly SIMD
 * is available.
 */
import type { KernelBackend } from './backend'
import { typescriptBackend } from './typescript-backend'
import { dense } from './dense'
import { conv2d } from './conv2d'
import { wasmConv2d, wasmDense } from './wasm/mac'
import { wasmRequantize } from './wasm/requantize'
import { requantize } from './requantize'
import { wasmKernels } from './wasm/runtime'
import { wasmAvgPool2d, wasmMaxPool2d } from './wasm/pool'
import { avgPool2d, maxPool2d } from './pool2d'
import { wasmDepthwiseConv2d } from './wasm/depthwise'
import { depthwiseConv2d } from './depthwise-conv2d'

export const wasmBackend: KernelBackend = {
  ...typescriptBackend,
  id: 'wasm-simd',
  label: 'WebAssembly SIMD (exact; TypeScript where not covered)',
  dense: (a, work) => { if (!wasmDense(a, work)) dense(a, work) },
  conv2d: (a, work) => { if (!wasmConv2d(a, work)) conv2d(a, work) },
  requantize: (a, work) => { if (!wasmRequantize(a, work)) requantize(a, work) },
  maxPool2d: (a, work) => { if (!wasmMaxPool2d(a, work)) maxPool2d(a, work) },
  avgPool2d: (a, work) => { if (!wasmAvgPool2d(a, work)) avgPool2d(a, work) },
  depthwiseConv2d: (a, work) => { if (!wasmDepthwiseConv2d(a, work)) depthwiseConv2d(a, work) },
}

/** True when the WASM kernels load here (WebAssembly with SIMD). */
export function wasmAvailable(): boolean {
  return wasmKernels() !== null
}
