// The ProtoNet head must classify exactly like a nearest-centroid classifier computed here directly
// (class means and squared Euclidean distances, no linear layer), on a random-feature MLP.
import { describe, expect, it } from 'vitest'
import { subset } from '../data/dataset'
import { syntheticDataset } from '../data/synthetic'
import { buildGraph } from '../model/graph'
import type { ModelSpec } from '../model/spec'
import { FloatNetwork, initParams } from '../training/float/float-network'
import { headEmbeddings, protonetHead, protonetHeadProblem } from './protonet-head'
import { parseExperiment } from './validate'

const model = {
  schemaVersion: 1, name: 'protonet-test', task: 'classification', input: { shape: [12, 12, 1] },
  layers: [{ type: 'flatten' }, { type: 'dense', units: 24, activation: 'relu' }, { type: 'dense', units: 10 }],
} as unknown as ModelSpec
const graph = buildGraph(model)
const params = initParams(graph, 7)
const data = syntheticDataset({ seed: 3, perClass: 12, size: 12 })

function nearestCentroid(emb: Float64Array, D: number, supportIdx: number[], queryIdx: number[]): number[] {
  const means = new Map<number, number[]>()
  for (const c of new Set(supportIdx.map((i) => data.labels[i]))) {
    const members = supportIdx.filter((i) => data.labels[i] === c)
    means.set(c, Array.from({ length: D }, (_, j) => members.reduce((s, i) => s + emb[i * D + j], 0) / members.length))
  }
  return queryIdx.map((q) => {
    let best = -1, bestD = Infinity
    for (const [c, mu] of means) {
      const d = mu.reduce((s, m, j) => s + (emb[q * D + j] - m) ** 2, 0)
      if (d < bestD) { bestD = d; best = c }
    }
    return best
  })
}

function headPredictions(support: number[], query: number[]): { pred: number[]; expected: number[] } {
  const head = protonetHead(graph, params, subset(data, support))
  const queries = subset(data, query)
  const net = new FloatNetwork(graph, head, queries.count)
  const logits = net.forward(queries.images, queries.count)
  const pred = query.map((_, q) => {
    const row = Array.from(logits.subarray(q * 10, q * 10 + 10))
    return row.indexOf(Math.max(...row))
  })
  const D = graph[graph.length - 1].weightShape![1]
  return { pred, expected: nearestCentroid(headEmbeddings(graph, params, data), D, support, query) }
}

describe('ProtoNet head', () => {
  const all = Array.from({ length: data.count }, (_, i) => i)
  it('predicts the nearest class mean of the support embeddings', () => {
    const support = all.filter((i) => i % 3 === 0), query = all.filter((i) => i % 3 !== 0)
    const { pred, expected } = headPredictions(support, query)
    expect(pred).toEqual(expected)
  })
  it('never predicts a class absent from the support set (held-out classes)', () => {
    const support = all.filter((i) => i % 3 === 0 && data.labels[i] < 4)
    const query = all.filter((i) => i % 3 !== 0 && data.labels[i] < 4)
    const { pred, expected } = headPredictions(support, query)
    expect(pred).toEqual(expected)
    expect(pred.every((c) => c < 4)).toBe(true)
  })
  it('sets W_c = 2·μ_c and b_c = −‖μ_c‖²', () => {
    const support = all.filter((i) => data.labels[i] === 2)
    const head = protonetHead(graph, params, subset(data, support))
    const emb = headEmbeddings(graph, params, subset(data, support))
    const D = 24
    const mu = Array.from({ length: D }, (_, j) => support.reduce((s, _i, k) => s + emb[k * D + j], 0) / support.length)
    const w = head.w[graph.length - 1]!, b = head.b[graph.length - 1]!
    mu.forEach((m, j) => expect(w[2 * D + j]).toBeCloseTo(2 * m, 10))
    expect(b[2]).toBeCloseTo(-mu.reduce((s, m) => s + m * m, 0), 10)
  })
  it('rejects a model whose last layer has an activation, naming the field', () => {
    const g = buildGraph({ ...model, layers: [{ type: 'flatten' }, { type: 'dense', units: 10, activation: 'relu' }] } as unknown as ModelSpec)
    expect(protonetHeadProblem(g)).toMatch(/no activation/)
    expect(() => protonetHead(g, initParams(g, 1), data)).toThrow(/head: "protonet"/)
  })
})

describe('experiment option head', () => {
  it('defaults to the model head and accepts "protonet" for a model ending in a plain dense layer', () => {
    const d = parseExperiment({})
    expect(d.ok && d.spec.head).toBe('model')
    const p = parseExperiment({ head: 'protonet' })
    expect(p.ok && p.spec.head).toBe('protonet')
  })
  it('rejects an unknown head and a model whose last layer cannot take prototypes, naming the field', () => {
    const bad = parseExperiment({ head: 'prototype' })
    expect(!bad.ok && bad.errors.map((e) => e.path)).toContain('head')
    const relu = parseExperiment({
      head: 'protonet',
      model: { ...model, input: { shape: [28, 28, 1] }, layers: [{ type: 'flatten' }, { type: 'dense', units: 10, activation: 'relu' }] },
    })
    expect(relu.ok).toBe(false)
    if (!relu.ok) expect(relu.errors).toContainEqual({ path: 'head', message: expect.stringMatching(/no activation/) })
  })
})
