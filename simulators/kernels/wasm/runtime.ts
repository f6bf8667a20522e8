/**
 * Loads kernels.wasm (embedded as base64 in the generated kernels-wasm.ts) synchronously, once per
 * thread, and plans its one linear memory: each kernel call lays its operands out from address 0 (a
 * call never nests in another), and the memory only grows, when a call needs more than any before, so
 * steady-state calls allocate nothing. Works wherever WebAssembly with SIMD does (Node, its worker
 * threads, Web Workers, browsers); where it does not, `wasmKernels()` is null and callers use the
 * TypeScript kernels.
 */
import { KERNELS_WASM_BASE64 } from './kernels-wasm'

/** The subset of the WebAssembly JS API used here (simulators/ compiles without DOM or Node types). */
interface WasmMemory { readonly buffer: ArrayBuffer; grow(pages: number): number }
interface WasmApi {
  validate(bytes: Uint8Array): boolean
  Module: new (bytes: Uint8Array) => object
  Instance: new (module: object, imports: object) => { readonly exports: Record<string, unknown> }
}

export interface WasmKernels {
  /** C[r·ldc + m] = Σ_k A[r·Kp + k]·B[m·Kp + k] on int16 rows, int32 wrapping sums (see kernels.wat) */
  gemm(a: number, b: number, c: number, R: number, M: number, Kp: number, ldc: number): void
  /** the same sums with B interleaved (interleave), M a multiple of 8, Kp even: for small K */
  gemmBc(a: number, b: number, c: number, R: number, M: number, Kp: number, ldc: number): void
  /** B rows (Mp multiple of 8, Kp even) → the interleaved layout of gemmBc */
  interleave(src: number, Mp: number, Kp: number, dst: number): void
  /** int32 rows → centred int16 rows padded to Kp (and rowsP rows); max row L1 and max |v| to norms[0..1] */
  pack(src: number, rows: number, K: number, Kp: number, zps: number, perRow: number, dst: number, rowsP: number, norms: number): void
  /** im2col of `rows` output pixels from p0 into Pp-long int16 rows; returns the valid tap values */
  im2col(x: number, H: number, W: number, C: number, KH: number, KW: number, sh: number, sw: number, pt: number, pl: number, dh: number, dw: number, oh: number, ow: number, p0: number, rows: number, dst: number, Pp: number): number
  /** f64 results c + bias into dst; returns how many fall outside [lo, hi] */
  epilogue(c: number, ldc: number, rows: number, M: number, bias: number, dst: number, lo: number, hi: number): number
  /** fixed-point requantization (see kernels.wat); clipped count, or −1 when a value needs the TS path */
  requantFixed(src: number, n: number, channels: number, perChannel: number, mults: number, shifts: number, mode: number, zy: number, lo: number, hi: number, lowClips: number, dst: number): number
  /** max pooling of NHWC int32 codes (see kernels.wat); returns the valid taps summed over output pixels */
  maxPool(x: number, N: number, H: number, W: number, C: number, kh: number, kw: number, sh: number, sw: number, pt: number, pl: number, dh: number, dw: number, oh: number, ow: number, lo: number, dst: number): number
  /** depthwise conv sums of centred int16 NHWC x (channels expanded to Cp) and w [taps][Cp] into int32 c [pixels][Cp] (see kernels.wat); returns the valid taps summed over pixels */
  depthwise(x: number, w: number, c: number, taps: number, N: number, H: number, W: number, Cp: number, kh: number, kw: number, sh: number, sw: number, pt: number, pl: number, dh: number, dw: number, oh: number, ow: number): number
  /** 1-input-channel conv sums of pixels p0 … p0+rows−1 from the zero-padded centred image x into int32 c rows (see kernels.wat) */
  convC1(x: number, wq: number, tab: number, T: number, c: number, ldc: number, Mp: number, p0: number, rows: number, oh: number, ow: number, Hp: number, Wp: number, sh: number, sw: number): void
  /** average pooling of NHWC int32 codes (see kernels.wat); Σ (valid count + 1) over output pixels, or −1 when a window has no tap */
  avgPool(x: number, N: number, H: number, W: number, C: number, kh: number, kw: number, sh: number, sw: number, pt: number, pl: number, pb: number, pr: number, dh: number, dw: number, oh: number, ow: number, zp: number, includePad: number, mode: number, sums: number, dst: number): number
  /** makes the memory at least `bytes` long; views must be re-read after a call */
  reserve(bytes: number): void
  /** views of the whole memory (new objects only after the memory grew) */
  i16: Int16Array
  i32: Int32Array
  f64: Float64Array
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'

/** Base64 → bytes without atob/Buffer (neither is in the engine's ECMAScript-only library). */
export function decodeBase64(s: string): Uint8Array {
  const value = new Int16Array(128).fill(-1)
  for (let i = 0; i < ALPHABET.length; i++) value[ALPHABET.charCodeAt(i)] = i
  let n = s.length
  while (n > 0 && s[n - 1] === '=') n--
  const out = new Uint8Array(Math.floor((n * 6) / 8))
  let bits = 0, acc = 0, o = 0
  for (let i = 0; i < n; i++) {
    const v = value[s.charCodeAt(i)]
    if (v < 0) throw new Error(`invalid base64 character at ${i}`)
    acc = (acc << 6) | v
    bits += 6
    if (bits >= 8) { bits -= 8; out[o++] = (acc >> bits) & 0xff }
  }
  return out
}

let loaded: WasmKernels | null | undefined

function load(): WasmKernels | null {
  const api = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly
  if (!api) return null
  const bytes = decodeBase64(KERNELS_WASM_BASE64)
  // validate() is false where the engine lacks SIMD (or any instruction used): use the TS kernels then
  if (!api.validate(bytes)) return null
  let exports: Record<string, unknown>
  try {
    exports = new api.Instance(new api.Module(bytes), {}).exports
  } catch {
    // compilation refused, e.g. by a Content-Security-Policy without 'wasm-unsafe-eval': TS kernels
    return null
  }
  const memory = exports.memory as WasmMemory
  const gemm = exports.gemm_i16 as WasmKernels['gemm']
  const k: WasmKernels = {
    gemm,
    gemmBc: exports.gemm_bc as WasmKernels['gemmBc'],
    interleave: exports.interleave as WasmKernels['interleave'],
    pack: exports.pack_rows as WasmKernels['pack'],
    im2col: exports.im2col as WasmKernels['im2col'],
    epilogue: exports.epilogue as WasmKernels['epilogue'],
    requantFixed: exports.requant_fixed as WasmKernels['requantFixed'],
    maxPool: exports.max_pool as WasmKernels['maxPool'],
    depthwise: exports.depthwise as WasmKernels['depthwise'],
    convC1: exports.conv_c1 as WasmKernels['convC1'],
    avgPool: exports.avg_pool as WasmKernels['avgPool'],
    i16: new Int16Array(memory.buffer),
    i32: new Int32Array(memory.buffer),
    f64: new Float64Array(memory.buffer),
    reserve(bytes: number) {
      const have = memory.buffer.byteLength
      if (bytes <= have) return
      // grow at least ×1.5 so that a sequence of growing calls reallocates O(log) times
      const want = Math.max(bytes, Math.ceil(have * 1.5))
      memory.grow(Math.ceil((want - have) / 65536))
      k.i16 = new Int16Array(memory.buffer)
      k.i32 = new Int32Array(memory.buffer)
      k.f64 = new Float64Array(memory.buffer)
    },
  }
  return k
}

/** The loaded kernels, or null where WebAssembly SIMD is unavailable. */
export function wasmKernels(): WasmKernels | null {
  if (loaded === undefined) loaded = load()
  return loaded
}

/** Rounds n up to a multiple of m (a power of two). */
export function roundUp(n: number, m: number): number {
  return (n + m - 1) & ~(m - 1)
}
