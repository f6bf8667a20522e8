// Minimal, dependency-free protobuf ENCODER for the subset of onnx.proto needed to build a
// single-node ONNX model in memory (test-only reference harness; see ort.ts).
//
// Field numbers are those of the official onnx/onnx.proto (identical in onnx.proto3):
//   ModelProto        ir_version=1 (int64), producer_name=2 (string), graph=7 (GraphProto),
//                     opset_import=8 (repeated OperatorSetIdProto)
//   OperatorSetIdProto domain=1 (string), version=2 (int64)
//   GraphProto        node=1 (repeated NodeProto), name=2 (string), initializer=5 (repeated TensorProto),
//                     input=11, output=12 (repeated ValueInfoProto)
//   NodeProto         input=1, output=2 (repeated string), name=3, op_type=4 (string),
//                     attribute=5 (repeated AttributeProto), domain=7 (string)
//   AttributeProto    name=1 (string), f=2 (float), i=3 (int64), s=4 (bytes), t=5 (TensorProto),
//                     floats=7 (repeated float), ints=8 (repeated int64), type=20 (enum AttributeType)
//   TensorProto       dims=1 (repeated int64), data_type=2 (int32), name=8 (string), raw_data=9 (bytes)
//   ValueInfoProto    name=1 (string), type=2 (TypeProto)
//   TypeProto         tensor_type=1 (TypeProto.Tensor)
//   TypeProto.Tensor  elem_type=1 (int32), shape=2 (TensorShapeProto)
//   TensorShapeProto  dim=1 (repeated Dimension);  Dimension: dim_value=1 (int64), dim_param=2 (string)
//
// Wire format: varint (wire type 0) for int32/int64/enum, 32-bit little-endian (wire type 5) for float,
// length-delimited (wire type 2) for string/bytes/sub-messages. Negative int32/int64 values are encoded as
// 10-byte two's-complement varints, as protobuf requires. Repeated scalars are written unpacked (one tag per
// element): the canonical form for onnx.proto (proto2 syntax); every protobuf parser accepts it.
//
// Pure TypeScript: no Node or DOM imports.

/** TensorProto.DataType values (subset). */
export const DataType = {
  UNDEFINED: 0,
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  UINT16: 4,
  INT16: 5,
  INT32: 6,
  INT64: 7,
  BOOL: 9,
  DOUBLE: 11,
  UINT32: 12,
} as const;
export type DataTypeCode = (typeof DataType)[keyof typeof DataType];

/** AttributeProto.AttributeType values (subset). */
export const AttributeType = {
  UNDEFINED: 0,
  FLOAT: 1,
  INT: 2,
  STRING: 3,
  TENSOR: 4,
  FLOATS: 6,
  INTS: 7,
} as const;

export interface TensorProtoInit {
  name: string;
  dataType: DataTypeCode;
  dims: readonly number[];
  /** Fixed-width little-endian element bytes (row-major). */
  rawData: Uint8Array;
}

export type AttributeInit =
  | { name: string; type: 'int'; i: number }
  | { name: string; type: 'ints'; ints: readonly number[] }
  | { name: string; type: 'float'; f: number }
  | { name: string; type: 'floats'; floats: readonly number[] }
  | { name: string; type: 'string'; s: string }
  | { name: string; type: 'tensor'; t: TensorProtoInit };

export interface NodeProtoInit {
  /** Use '' for an omitted optional input. */
  input: readonly string[];
  output: readonly string[];
  name?: string;
  opType: string;
  domain?: string;
  attribute?: readonly AttributeInit[];
}

export interface ValueInfoInit {
  name: string;
  elemType: DataTypeCode;
  /** Static dims; a string is written as a symbolic dim_param. Omitted: unknown shape (ORT infers it). */
  shape?: readonly (number | string)[];
}

export interface GraphProtoInit {
  node: readonly NodeProtoInit[];
  name: string;
  initializer?: readonly TensorProtoInit[];
  input: readonly ValueInfoInit[];
  output: readonly ValueInfoInit[];
}

export interface OpsetImportInit {
  domain?: string;
  version: number;
}

export interface ModelProtoInit {
  irVersion: number;
  opsetImport: readonly OpsetImportInit[];
  producerName?: string;
  graph: GraphProtoInit;
}

// ---------------------------------------------------------------------------------------------------------
// Low-level writer

const WIRE_VARINT = 0;
const WIRE_LEN = 2;
const WIRE_FIXED32 = 5;

/** UTF-8 bytes of a string (hand-rolled so that this file needs only the ECMAScript library). */
export function utf8Encode(s: string): Uint8Array {
  const out: number[] = [];
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 0x3f));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 0x3f), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
  }
  return Uint8Array.from(out);
}

class Writer {
  private buf = new Uint8Array(256);
  private len = 0;

  private ensure(extra: number): void {
    if (this.len + extra <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + extra) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  byte(b: number): void {
    this.ensure(1);
    this.buf[this.len++] = b & 0xff;
  }

  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }

  /** Unsigned or signed integer as a protobuf varint (int32/int64/enum semantics). */
  varint(v: number | bigint): void {
    if (typeof v === 'number') {
      if (!Number.isSafeInteger(v)) throw new RangeError(`varint: not a safe integer: ${v}`);
      if (v >= 0) {
        // Fast path: split into 7-bit groups using arithmetic (values up to 2^53).
        let n = v;
        while (n >= 0x80) {
          this.byte((n % 0x80) | 0x80);
          n = Math.floor(n / 0x80);
        }
        this.byte(n);
        return;
      }
      v = BigInt(v);
    }
    // Two's complement over 64 bits (negative int32/int64 become 10-byte varints).
    let n = BigInt.asUintN(64, v);
    while (n >= 0x80n) {
      this.byte(Number(n & 0x7fn) | 0x80);
      n >>= 7n;
    }
    this.byte(Number(n));
  }

  tag(field: number, wire: number): void {
    this.varint(field * 8 + wire);
  }

  float32(f: number): void {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, f, true);
    this.bytes(b);
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

// Field helpers. Proto3 semantics: default (zero / empty) scalar fields may be omitted; we always emit the
// fields the caller provides, except where noted.

function fVarint(w: Writer, field: number, v: number | bigint): void {
  w.tag(field, WIRE_VARINT);
  w.varint(v);
}

function fBytes(w: Writer, field: number, b: Uint8Array): void {
  w.tag(field, WIRE_LEN);
  w.varint(b.length);
  w.bytes(b);
}

function fString(w: Writer, field: number, s: string): void {
  fBytes(w, field, utf8Encode(s));
}

function fMessage(w: Writer, field: number, encode: (sub: Writer) => void): void {
  const sub = new Writer();
  encode(sub);
  fBytes(w, field, sub.finish());
}

function fFloat(w: Writer, field: number, f: number): void {
  w.tag(field, WIRE_FIXED32);
  w.float32(f);
}

// ---------------------------------------------------------------------------------------------------------
// Message encoders

function writeTensor(w: Writer, t: TensorProtoInit): void {
  const count = t.dims.reduce((a, d) => a * d, 1);
  const width = elemByteWidth(t.dataType);
  if (width !== undefined && t.rawData.length !== count * width) {
    throw new Error(`tensor ${t.name}: raw_data has ${t.rawData.length} bytes, expected ${count}×${width}`);
  }
  for (const d of t.dims) fVarint(w, 1, d); // dims
  fVarint(w, 2, t.dataType); // data_type
  fString(w, 8, t.name); // name
  fBytes(w, 9, t.rawData); // raw_data
}

function writeAttribute(w: Writer, a: AttributeInit): void {
  fString(w, 1, a.name);
  switch (a.type) {
    case 'float':
      fFloat(w, 2, a.f);
      fVarint(w, 20, AttributeType.FLOAT);
      break;
    case 'int':
      fVarint(w, 3, a.i);
      fVarint(w, 20, AttributeType.INT);
      break;
    case 'string':
      fString(w, 4, a.s);
      fVarint(w, 20, AttributeType.STRING);
      break;
    case 'tensor':
      fMessage(w, 5, (s) => writeTensor(s, a.t));
      fVarint(w, 20, AttributeType.TENSOR);
      break;
    case 'floats':
      for (const f of a.floats) fFloat(w, 7, f);
      fVarint(w, 20, AttributeType.FLOATS);
      break;
    case 'ints':
      for (const i of a.ints) fVarint(w, 8, i);
      fVarint(w, 20, AttributeType.INTS);
      break;
  }
}

function writeNode(w: Writer, n: NodeProtoInit): void {
  for (const s of n.input) fString(w, 1, s);
  for (const s of n.output) fString(w, 2, s);
  if (n.name !== undefined) fString(w, 3, n.name);
  fString(w, 4, n.opType);
  for (const a of n.attribute ?? []) fMessage(w, 5, (s) => writeAttribute(s, a));
  if (n.domain !== undefined && n.domain !== '') fString(w, 7, n.domain);
}

function writeValueInfo(w: Writer, v: ValueInfoInit): void {
  fString(w, 1, v.name);
  fMessage(w, 2, (typeProto) => {
    fMessage(typeProto, 1, (tensorType) => {
      fVarint(tensorType, 1, v.elemType);
      const dims = v.shape;
      if (dims === undefined) return;
      fMessage(tensorType, 2, (shape) => {
        for (const d of dims) {
          fMessage(shape, 1, (dim) => {
            if (typeof d === 'number') fVarint(dim, 1, d);
            else fString(dim, 2, d);
          });
        }
      });
    });
  });
}

function writeGraph(w: Writer, g: GraphProtoInit): void {
  for (const n of g.node) fMessage(w, 1, (s) => writeNode(s, n));
  fString(w, 2, g.name);
  for (const t of g.initializer ?? []) fMessage(w, 5, (s) => writeTensor(s, t));
  for (const v of g.input) fMessage(w, 11, (s) => writeValueInfo(s, v));
  for (const v of g.output) fMessage(w, 12, (s) => writeValueInfo(s, v));
}

/** Serialize a ModelProto to protobuf bytes (what InferenceSession.create accepts). */
export function encodeModel(m: ModelProtoInit): Uint8Array {
  const w = new Writer();
  fVarint(w, 1, m.irVersion);
  if (m.producerName !== undefined) fString(w, 2, m.producerName);
  fMessage(w, 7, (s) => writeGraph(s, m.graph));
  for (const o of m.opsetImport) {
    fMessage(w, 8, (s) => {
      if (o.domain !== undefined && o.domain !== '') fString(s, 1, o.domain);
      fVarint(s, 2, o.version);
    });
  }
  return w.finish();
}

// ---------------------------------------------------------------------------------------------------------
// Raw-data helpers (little-endian, fixed width)

export function elemByteWidth(dt: number): number | undefined {
  switch (dt) {
    case DataType.UINT8:
    case DataType.INT8:
    case DataType.BOOL:
      return 1;
    case DataType.UINT16:
    case DataType.INT16:
      return 2;
    case DataType.FLOAT:
    case DataType.INT32:
    case DataType.UINT32:
      return 4;
    case DataType.INT64:
    case DataType.DOUBLE:
      return 8;
    default:
      return undefined;
  }
}

/** Little-endian raw bytes of a numeric array in the given ONNX data type. */
export function rawBytes(dt: DataTypeCode, values: ArrayLike<number>): Uint8Array {
  const n = values.length;
  const width = elemByteWidth(dt);
  if (width === undefined) throw new Error(`rawBytes: unsupported data type ${dt}`);
  const out = new Uint8Array(n * width);
  const view = new DataView(out.buffer);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    switch (dt) {
      case DataType.UINT8:
      case DataType.BOOL:
        view.setUint8(i, v);
        break;
      case DataType.INT8:
        view.setInt8(i, v);
        break;
      case DataType.UINT16:
        view.setUint16(i * 2, v, true);
        break;
      case DataType.INT16:
        view.setInt16(i * 2, v, true);
        break;
      case DataType.INT32:
        view.setInt32(i * 4, v, true);
        break;
      case DataType.UINT32:
        view.setUint32(i * 4, v, true);
        break;
      case DataType.FLOAT:
        view.setFloat32(i * 4, v, true);
        break;
      case DataType.DOUBLE:
        view.setFloat64(i * 8, v, true);
        break;
      case DataType.INT64:
        view.setBigInt64(i * 8, BigInt(v), true);
        break;
    }
  }
  return out;
}
