// Reference oracle: run single ONNX integer operators in onnxruntime (the real ORT CPU kernels, compiled to
// WebAssembly, via onnxruntime-web's wasm backend) from Node, on typed arrays. Test-only harness.
//
// Each helper builds a one-node ONNX model in memory (onnx-proto.ts), creates an InferenceSession for it
// (cached per op/types/shapes/attributes; all data, scales and zero points are runtime feeds, so one session
// serves any values of the same signature), runs it and returns the output as a typed array.
//
// Loading: in Node, `import 'onnxruntime-web'` resolves (package "exports", condition "node") to
// dist/ort.node.min.mjs, which loads dist/ort-wasm-simd-threaded.{mjs,wasm} from its own directory through
// import.meta.url: no network, no Node imports needed here. We force single-threaded execution
// (env.wasm.numThreads = 1) so no worker threads are spawned.
//
// Graph optimizations are disabled: a one-node graph has nothing to fuse, and we want the plain kernel.

import * as ort from 'onnxruntime-web';
import type { InferenceSession, Tensor } from 'onnxruntime-web';
import { DataType, encodeModel, rawBytes } from './onnx-proto';
import type { AttributeInit, DataTypeCode, TensorProtoInit, ValueInfoInit } from './onnx-proto';

export type QType = 'int8' | 'uint8';
export type QArray = Int8Array | Uint8Array;

/** Opset versions used (the lowest at which ORT 1.30 has a CPU kernel for the op with the needed types). */
export const OPSET = {
  MatMulInteger: 10,
  ConvInteger: 10,
  QLinearMatMul: 10,
  QLinearConv: 10,
  /** 13 introduces per-axis scales/zero points (`axis` attribute). */
  QuantizeLinear: 13,
  DequantizeLinear: 13,
  /** 12 introduces int8/uint8 MaxPool. */
  MaxPool: 12,
} as const;

// ---------------------------------------------------------------------------------------------------------
// Runtime setup and session cache

let configured = false;
function configure(): void {
  if (configured) return;
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.proxy = false;
  ort.env.logLevel = 'error';
  configured = true;
}

const sessions = new Map<string, Promise<InferenceSession>>();

/** Number of distinct sessions created so far (for tests / timing). */
export function ortSessionCount(): number {
  return sessions.size;
}

/** Release all cached sessions. */
export async function ortDisposeSessions(): Promise<void> {
  const all = [...sessions.values()];
  sessions.clear();
  for (const p of all) {
    try {
      await (await p).release();
    } catch {
      // creation failed: nothing to release
    }
  }
}

interface FeedSpec {
  name: string;
  dataType: DataTypeCode;
  dims: readonly number[];
  data: ArrayLike<number>;
}

interface SingleNodeSpec {
  opType: string;
  domain?: string;
  opset: number;
  /** Node inputs in order; null marks an omitted optional input ('' in the NodeProto). */
  inputs: readonly (FeedSpec | null)[];
  outputs: readonly { name: string; dataType: DataTypeCode }[];
  attributes?: readonly AttributeInit[];
  /** Put these inputs into graph initializers (constants) instead of feeds; the session is then not cached. */
  constantInputs?: ReadonlySet<string>;
}

const TYPED: Record<number, new (n: number) => ArrayLike<number> & { [i: number]: number }> = {
  [DataType.FLOAT]: Float32Array,
  [DataType.UINT8]: Uint8Array,
  [DataType.INT8]: Int8Array,
  [DataType.INT32]: Int32Array,
  [DataType.UINT16]: Uint16Array,
  [DataType.INT16]: Int16Array,
};
const ORT_TYPE: Record<number, Tensor.Type> = {
  [DataType.FLOAT]: 'float32',
  [DataType.UINT8]: 'uint8',
  [DataType.INT8]: 'int8',
  [DataType.INT32]: 'int32',
  [DataType.UINT16]: 'uint16',
  [DataType.INT16]: 'int16',
};

function toTyped(dt: DataTypeCode, data: ArrayLike<number>): ArrayLike<number> {
  const Ctor = TYPED[dt];
  if (Ctor === undefined) throw new Error(`unsupported data type ${dt}`);
  if (data instanceof Ctor) return data;
  const out = new Ctor(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (dt !== DataType.FLOAT) checkRange(dt, v);
    out[i] = v;
  }
  return out;
}

function checkRange(dt: DataTypeCode, v: number): void {
  const [lo, hi] =
    dt === DataType.INT8 ? [-128, 127] : dt === DataType.UINT8 ? [0, 255] : [-(2 ** 31), 2 ** 31 - 1];
  if (!Number.isInteger(v) || v < lo || v > hi) throw new RangeError(`value ${v} out of range for type ${dt}`);
}

function sizeOf(dims: readonly number[]): number {
  return dims.reduce((a, d) => a * d, 1);
}

function attrKey(a: AttributeInit): string {
  switch (a.type) {
    case 'int':
      return `${a.name}=${a.i}`;
    case 'ints':
      return `${a.name}=[${a.ints.join(',')}]`;
    case 'float':
      return `${a.name}=${a.f}`;
    case 'floats':
      return `${a.name}=[${a.floats.join(',')}]`;
    case 'string':
      return `${a.name}="${a.s}"`;
    case 'tensor':
      return `${a.name}=<tensor>`;
  }
}

async function runSingleNode(spec: SingleNodeSpec): Promise<Tensor[]> {
  configure();
  const consts = spec.constantInputs ?? new Set<string>();
  for (const f of spec.inputs) {
    if (f !== null && sizeOf(f.dims) !== f.data.length) {
      throw new Error(`${spec.opType}: input ${f.name} has ${f.data.length} elements, shape [${f.dims.join(',')}]`);
    }
  }
  const graphInputs: ValueInfoInit[] = [];
  const initializers: TensorProtoInit[] = [];
  const feeds: Record<string, Tensor> = {};
  for (const f of spec.inputs) {
    if (f === null) continue;
    if (consts.has(f.name)) {
      initializers.push({ name: f.name, dataType: f.dataType, dims: f.dims, rawData: rawBytes(f.dataType, f.data) });
    } else {
      graphInputs.push({ name: f.name, elemType: f.dataType, shape: f.dims });
      const t = ORT_TYPE[f.dataType];
      if (t === undefined) throw new Error(`unsupported feed type ${f.dataType}`);
      feeds[f.name] = new ort.Tensor(t, toTyped(f.dataType, f.data) as Tensor.DataType, [...f.dims]);
    }
  }
  const model = encodeModel({
    irVersion: 8,
    producerName: 'lastmile-ort-oracle',
    opsetImport: [{ domain: spec.domain ?? '', version: spec.opset }],
    graph: {
      name: spec.opType,
      node: [
        {
          opType: spec.opType,
          domain: spec.domain,
          name: 'n0',
          input: spec.inputs.map((f) => (f === null ? '' : f.name)),
          output: spec.outputs.map((o) => o.name),
          attribute: spec.attributes ?? [],
        },
      ],
      initializer: initializers,
      input: graphInputs,
      // Output shape left unspecified: ORT infers it.
      output: spec.outputs.map((o): ValueInfoInit => ({ name: o.name, elemType: o.dataType })),
    },
  });

  let session: InferenceSession;
  const options: InferenceSession.SessionOptions = {
    executionProviders: ['wasm'],
    graphOptimizationLevel: 'disabled',
    logSeverityLevel: 3,
  };
  if (initializers.length > 0) {
    session = await ort.InferenceSession.create(model, options);
    try {
      return await runSession(session, feeds, spec);
    } finally {
      await session.release();
    }
  }
  const key = [
    spec.domain ?? '',
    spec.opType,
    spec.opset,
    ...spec.inputs.map((f) => (f === null ? '-' : `${f.name}:${f.dataType}[${f.dims.join(',')}]`)),
    ...spec.outputs.map((o) => `${o.name}:${o.dataType}`),
    ...(spec.attributes ?? []).map(attrKey),
  ].join('|');
  let p = sessions.get(key);
  if (p === undefined) {
    p = ort.InferenceSession.create(model, options);
    sessions.set(key, p);
    p.catch(() => sessions.delete(key));
  }
  session = await p;
  return runSession(session, feeds, spec);
}

async function runSession(
  session: InferenceSession,
  feeds: Record<string, Tensor>,
  spec: SingleNodeSpec,
): Promise<Tensor[]> {
  const out = await session.run(feeds);
  return spec.outputs.map((o) => {
    const t = out[o.name];
    if (t === undefined) throw new Error(`${spec.opType}: missing output ${o.name}`);
    return t;
  });
}

// ---------------------------------------------------------------------------------------------------------
// Helpers for building feeds

function qdt(t: QType): DataTypeCode {
  return t === 'int8' ? DataType.INT8 : DataType.UINT8;
}

/** Scalar (rank-0) or 1-D feed. */
function scalarOr1D(name: string, dt: DataTypeCode, v: number | ArrayLike<number>): FeedSpec {
  if (typeof v === 'number') return { name, dataType: dt, dims: [], data: [v] };
  return { name, dataType: dt, dims: [v.length], data: v };
}

function asQArray(t: Tensor): QArray {
  const d = t.data;
  if (d instanceof Int8Array || d instanceof Uint8Array) return d;
  throw new Error(`expected int8/uint8 output, got ${t.type}`);
}

function asInt32(t: Tensor): Int32Array {
  const d = t.data;
  if (d instanceof Int32Array) return d;
  throw new Error(`expected int32 output, got ${t.type}`);
}

function asFloat32(t: Tensor): Float32Array {
  const d = t.data;
  if (d instanceof Float32Array) return d;
  throw new Error(`expected float32 output, got ${t.type}`);
}

export interface ConvGeometry {
  /** Default: all 1. */
  strides?: readonly number[];
  /** [x1_begin, x2_begin, ..., x1_end, x2_end, ...], i.e. [top, left, bottom, right] in 2-D. Default: all 0. */
  pads?: readonly number[];
  /** Default: all 1. */
  dilations?: readonly number[];
  /** Default: 1. */
  group?: number;
}

function convAttributes(wShape: readonly number[], g: ConvGeometry): AttributeInit[] {
  const spatial = wShape.length - 2;
  const attrs: AttributeInit[] = [
    { name: 'kernel_shape', type: 'ints', ints: wShape.slice(2) },
    { name: 'strides', type: 'ints', ints: g.strides ?? new Array<number>(spatial).fill(1) },
    { name: 'pads', type: 'ints', ints: g.pads ?? new Array<number>(2 * spatial).fill(0) },
    { name: 'dilations', type: 'ints', ints: g.dilations ?? new Array<number>(spatial).fill(1) },
    { name: 'group', type: 'int', i: g.group ?? 1 },
  ];
  return attrs;
}

export interface OrtCallOptions {
  /**
   * Put weights (b / w, bias) and all scales / zero points into graph initializers, as in a deployed model,
   * instead of feeding them at run time. Some ORT kernels take a different (prepacked) path for constant
   * weights. Sessions are then created per call and not cached. Default false.
   */
  constantWeights?: boolean;
}

// ---------------------------------------------------------------------------------------------------------
// MatMulInteger (opset 10): Y[int32] = (A - a_zp) · (B - b_zp)

export interface MatMulIntegerArgs extends OrtCallOptions {
  a: ArrayLike<number>;
  /** [M, K] (leading batch dims allowed, numpy-style broadcast). */
  aShape: readonly number[];
  aType: QType;
  b: ArrayLike<number>;
  /** [K, N] (leading batch dims allowed). */
  bShape: readonly number[];
  bType: QType;
  /** Scalar. */
  aZeroPoint?: number;
  /** Scalar, or per column (length N). */
  bZeroPoint?: number | ArrayLike<number>;
}

export async function ortMatMulInteger(args: MatMulIntegerArgs): Promise<Int32Array> {
  const ta = qdt(args.aType);
  const tb = qdt(args.bType);
  const hasB = args.bZeroPoint !== undefined;
  const hasA = args.aZeroPoint !== undefined || hasB;
  const inputs: (FeedSpec | null)[] = [
    { name: 'A', dataType: ta, dims: args.aShape, data: args.a },
    { name: 'B', dataType: tb, dims: args.bShape, data: args.b },
  ];
  if (hasA) inputs.push(args.aZeroPoint === undefined ? null : scalarOr1D('a_zero_point', ta, args.aZeroPoint));
  if (hasB && args.bZeroPoint !== undefined) inputs.push(scalarOr1D('b_zero_point', tb, args.bZeroPoint));
  const [y] = await runSingleNode({
    opType: 'MatMulInteger',
    opset: OPSET.MatMulInteger,
    inputs,
    outputs: [{ name: 'Y', dataType: DataType.INT32 }],
    constantInputs: args.constantWeights ? new Set(['B', 'a_zero_point', 'b_zero_point']) : undefined,
  });
  return asInt32(y);
}

// ---------------------------------------------------------------------------------------------------------
// ConvInteger (opset 10): Y[int32] = conv(X - x_zp, W - w_zp), no bias

export interface ConvIntegerArgs extends ConvGeometry, OrtCallOptions {
  /** NCHW (or NCW / NCDHW). */
  x: ArrayLike<number>;
  xShape: readonly number[];
  xType: QType;
  /** OIHW with I = C / group. */
  w: ArrayLike<number>;
  wShape: readonly number[];
  wType: QType;
  /** Scalar. */
  xZeroPoint?: number;
  /** Scalar. (ORT 1.30 rejects a per-output-channel w_zero_point for ConvInteger at run time.) */
  wZeroPoint?: number | ArrayLike<number>;
}

/** ConvInteger. ORT 1.30 accepts all four int8/uint8 combinations of x and w. */
export async function ortConvInteger(args: ConvIntegerArgs): Promise<{ data: Int32Array; shape: number[] }> {
  const tx = qdt(args.xType);
  const tw = qdt(args.wType);
  const inputs: (FeedSpec | null)[] = [
    { name: 'x', dataType: tx, dims: args.xShape, data: args.x },
    { name: 'w', dataType: tw, dims: args.wShape, data: args.w },
  ];
  const hasW = args.wZeroPoint !== undefined;
  if (args.xZeroPoint !== undefined || hasW) {
    inputs.push(args.xZeroPoint === undefined ? null : scalarOr1D('x_zero_point', tx, args.xZeroPoint));
  }
  if (args.wZeroPoint !== undefined) inputs.push(scalarOr1D('w_zero_point', tw, args.wZeroPoint));
  const [y] = await runSingleNode({
    opType: 'ConvInteger',
    opset: OPSET.ConvInteger,
    inputs,
    outputs: [{ name: 'y', dataType: DataType.INT32 }],
    attributes: convAttributes(args.wShape, args),
    constantInputs: args.constantWeights ? new Set(['w', 'x_zero_point', 'w_zero_point']) : undefined,
  });
  return { data: asInt32(y), shape: [...y.dims] };
}

// ---------------------------------------------------------------------------------------------------------
// QLinearMatMul (opset 10): y = saturate(round(((A - a_zp) · (B - b_zp)) * a_scale * b_scale / y_scale) + y_zp)

export interface QLinearMatMulArgs extends OrtCallOptions {
  a: ArrayLike<number>;
  aShape: readonly number[];
  aType: QType;
  aScale: number;
  aZeroPoint: number;
  b: ArrayLike<number>;
  bShape: readonly number[];
  bType: QType;
  /** Scalar, or per column (length N). */
  bScale: number | ArrayLike<number>;
  /** Scalar, or per column (length N). */
  bZeroPoint: number | ArrayLike<number>;
  yScale: number;
  yZeroPoint: number;
  /** ORT 1.30 registers only u8×u8→u8, u8×s8→u8 and s8×s8→s8 (others: "Could not find an implementation"). */
  yType: QType;
}

export async function ortQLinearMatMul(args: QLinearMatMulArgs): Promise<QArray> {
  const ta = qdt(args.aType);
  const tb = qdt(args.bType);
  const ty = qdt(args.yType);
  const [y] = await runSingleNode({
    opType: 'QLinearMatMul',
    opset: OPSET.QLinearMatMul,
    inputs: [
      { name: 'a', dataType: ta, dims: args.aShape, data: args.a },
      scalarOr1D('a_scale', DataType.FLOAT, args.aScale),
      scalarOr1D('a_zero_point', ta, args.aZeroPoint),
      { name: 'b', dataType: tb, dims: args.bShape, data: args.b },
      scalarOr1D('b_scale', DataType.FLOAT, args.bScale),
      scalarOr1D('b_zero_point', tb, args.bZeroPoint),
      scalarOr1D('y_scale', DataType.FLOAT, args.yScale),
      scalarOr1D('y_zero_point', ty, args.yZeroPoint),
    ],
    outputs: [{ name: 'y', dataType: ty }],
    constantInputs: args.constantWeights
      ? new Set(['a_scale', 'a_zero_point', 'b', 'b_scale', 'b_zero_point', 'y_scale', 'y_zero_point'])
      : undefined,
  });
  return asQArray(y);
}

// ---------------------------------------------------------------------------------------------------------
// QLinearConv (opset 10)

export interface QLinearConvArgs extends ConvGeometry, OrtCallOptions {
  x: ArrayLike<number>;
  xShape: readonly number[];
  xType: QType;
  xScale: number;
  xZeroPoint: number;
  w: ArrayLike<number>;
  wShape: readonly number[];
  wType: QType;
  /** Scalar, or per output channel (length O). */
  wScale: number | ArrayLike<number>;
  /** Scalar, or per output channel (length O; distinct values are honoured by ORT 1.30). */
  wZeroPoint: number | ArrayLike<number>;
  yScale: number;
  yZeroPoint: number;
  /** As for QLinearMatMul: u8×u8→u8, u8×s8→u8, s8×s8→s8 only. */
  yType: QType;
  /** int32, length O; quantized with scale x_scale * w_scale and zero point 0. */
  bias?: ArrayLike<number>;
}

export async function ortQLinearConv(args: QLinearConvArgs): Promise<{ data: QArray; shape: number[] }> {
  const tx = qdt(args.xType);
  const tw = qdt(args.wType);
  const ty = qdt(args.yType);
  const inputs: (FeedSpec | null)[] = [
    { name: 'x', dataType: tx, dims: args.xShape, data: args.x },
    scalarOr1D('x_scale', DataType.FLOAT, args.xScale),
    scalarOr1D('x_zero_point', tx, args.xZeroPoint),
    { name: 'w', dataType: tw, dims: args.wShape, data: args.w },
    scalarOr1D('w_scale', DataType.FLOAT, args.wScale),
    scalarOr1D('w_zero_point', tw, args.wZeroPoint),
    scalarOr1D('y_scale', DataType.FLOAT, args.yScale),
    scalarOr1D('y_zero_point', ty, args.yZeroPoint),
  ];
  if (args.bias !== undefined) inputs.push({ name: 'B', dataType: DataType.INT32, dims: [args.bias.length], data: args.bias });
  const [y] = await runSingleNode({
    opType: 'QLinearConv',
    opset: OPSET.QLinearConv,
    inputs,
    outputs: [{ name: 'y', dataType: ty }],
    attributes: convAttributes(args.wShape, args),
    constantInputs: args.constantWeights
      ? new Set(['x_scale', 'x_zero_point', 'w', 'w_scale', 'w_zero_point', 'y_scale', 'y_zero_point', 'B'])
      : undefined,
  });
  return { data: asQArray(y), shape: [...y.dims] };
}

// ---------------------------------------------------------------------------------------------------------
// QuantizeLinear / DequantizeLinear (opset 13: per-tensor, or per-axis with `axis`)

export interface QuantizeLinearArgs extends OrtCallOptions {
  x: ArrayLike<number>;
  shape: readonly number[];
  /** Scalar (per tensor) or 1-D of length shape[axis] (per axis). */
  scale: number | ArrayLike<number>;
  zeroPoint: number | ArrayLike<number>;
  yType: QType;
  /** Only used for per-axis quantization. Default 1. */
  axis?: number;
}

export async function ortQuantizeLinear(args: QuantizeLinearArgs): Promise<QArray> {
  const ty = qdt(args.yType);
  const [y] = await runSingleNode({
    opType: 'QuantizeLinear',
    opset: OPSET.QuantizeLinear,
    inputs: [
      { name: 'x', dataType: DataType.FLOAT, dims: args.shape, data: args.x },
      scalarOr1D('y_scale', DataType.FLOAT, args.scale),
      scalarOr1D('y_zero_point', ty, args.zeroPoint),
    ],
    outputs: [{ name: 'y', dataType: ty }],
    attributes: [{ name: 'axis', type: 'int', i: args.axis ?? 1 }],
    constantInputs: args.constantWeights ? new Set(['y_scale', 'y_zero_point']) : undefined,
  });
  return asQArray(y);
}

export interface DequantizeLinearArgs extends OrtCallOptions {
  x: ArrayLike<number>;
  shape: readonly number[];
  xType: QType;
  scale: number | ArrayLike<number>;
  zeroPoint: number | ArrayLike<number>;
  axis?: number;
}

export async function ortDequantizeLinear(args: DequantizeLinearArgs): Promise<Float32Array> {
  const tx = qdt(args.xType);
  const [y] = await runSingleNode({
    opType: 'DequantizeLinear',
    opset: OPSET.DequantizeLinear,
    inputs: [
      { name: 'x', dataType: tx, dims: args.shape, data: args.x },
      scalarOr1D('x_scale', DataType.FLOAT, args.scale),
      scalarOr1D('x_zero_point', tx, args.zeroPoint),
    ],
    outputs: [{ name: 'y', dataType: DataType.FLOAT }],
    attributes: [{ name: 'axis', type: 'int', i: args.axis ?? 1 }],
    constantInputs: args.constantWeights ? new Set(['x_scale', 'x_zero_point']) : undefined,
  });
  return asFloat32(y);
}

// ---------------------------------------------------------------------------------------------------------
// MaxPool (opset 12, int8 / uint8)
//
// AveragePool / GlobalAveragePool / GlobalMaxPool do not accept int8/uint8 (ONNX type check fails at session
// creation). The wasm build does contain the contrib ops com.microsoft QLinearAveragePool and
// QLinearGlobalAveragePool (int8 and uint8), which are not wrapped here.

export interface PoolArgs {
  x: ArrayLike<number>;
  /** NCHW (or NCW / NCDHW). */
  xShape: readonly number[];
  xType: QType;
  kernelShape: readonly number[];
  strides?: readonly number[];
  pads?: readonly number[];
  dilations?: readonly number[];
  ceilMode?: boolean;
}

export async function ortMaxPool(args: PoolArgs): Promise<{ data: QArray; shape: number[] }> {
  const tx = qdt(args.xType);
  const spatial = args.kernelShape.length;
  const [y] = await runSingleNode({
    opType: 'MaxPool',
    opset: OPSET.MaxPool,
    inputs: [{ name: 'x', dataType: tx, dims: args.xShape, data: args.x }],
    outputs: [{ name: 'y', dataType: tx }],
    attributes: [
      { name: 'kernel_shape', type: 'ints', ints: args.kernelShape },
      { name: 'strides', type: 'ints', ints: args.strides ?? new Array<number>(spatial).fill(1) },
      { name: 'pads', type: 'ints', ints: args.pads ?? new Array<number>(2 * spatial).fill(0) },
      { name: 'dilations', type: 'ints', ints: args.dilations ?? new Array<number>(spatial).fill(1) },
      { name: 'ceil_mode', type: 'int', i: args.ceilMode ? 1 : 0 },
    ],
  });
  return { data: asQArray(y), shape: [...y.dims] };
}

// ---------------------------------------------------------------------------------------------------------
// The requantization ORT performs (QLinearMatMul / QLinearConv, onnxruntime-web 1.30 wasm; verified bit-exactly
// in ort.test.ts; see also the probe results in the commit message):
//   multiplier = fround(fround(aScale * bScale) / yScale)         (C++ float: a*b rounded to f32, then / y)
//   y = clamp(roundHalfEven(fround(fround(acc + bias) * multiplier)) + yZeroPoint, qmin, qmax)
// with acc + bias an int32 sum (bias added before scaling) and fround(int32) the int32 → float32 conversion.

/** fround(fround(aScale * bScale) / yScale): ORT's per-tensor / per-column output multiplier. */
export function ortOutputMultiplier(aScale: number, bScale: number, yScale: number): number {
  return Math.fround(Math.fround(Math.fround(aScale) * Math.fround(bScale)) / Math.fround(yScale));
}

/** Round half to even of a finite number. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x); // rounds .5 toward +∞
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** ORT's requantization of an int32 accumulator (already including bias) to int8 / uint8. */
export function ortRequantize(acc: number, multiplier: number, yZeroPoint: number, yType: QType): number {
  const v = roundHalfEven(Math.fround(Math.fround(acc | 0) * multiplier)) + yZeroPoint;
  const [lo, hi] = yType === 'int8' ? [-128, 127] : [0, 255];
  return v < lo ? lo : v > hi ? hi : v;
}
