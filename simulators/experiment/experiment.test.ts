import { mkdirSync, writeFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { defaultExperiment, parseExperiment } from './validate'
import { baseDataset, buildTask } from './task'
import { pretrain } from './pretrain'
import { runOne, type RunEvent } from './runner'
import { getBuiltinModel } from '../model/builtin'
import { buildGraph } from '../model/graph'
import { TINY_EXPERIMENT, deterministicPart } from './tiny-experiment'

const errorsOf = (raw: unknown) => {
  const r = parseExperiment(raw)
  return r.ok ? [] : r.errors
}

describe('experiment descriptions', () => {
  it('{} is the built-in default: MNIST, a pretrained CNN, backprop and zo-spsa side by side', () => {
    const d = defaultExperiment()
    expect(d.data.dataset).toBe('mnist')
    expect(d.model).toBe('cnn-mnist')
    expect(d.init).toBe('pretrained')
    expect(d.runs.map((r) => r.algorithm)).toEqual(['backprop', 'zo-spsa'])
    expect(d.formats.weightBits).toBe(16)
    expect(d.formats.activationBits).toBe(8)
  })

  it.each([
    [{ steps: -1 }, 'steps', /at least 0/],
    [{ foo: 1 }, 'foo', /unknown field/],
    [{ data: { corruption: 'melt' } }, 'data.corruption', /must be "none" or one of/],
    [{ formats: { weightBits: 1 } }, 'formats.weightBits', /at least 2/],
    [{ formats: { accumulatorBits: 33 } }, 'formats.accumulatorBits', /one of 16, 24, 32, 40, 48, 64/],
    [{ runs: [{ algorithm: 'nope' }] }, 'runs[0].algorithm', /unknown algorithm "nope"/],
    [{ runs: [{ algorithm: 'backprop', hyperparameters: { lr: -1 } }] }, 'runs[0].hyperparameters.lr', /from 0 to 10/],
    [{ runs: [{ algorithm: 'zo-spsa', hyperparameters: { colour: 'red' } }] }, 'runs[0].hyperparameters.colour', /unknown hyperparameter/],
    [{ runs: [{ algorithm: 'backprop', scope: { kind: 'last' } }] }, 'runs[0].scope.layers', /required/],
    [{ model: 'resnet9' }, 'model', /unknown built-in model/],
    [{ model: 'resnet8-cifar10' }, 'model', /MNIST images are \[28, 28, 1\]/],
    [{ model: { schemaVersion: 1, name: 'x', task: 'classification', input: { shape: [28, 28, 1] }, layers: [{ type: 'dense', units: 0 }] } }, 'model.layers[0].units', /./],
  ])('%j is rejected at %s', (raw, path, message) => {
    const errors = errorsOf(raw)
    const e = errors.find((x) => x.path === path)
    expect(e, JSON.stringify(errors)).toBeDefined()
    expect(e!.message).toMatch(message)
  })
})

describe('running an experiment', () => {
  it('a tiny synthetic experiment runs, streams events, and is bit-identical when repeated', () => {
    const { spec, plan } = (() => { const r = parseExperiment(TINY_EXPERIMENT); if (!r.ok) throw new Error(JSON.stringify(r.errors)); return r })()
    const graph = buildGraph(getBuiltinModel('dscnn-mnist'))
    const once = () => {
      const task = buildTask(spec, baseDataset(spec, undefined))
      const params = pretrain(graph, task.source, spec.pretrain, spec.seed)
      const events: RunEvent[] = []
      const runs = plan.map((run) => runOne({ spec, run, graph, params, task, profiles: [] }, (e) => events.push(e)))
      return { runs, events }
    }
    const a = once()
    const b = once()
    const det = (r: typeof a) => r.runs.map((s) => deterministicPart(s as unknown as Record<string, unknown>))
    expect(det(a)).toEqual(det(b))
    expect(a.events.flatMap((e) => (e.type === 'eval' && e.run === 0 ? [e.step] : []))).toEqual([0, 6, 12])
    expect(a.events.filter((e) => e.type === 'step').length).toBe(24)
    const [bp, zo] = a.runs
    expect(bp.backwardPasses).toBe(12)
    expect(zo.forwardPasses).toBe(12 * 4)
    expect(bp.maxByCategory.savedActivations).toBeGreaterThan(0)
    expect(zo.maxByCategory.savedActivations).toBe(0)
    // the CLI determinism check compares its runs (in-process and in worker threads) against these
    mkdirSync('test-results', { recursive: true })
    writeFileSync('test-results/tiny-experiment.vitest.json', JSON.stringify(det(a), null, 2))
    writeFileSync('test-results/tiny-experiment.spec.json', JSON.stringify(TINY_EXPERIMENT, null, 2))
  })
})
