/**
 * cnn-mnist-pooled (issue 13 §1's pooled backbone with a small head): it validates, its parameter and MAC
 * counts equal counts made here from first principles (TensorFlow's 'same' padding rule written out, every
 * in-bounds tap counted by brute force), its zeroth-order memory plan equals the inference-shaped formula
 * (weights + the widest input/output pair of activations + one seed and loss), and both algorithms train it.
 */
import { describe, expect, it } from 'vitest'
import { builtinModels, getBuiltinModel } from '.'
import { parseModelSpec } from '../validate'
import { inferShapes, summarizeModel } from '../shapes'
import { buildGraph } from '../graph'
import { parseExperiment } from '../../experiment/validate'
import { baseDataset, buildTask } from '../../experiment/task'
import { runOne, type RunEvent, type StepEvent } from '../../experiment/runner'
import { profilesOf } from '../../experiment/plan'
import { initParams } from '../../training/float/float-network'

/** In-bounds taps of a k-wide, stride-s 'same' window along an n-wide axis, counted one by one. */
function sameTaps(n: number, k: number, s: number): { out: number; taps: number } {
  const out = Math.ceil(n / s)
  // TensorFlow: total padding max((out − 1)·s + k − n, 0), the smaller half before
  const before = Math.floor(Math.max((out - 1) * s + k - n, 0) / 2)
  let taps = 0
  for (let o = 0; o < out; o++) for (let t = 0; t < k; t++) { const x = o * s - before + t; if (x >= 0 && x < n) taps++ }
  return { out, taps }
}

const convs = [{ cin: 1, cout: 16 }, { cin: 16, cout: 32 }, { cin: 32, cout: 32 }]

describe('cnn-mnist-pooled', () => {
  it('validates as plain model JSON and has a head of 2.3 % of its parameters', () => {
    expect(parseModelSpec(JSON.parse(JSON.stringify(getBuiltinModel('cnn-mnist-pooled')))).ok).toBe(true)
    const params = convs.reduce((a, c) => a + 9 * c.cin * c.cout + c.cout, 0) + 32 * 10 + 10
    expect(params).toBe(14_378)
    expect(summarizeModel(builtinModels['cnn-mnist-pooled'])).toMatchObject({ params, weightLayerCount: 4, outputShape: [10] })
    expect((32 * 10 + 10) / params).toBeCloseTo(0.023, 3)
  })

  it('MACs per image equal a brute-force count of in-bounds taps', () => {
    const infos = inferShapes(builtinModels['cnn-mnist-pooled'])
    let n = 28
    const expected: [number[], number, number][] = []
    for (const c of convs) {
      const { out, taps } = sameTaps(n, 3, 2)
      expected.push([[out, out, c.cout], taps * taps * c.cin * c.cout, out * out * 9 * c.cin * c.cout])
      n = out
    }
    expect(infos.slice(0, 3).map((l) => [l.outputShape, l.macs, l.nominalMacs])).toEqual(expected)
    expect(expected.map((e) => e[0][0])).toEqual([14, 7, 4])
    expect(infos.slice(3).map((l) => [l.outputShape, l.macs])).toEqual([[[32], 0], [[32], 0], [[10], 320]])
    // 0.40 M engine MACs per image; the average pool's 4·4·32 additions are element-wise work, not MACs
    expect(summarizeModel(builtinModels['cnn-mnist-pooled']).macs).toBe(expected.reduce((a, e) => a + e[1], 0) + 320)
  })

  it('trains with zo-spsa (last layer) and backprop; zo-spsa\'s peak is the inference-shaped formula', () => {
    const B = 4
    const r = parseExperiment({
      model: 'cnn-mnist-pooled', init: 'scratch', batch: B, steps: 3, evalEvery: 3,
      data: { dataset: 'synthetic', pretrainPerClass: 2, shots: 2, testPerClass: 2, corruption: 'none' },
      runs: [
        { algorithm: 'zo-spsa', scope: { kind: 'last', layers: 1 }, hyperparameters: { estimate: 'sign', epsilonFraction: 0.004, lrFraction: 0.008, perturbations: 1 } },
        { algorithm: 'backprop' },
      ],
    })
    if (!r.ok) throw new Error(JSON.stringify(r.errors))
    const graph = buildGraph(getBuiltinModel('cnn-mnist-pooled'))
    const task = buildTask(r.spec, baseDataset(r.spec, undefined))
    const params = initParams(graph, r.spec.seed)
    const events: RunEvent[] = []
    const [zo, bp] = r.plan.map((run) => runOne({ spec: r.spec, run, graph, params, task, profiles: profilesOf(run, r.profiles) }, (e) => events.push(e)))
    for (const s of [zo, bp]) {
      expect(s.steps).toBe(3)
      expect(Number.isFinite(s.finalLoss)).toBe(true)
    }
    expect(zo.trainableParameters).toBe(330)
    expect(zo.forwardPasses).toBe(6)
    expect(bp.backwardPasses).toBe(3)
    const steps = events.filter((e): e is StepEvent => e.type === 'step')
    expect(steps.every((e) => Number.isFinite(e.loss))).toBe(true)
    // weights at 16 bits and 32-bit biases; 8-bit activations: the widest consecutive pair is conv1's
    // 14·14·16 output with conv2's 7·7·32 output (ping-pong buffers); 8 + 4 bytes of seed and loss; and
    // the in-place restore log (8 bytes an entry): with per-channel scales each of the 10 head channels has
    // its largest weight at the format's limit, so +K or −K clamps it and its code is logged
    const weights = 2 * convs.reduce((a, c) => a + 9 * c.cin * c.cout, 0) + 2 * 320 + 4 * (16 + 32 + 32 + 10)
    const acts = [28 * 28, 14 * 14 * 16, 7 * 7 * 32, 4 * 4 * 32, 32, 32, 10]
    const pair = Math.max(...acts.slice(1).map((a, i) => acts[i] + a))
    expect(zo.peakBytes).toBe(weights + B * pair + 12 + 8 * 10)
    expect(zo.peakBytes).toBeLessThan(bp.peakBytes)
  })
})
