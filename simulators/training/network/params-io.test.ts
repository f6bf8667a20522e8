import { describe, expect, it } from 'vitest'
import { buildGraph } from '../../model/graph'
import { initParams } from '../float/float-network'
import { floatParamsFromJson, floatParamsToJson, loadQuantizedWeights, quantizedWeightsToJson } from './params-io'
import { quantizeModel } from './quantize-model'
import { resolveFormats, DEFAULT_FORMATS } from './formats'
import { tinyCnn, quadrantTask } from '../../testing/training-fixtures'

describe('saving and loading weights', () => {
  const graph = buildGraph(tinyCnn)
  it('float parameters round-trip exactly through JSON text', () => {
    const p = initParams(graph, 4)
    const back = floatParamsFromJson(graph, JSON.parse(JSON.stringify(floatParamsToJson(p))))
    expect(back.w.map((a) => a && Array.from(a))).toEqual(p.w.map((a) => a && Array.from(a)))
  })
  it('a file that does not fit the model names the layer', () => {
    const j = floatParamsToJson(initParams(graph, 4))
    j.w[0] = j.w[0]!.slice(1)
    expect(() => floatParamsFromJson(graph, j)).toThrow(/layers\[0\] needs 36 weights, got 35/)
  })
  it('trained integer weights reload into a freshly quantized model', () => {
    const data = quadrantTask(32, 1)
    const make = () => quantizeModel(graph, initParams(graph, 4), resolveFormats(DEFAULT_FORMATS), data.images, 32)
    const a = make()
    a.nodes.forEach((p) => p.w?.data.forEach((v, j, arr) => (arr[j] = v + ((j % 3) - 1))))
    const saved = JSON.parse(JSON.stringify(quantizedWeightsToJson(a)))
    const b = make()
    loadQuantizedWeights(b, saved)
    expect(b.nodes.map((p) => p.w && Array.from(p.w.data))).toEqual(a.nodes.map((p) => p.w && Array.from(p.w.data)))
    saved.nodes[1].codes.pop()
    expect(() => loadQuantizedWeights(b, saved)).toThrow(/codes has \d+ values, expected/)
  })
})
