// @vitest-environment node
// Sanity tests for the onnxruntime-web reference oracle (ort.ts) and the ONNX protobuf encoder (onnx-proto.ts):
// tiny hand-computed cases for each helper, plus randomized cross-checks against exact JS integer loops and
// the float32 requantization model that ORT was found to implement.

import { afterAll, describe, expect, test } from 'vitest';
import { encodeModel, rawBytes, DataType, utf8Encode } from './onnx-proto';
import {
  ortConvInteger,
  ortDequantizeLinear,
  ortDisposeSessions,
  ortMatMulInteger,
  ortMaxPool,
  ortOutputMultiplier,
  ortQLinearConv,
  ortQLinearMatMul,
  ortQuantizeLinear,
  ortRequantize,
  roundHalfEven,
} from './ort';
import type { QType } from './ort';

afterAll(async () => {
  await ortDisposeSessions();
});

// Deterministic PRNG (mulberry32).
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const lo = (t: QType): number => (t === 'int8' ? -128 : 0);

describe('onnx-proto encoder', () => {
  test('varints, negative int64, floats and nesting are encoded per the protobuf wire format', () => {
    const bytes = encodeModel({
      irVersion: 300, // varint 0xAC 0x02
      opsetImport: [{ version: 13 }],
      graph: {
        name: 'g',
        node: [{ opType: 'X', input: ['a'], output: ['b'], attribute: [{ name: 'k', type: 'int', i: -1 }] }],
        input: [],
        output: [],
      },
    });
    // ModelProto.ir_version = field 1, varint: tag 0x08, value 300 = 0xAC 0x02.
    expect([...bytes.slice(0, 3)]).toEqual([0x08, 0xac, 0x02]);
    // AttributeProto.i = -1 → field 3 varint with ten bytes (two's complement over 64 bits).
    const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
    expect(hex).toContain('18' + 'ff'.repeat(9) + '01');
    // AttributeProto.type = INT(2): field 20 → tag (20 << 3) | 0 = 160 = 0xA0 0x01.
    expect(hex).toContain('a00102');
    // opset_import: field 8 (tag 0x42), length 2, {version (tag 0x10) = 13}.
    expect(hex.endsWith('4202100d')).toBe(true);
  });

  test('utf8Encode', () => {
    expect([...utf8Encode('A\u00e9\u20ac\u{1f600}')]).toEqual([0x41, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80]);
  });

  test('rawBytes is little-endian fixed width', () => {
    expect([...rawBytes(DataType.INT8, [-1, 2])]).toEqual([0xff, 0x02]);
    expect([...rawBytes(DataType.INT32, [-2])]).toEqual([0xfe, 0xff, 0xff, 0xff]);
    expect([...rawBytes(DataType.FLOAT, [1])]).toEqual([0x00, 0x00, 0x80, 0x3f]);
  });
});

describe('MatMulInteger', () => {
  test('2x3 · 3x2 uint8 with scalar zero points (hand-computed)', async () => {
    // (A-1) = [[0,1,2],[3,4,5]], (B-2) = [[-1,0],[1,2],[3,4]]
    const y = await ortMatMulInteger({
      a: [1, 2, 3, 4, 5, 6], aShape: [2, 3], aType: 'uint8', aZeroPoint: 1,
      b: [1, 2, 3, 4, 5, 6], bShape: [3, 2], bType: 'uint8', bZeroPoint: 2,
    });
    expect([...y]).toEqual([7, 10, 16, 28]);
  });

  test('b zero point only (a_zero_point passed as an omitted optional input)', async () => {
    const y = await ortMatMulInteger({
      a: [1, 2, 3, 4, 5, 6], aShape: [2, 3], aType: 'uint8',
      b: [1, 2, 3, 4, 5, 6], bShape: [3, 2], bType: 'uint8', bZeroPoint: 2,
    });
    expect([...y]).toEqual([10, 16, 19, 34]);
  });

  test('per-column b zero point', async () => {
    // (B - [1,3]) = [[0,-1],[2,1],[4,3]]
    const y = await ortMatMulInteger({
      a: [1, 2, 3, 4, 5, 6], aShape: [2, 3], aType: 'uint8', aZeroPoint: 1,
      b: [1, 2, 3, 4, 5, 6], bShape: [3, 2], bType: 'uint8', bZeroPoint: [1, 3],
    });
    expect([...y]).toEqual([10, 7, 28, 16]);
  });

  test('extremes: int8×int8 and uint8×int8 without int16 saturation', async () => {
    expect([
      ...(await ortMatMulInteger({ a: [-128, 127], aShape: [1, 2], aType: 'int8', b: [-128, 127], bShape: [2, 1], bType: 'int8' })),
    ]).toEqual([16384 + 16129]);
    // 255·127 + 255·127 = 64770 > int16 max: native x86 (no VNNI) u8×s8 would saturate a pairwise int16 sum.
    expect([
      ...(await ortMatMulInteger({ a: [255, 255], aShape: [1, 2], aType: 'uint8', b: [127, 127], bShape: [2, 1], bType: 'int8' })),
    ]).toEqual([64770]);
  });

  test.each([
    ['uint8', 'uint8'],
    ['uint8', 'int8'],
    ['int8', 'int8'],
    ['int8', 'uint8'],
  ] as [QType, QType][])('random %s × %s equals the exact integer product', async (ta, tb) => {
    const r = rng(1);
    const ri = (t: QType): number => lo(t) + Math.floor(r() * 256);
    const [M, K, N] = [9, 300, 7];
    const a = Array.from({ length: M * K }, () => ri(ta));
    const b = Array.from({ length: K * N }, () => ri(tb));
    const aZ = ri(ta);
    const bZ = Array.from({ length: N }, () => ri(tb));
    const y = await ortMatMulInteger({ a, aShape: [M, K], aType: ta, b, bShape: [K, N], bType: tb, aZeroPoint: aZ, bZeroPoint: bZ });
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < N; j++) {
        let acc = 0;
        for (let k = 0; k < K; k++) acc += (a[i * K + k] - aZ) * (b[k * N + j] - bZ[j]);
        expect(y[i * N + j]).toBe(acc);
      }
    }
  });
});

describe('ConvInteger', () => {
  // x - 1 = [[0,1,2],[3,4,5],[6,7,8]]; padding contributes x_zero_point, i.e. 0 after subtraction.
  const x = [1, 2, 3, 4, 5, 6, 7, 8, 9];
  const w = new Array<number>(9).fill(1);

  test('1-channel 3x3, 3x3 kernel of ones, pad 1, x zero point (hand-computed)', async () => {
    const y = await ortConvInteger({
      x, xShape: [1, 1, 3, 3], xType: 'uint8', xZeroPoint: 1,
      w, wShape: [1, 1, 3, 3], wType: 'uint8',
      pads: [1, 1, 1, 1],
    });
    expect(y.shape).toEqual([1, 1, 3, 3]);
    expect([...y.data]).toEqual([8, 15, 12, 21, 36, 27, 20, 33, 24]);
  });

  test('stride 2 and a scalar w zero point', async () => {
    const y = await ortConvInteger({
      x, xShape: [1, 1, 3, 3], xType: 'uint8', xZeroPoint: 1,
      w: new Array<number>(9).fill(3), wShape: [1, 1, 3, 3], wType: 'uint8', wZeroPoint: 2,
      pads: [1, 1, 1, 1], strides: [2, 2],
    });
    expect(y.shape).toEqual([1, 1, 2, 2]);
    expect([...y.data]).toEqual([8, 12, 20, 24]);
  });

  test('w zero point only', async () => {
    const y = await ortConvInteger({
      x: [1, 2, 3, 4], xShape: [1, 1, 2, 2], xType: 'uint8',
      w: [5], wShape: [1, 1, 1, 1], wType: 'uint8', wZeroPoint: 2,
    });
    expect([...y.data]).toEqual([3, 6, 9, 12]);
  });

  test('int8 × int8 depthwise (group = C)', async () => {
    // channel 0: x=[1,-2,3,-4] * w=-1 ; channel 1: x=[5,6,7,8] * w=2 (1x1 kernels)
    const y = await ortConvInteger({
      x: [1, -2, 3, -4, 5, 6, 7, 8], xShape: [1, 2, 2, 2], xType: 'int8',
      w: [-1, 2], wShape: [2, 1, 1, 1], wType: 'int8', group: 2,
    });
    expect([...y.data]).toEqual([-1, 2, -3, 4, 10, 12, 14, 16]);
  });

  test('per-output-channel w zero point is rejected by ORT', async () => {
    await expect(
      ortConvInteger({
        x, xShape: [1, 1, 3, 3], xType: 'uint8',
        w: [1, 2], wShape: [2, 1, 1, 1], wType: 'uint8', wZeroPoint: [0, 1],
      }),
    ).rejects.toThrow();
  });
});

describe('QLinearMatMul', () => {
  test('round half to even on .5 ties, y zero point, clipping (hand-computed)', async () => {
    // acc = a · 1; multiplier 0.5 → 0.5, 1.5, 2.5, -1.5, -2.5 → 0, 2, 2, -2, -2 (half-away would give 1,2,3,-2,-3)
    const y = await ortQLinearMatMul({
      a: [1, 3, 5, -3, -5, 127, -128], aShape: [7, 1], aType: 'int8', aScale: 0.5, aZeroPoint: 0,
      b: [1], bShape: [1, 1], bType: 'int8', bScale: 1, bZeroPoint: 0,
      yScale: 1, yZeroPoint: 0, yType: 'int8',
    });
    expect([...y]).toEqual([0, 2, 2, -2, -2, 64, -64]);
    const clip = await ortQLinearMatMul({
      a: [127, -128, 1], aShape: [3, 1], aType: 'int8', aScale: 1, aZeroPoint: 0,
      b: [127], bShape: [1, 1], bType: 'int8', bScale: 1, bZeroPoint: 0,
      yScale: 1, yZeroPoint: 10, yType: 'int8',
    });
    expect([...clip]).toEqual([127, -128, 127]);
  });

  test('uint8 × int8 → uint8 with per-column b scale and zero point', async () => {
    // col0: 1·(1-1) + 2·(3-1) = 4, ×1 → 4; col1: 1·(2-3) + 2·(4-3) = 1, ×2 → 2
    const y = await ortQLinearMatMul({
      a: [1, 2], aShape: [1, 2], aType: 'uint8', aScale: 1, aZeroPoint: 0,
      b: [1, 2, 3, 4], bShape: [2, 2], bType: 'int8', bScale: [1, 2], bZeroPoint: [1, 3],
      yScale: 1, yZeroPoint: 0, yType: 'uint8',
    });
    expect([...y]).toEqual([4, 2]);
  });

  // All 65536 products of a K=1 grid with random scales, for each supported type combination.
  test.each([
    ['uint8', 'uint8', 'uint8'],
    ['uint8', 'int8', 'uint8'],
    ['int8', 'int8', 'int8'],
  ] as [QType, QType, QType][])('%s × %s → %s matches the float32 requantization model', async (ta, tb, ty) => {
    const r = rng(7);
    const f = Math.fround;
    const a = Array.from({ length: 256 }, (_, i) => i + lo(ta));
    const b = Array.from({ length: 256 }, (_, i) => i + lo(tb));
    for (let trial = 0; trial < 6; trial++) {
      const aScale = f(Math.exp(-7 * r()));
      const bScale = f(Math.exp(-7 * r()));
      const yScale = trial % 2 ? f(2 ** Math.floor(r() * 8)) : f((aScale * bScale) / f(Math.exp(-6 * r() - 2)));
      const aZ = lo(ta) + Math.floor(r() * 256);
      const bZ = lo(tb) + Math.floor(r() * 256);
      const yZ = lo(ty) + Math.floor(r() * 256);
      const y = await ortQLinearMatMul({
        a, aShape: [256, 1], aType: ta, aScale, aZeroPoint: aZ,
        b, bShape: [1, 256], bType: tb, bScale, bZeroPoint: bZ,
        yScale, yZeroPoint: yZ, yType: ty,
      });
      const m = ortOutputMultiplier(aScale, bScale, yScale);
      let bad = 0;
      for (let i = 0; i < 256; i++) {
        for (let j = 0; j < 256; j++) {
          if (ortRequantize((a[i] - aZ) * (b[j] - bZ), m, yZ, ty) !== y[i * 256 + j]) bad++;
        }
      }
      expect(bad).toBe(0);
    }
  });

  // Scale triples searched so that plausible alternative formulas predict different outputs somewhere on the
  // grid: ORT must agree with the model everywhere and each alternative must be caught at least once.
  test('the multiplier is fround(fround(a*b)/y) and the product acc*multiplier is float32', async () => {
    const f = Math.fround;
    const r = rng(11);
    const alternatives: Record<string, (acc: number, a: number, b: number, y: number) => number> = {
      'multiplier in double': (acc, a, b, y) => roundHalfEven(f(acc * f((a * b) / y))),
      'a * (b / y)': (acc, a, b, y) => roundHalfEven(f(acc * f(a * f(b / y)))),
      'product in double': (acc, a, b, y) => roundHalfEven(acc * ortOutputMultiplier(a, b, y)),
    };
    const caught: Record<string, number> = Object.fromEntries(Object.keys(alternatives).map((k) => [k, 0]));
    const grid = Array.from({ length: 256 }, (_, i) => i);
    let found = 0;
    for (let attempt = 0; attempt < 5000 && found < 6; attempt++) {
      const aScale = f(Math.exp(-7 * r()));
      const bScale = f(Math.exp(-7 * r()));
      const yScale = f((aScale * bScale) / f((255 / 65025) * Math.exp(5.5 * r())));
      const m = ortOutputMultiplier(aScale, bScale, yScale);
      const sat = (v: number): number => Math.min(255, Math.max(0, v));
      const disagree: number[] = [];
      for (let k = 0; k < 65536; k++) {
        const acc = (k >> 8) * (k & 255);
        const model = sat(roundHalfEven(f(acc * m)));
        if (Object.values(alternatives).some((alt) => sat(alt(acc, aScale, bScale, yScale)) !== model)) disagree.push(k);
      }
      if (disagree.length === 0) continue;
      found++;
      const y = await ortQLinearMatMul({
        a: grid, aShape: [256, 1], aType: 'uint8', aScale, aZeroPoint: 0,
        b: grid, bShape: [1, 256], bType: 'uint8', bScale, bZeroPoint: 0,
        yScale, yZeroPoint: 0, yType: 'uint8',
      });
      for (const k of disagree) {
        const acc = (k >> 8) * (k & 255);
        expect(y[k]).toBe(ortRequantize(acc, m, 0, 'uint8'));
        for (const [name, alt] of Object.entries(alternatives)) if (sat(alt(acc, aScale, bScale, yScale)) !== y[k]) caught[name]++;
      }
    }
    expect(found).toBe(6);
    for (const n of Object.values(caught)) expect(n).toBeGreaterThan(0);
  });
});

describe('QLinearConv', () => {
  test('bias is added to the int32 accumulator before scaling (hand-computed)', async () => {
    // acc = 3x + 1 = 4, 7, 10, 13; × 0.5 = 2, 3.5, 5, 6.5 → 2, 4, 5, 6
    const y = await ortQLinearConv({
      x: [1, 2, 3, 4], xShape: [1, 1, 2, 2], xType: 'uint8', xScale: 0.5, xZeroPoint: 0,
      w: [3], wShape: [1, 1, 1, 1], wType: 'int8', wScale: 1, wZeroPoint: 0,
      yScale: 1, yZeroPoint: 0, yType: 'uint8', bias: [1],
    });
    expect(y.shape).toEqual([1, 1, 2, 2]);
    expect([...y.data]).toEqual([2, 4, 5, 6]);
  });

  test('per-channel w scale and (distinct) w zero points', async () => {
    const y = await ortQLinearConv({
      x: [1, 2, 3, 4], xShape: [1, 1, 2, 2], xType: 'uint8', xScale: 1, xZeroPoint: 0,
      w: [10, 20], wShape: [2, 1, 1, 1], wType: 'uint8', wScale: [1, 0.5], wZeroPoint: [3, 4],
      yScale: 1, yZeroPoint: 0, yType: 'uint8',
    });
    // ch0: 7x; ch1: 16x · 0.5 = 8x
    expect([...y.data]).toEqual([7, 14, 21, 28, 8, 16, 24, 32]);
  });

  test.each([
    ['uint8', 'uint8', false],
    ['uint8', 'int8', true],
    ['int8', 'int8', false],
    ['int8', 'int8', true],
  ] as [QType, QType, boolean][])('random %s × %s (constant weights: %s) matches exact conv + requantization model', async (tx, tw, constantWeights) => {
    const r = rng(3);
    const f = Math.fround;
    const ri = (t: QType): number => lo(t) + Math.floor(r() * 256);
    for (const g of [
      { C: 4, O: 6, group: 2, K: 3, strides: [2, 1], pads: [0, 1, 2, 1], dilations: [1, 2] },
      { C: 6, O: 6, group: 6, K: 3, strides: [1, 1], pads: [1, 1, 1, 1], dilations: [1, 1] },
    ]) {
      const xShape = [2, g.C, 7, 6];
      const wShape = [g.O, g.C / g.group, g.K, g.K];
      const x = Array.from({ length: xShape.reduce((p, d) => p * d) }, () => ri(tx));
      const w = Array.from({ length: wShape.reduce((p, d) => p * d) }, () => ri(tw));
      const xZ = ri(tx);
      const wZ = Array.from({ length: g.O }, () => ri(tw));
      const yZ = ri(tx);
      const xScale = f(0.02 + r() * 0.1);
      const wScale = Array.from({ length: g.O }, () => f(0.005 + r() * 0.05));
      const yScale = f(0.5 + r());
      const bias = Array.from({ length: g.O }, () => Math.floor((r() - 0.5) * 40000));
      const y = await ortQLinearConv({
        x, xShape, xType: tx, xScale, xZeroPoint: xZ,
        w, wShape, wType: tw, wScale, wZeroPoint: wZ,
        yScale, yZeroPoint: yZ, yType: tx, bias, constantWeights,
        strides: g.strides, pads: g.pads, dilations: g.dilations, group: g.group,
      });
      const [N, C, H, W] = xShape;
      const [, I, KH, KW] = wShape;
      const OH = Math.floor((H + g.pads[0] + g.pads[2] - g.dilations[0] * (KH - 1) - 1) / g.strides[0]) + 1;
      const OW = Math.floor((W + g.pads[1] + g.pads[3] - g.dilations[1] * (KW - 1) - 1) / g.strides[1]) + 1;
      expect(y.shape).toEqual([N, g.O, OH, OW]);
      const og = g.O / g.group;
      let bad = 0;
      for (let n = 0; n < N; n++) {
        for (let o = 0; o < g.O; o++) {
          const grp = Math.floor(o / og);
          const m = ortOutputMultiplier(xScale, wScale[o], yScale);
          for (let oh = 0; oh < OH; oh++) {
            for (let ow = 0; ow < OW; ow++) {
              let acc = bias[o];
              for (let i = 0; i < I; i++) {
                for (let kh = 0; kh < KH; kh++) {
                  for (let kw = 0; kw < KW; kw++) {
                    const ih = oh * g.strides[0] - g.pads[0] + kh * g.dilations[0];
                    const iw = ow * g.strides[1] - g.pads[1] + kw * g.dilations[1];
                    if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
                    const xv = x[((n * C + grp * I + i) * H + ih) * W + iw];
                    acc += (xv - xZ) * (w[((o * I + i) * KH + kh) * KW + kw] - wZ[o]);
                  }
                }
              }
              if (ortRequantize(acc, m, yZ, tx) !== y.data[((n * g.O + o) * OH + oh) * OW + ow]) bad++;
            }
          }
        }
      }
      expect(bad).toBe(0);
    }
  });
});

describe('QuantizeLinear / DequantizeLinear', () => {
  test('per-tensor: x / scale, round half to even, saturate', async () => {
    const y = await ortQuantizeLinear({ x: [0.5, 1.5, 2.5, -0.5, -1.5, 300, -300], shape: [7], scale: 1, zeroPoint: 0, yType: 'int8' });
    expect([...y]).toEqual([0, 2, 2, 0, -2, 127, -128]);
    const u = await ortQuantizeLinear({ x: [0.25, 0.75, -1, 100], shape: [4], scale: 0.5, zeroPoint: 10, yType: 'uint8' });
    expect([...u]).toEqual([10, 12, 8, 210]);
  });

  test('per-axis (axis 1)', async () => {
    const y = await ortQuantizeLinear({ x: [1, 2, 1, 2], shape: [1, 2, 2], scale: [1, 0.5], zeroPoint: [0, 1], yType: 'uint8', axis: 1 });
    expect([...y]).toEqual([1, 2, 3, 5]);
    const d = await ortDequantizeLinear({ x: [1, 2, 3, 5], shape: [1, 2, 2], xType: 'uint8', scale: [1, 0.5], zeroPoint: [0, 1], axis: 1 });
    expect([...d]).toEqual([1, 2, 1, 2]);
  });

  test('dequantize: fround((x - zp) * scale)', async () => {
    const s = Math.fround(0.1);
    const d = await ortDequantizeLinear({ x: [-128, 0, 127], shape: [3], xType: 'int8', scale: s, zeroPoint: -3 });
    expect([...d]).toEqual([-125, 3, 130].map((v) => Math.fround(v * s)));
  });

  test('roundHalfEven helper', () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4999, 3.5000001].map((v) => roundHalfEven(v) + 0)).toEqual([0, 2, 2, 0, -2, -2, 2, 4]);
  });
});

describe('MaxPool (int8 / uint8, opset 12)', () => {
  test('2x2 kernel with leading padding: padding never wins', async () => {
    const y = await ortMaxPool({ x: [1, 5, 3, 4, -2, 6, 7, 8, 9], xShape: [1, 1, 3, 3], xType: 'int8', kernelShape: [2, 2], pads: [1, 1, 0, 0] });
    expect(y.shape).toEqual([1, 1, 3, 3]);
    expect([...y.data]).toEqual([1, 5, 5, 4, 5, 6, 7, 8, 9]);
    const u = await ortMaxPool({ x: [0, 0, 0, 0], xShape: [1, 1, 2, 2], xType: 'uint8', kernelShape: [2, 2], strides: [2, 2] });
    expect([...u.data]).toEqual([0]);
  });
});
