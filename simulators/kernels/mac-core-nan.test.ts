/**
 * A NaN never reaches BigInt() unnamed (issue 14): the wide tier names the operand that is not an integer code,
 * and the integer network names a bias code that is not an integer before any MAC tier reads it.
 */
import { describe, expect, it } from 'vitest'
import { DOT } from './mac-core'
import { accumulatorFormat } from '../core/accumulator'
import { newWork } from '../core/work'
import { buildGraph } from '../model/graph'
import { initParams } from '../training/float/float-network'
import { quantizeModel } from '../training/network/quantize-model'
import { QNetwork } from '../training/network/qnetwork'
import { resolveFormats, DEFAULT_FORMATS } from '../training/network/formats'
import { tinyMlp, quadrantTask } from '../testing/training-fixtures'

const acc = accumulatorFormat(64, 'saturate')
const offs = Int32Array.from([0, 1, 2])
const ints = Float64Array.from([3, -2, 5])

describe('BigInt tier operands', () => {
  it('sums integer codes exactly: 7 + 3·1 + (−2)·(−4) + 5·2 = 28', () => {
    expect(DOT.bigint(ints, 0, offs, 0, Float64Array.from([1, -4, 2]), 0, offs, 0, 3, 7, acc, newWork())).toBe(28n)
  })
  it.each([
    ['bias', (): unknown => DOT.bigint(ints, 0, offs, 0, ints, 0, offs, 0, 3, NaN, acc, newWork())],
    ['input zero point', (): unknown => DOT.bigint(ints, 0, offs, 0.5, ints, 0, offs, 0, 3, 0, acc, newWork())],
    ['input code is NaN', (): unknown => DOT.bigint(Float64Array.from([1, NaN, 2]), 0, offs, 0, ints, 0, offs, 0, 3, 0, acc, newWork())],
    ['weight code is Infinity', (): unknown => DOT.bigint(ints, 0, offs, 0, Float64Array.from([1, 2, Infinity]), 0, offs, 0, 3, 0, acc, newWork())],
  ])('names a non-integer %s', (what, run) => {
    expect(run).toThrow(new RegExp(`${what}.*not an integer`))
  })
})

describe('integer network', () => {
  it('names a NaN bias code before the MAC kernels read it', () => {
    const graph = buildGraph(tinyMlp)
    const data = quadrantTask(8, 2)
    const model = quantizeModel(graph, initParams(graph, 1), resolveFormats(DEFAULT_FORMATS), data.images, 8)
    const i = graph.findIndex((n) => n.hasBias)
    model.nodes[i].b![1] = NaN
    expect(() => new QNetwork(model, 2).forward(data.images.subarray(0, 2 * 64), 2, newWork())).toThrow(`layer ${i} (${graph[i].kind}): bias code 1 is NaN, not an integer`)
  })
  it('names non-finite starting weights before quantizing them', () => {
    const graph = buildGraph(tinyMlp)
    const params = initParams(graph, 1)
    const i = graph.findIndex((n) => n.hasBias)
    params.w[i]![0] = NaN
    expect(() => quantizeModel(graph, params, resolveFormats(DEFAULT_FORMATS), quadrantTask(8, 2).images, 8)).toThrow(/starting weight 0 is NaN .*pretrain\.lr/)
  })
})
