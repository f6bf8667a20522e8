// The contract every registered training algorithm keeps, run over the registry (as tfjs runs one test
// body over every backend): an algorithm added to all-algorithms.ts is tested here the moment it is
// registered. Its own file tests what is particular to it (its estimate, its update rule).
import { describe, expect, it } from 'vitest'
import { buildGraph } from '../../model/graph'
import { initParams } from '../float/float-network'
import { quantizeModel } from '../network/quantize-model'
import { QNetwork } from '../network/qnetwork'
import { resolveFormats, DEFAULT_FORMATS } from '../network/formats'
import { MemoryTracker } from '../network/memory'
import { resolveScope, type TrainableScope } from '../network/trainable'
import { MEMORY_CATEGORIES } from '../../core/memory-categories'
import { PHASES } from '../../core/op'
import { resolveHyperparameters, type StepReport } from './algorithm'
import { trainingAlgorithms } from './registry'
import { tinyCnn, tinyMlp, quadrantTask } from '../../testing/training-fixtures'
import type { ModelSpec } from '../../model/spec'

const B = 8

/** Trains `steps` steps with the algorithm's defaults; returns the reports and the final parameters. */
function train(id: string, spec: ModelSpec, scope: TrainableScope, steps: number, seed = 3) {
  const alg = trainingAlgorithms.get(id)!
  const graph = buildGraph(spec)
  const params = initParams(graph, 11)
  params.b.forEach((b) => b?.fill(0.05))
  const data = quadrantTask(64, 4)
  const model = quantizeModel(graph, params, resolveFormats(DEFAULT_FORMATS), data.images, 64)
  const net = new QNetwork(model, B)
  const trainable = resolveScope(net, scope)
  const tracker = new MemoryTracker()
  const trainer = alg.create({ net, trainable, seed, tracker, maxBatch: B }, resolveHyperparameters(alg, {}, 'hyperparameters'))
  const reports: StepReport[] = []
  for (let s = 0; s < steps; s++) {
    const at = (s * B) % 64
    reports.push(trainer.step(data.images.subarray(at * 64, (at + B) * 64), data.labels.subarray(at, at + B), B, s))
  }
  const snapshot = model.nodes.map((p) => ({ w: p.w ? Array.from(p.w.data) : undefined, b: p.b ? Array.from(p.b) : undefined }))
  return { graph, reports, snapshot }
}

const initial = (spec: ModelSpec) => train([...trainingAlgorithms.keys()][0], spec, { kind: 'all' }, 0).snapshot

describe.each([...trainingAlgorithms.values()].map((a) => [a.id, a] as const))('%s keeps the algorithm contract', (id, alg) => {
  it('documents every hyperparameter with a default inside its own range', () => {
    expect(alg.label).toMatch(/\S/)
    expect(alg.reference).toMatch(/\S/)
    expect(typeof alg.usesGradientFormat).toBe('boolean')
    const defaults = alg.defaults as Record<string, unknown>
    expect(Object.keys(defaults).sort()).toEqual(alg.hyperparameters.map((d) => d.name).sort())
    for (const d of alg.hyperparameters) {
      expect(d.description, d.name).toMatch(/\S/)
      const v = defaults[d.name]
      if (d.kind === 'number') {
        expect(typeof v, d.name).toBe('number')
        expect(v as number, d.name).toBeGreaterThanOrEqual(d.min)
        expect(v as number, d.name).toBeLessThanOrEqual(d.max)
        if (d.integer) expect(Number.isInteger(v), d.name).toBe(true)
      } else if (d.kind === 'enum') expect(d.values, d.name).toContain(v)
      else expect(typeof v, d.name).toBe('boolean')
    }
    expect(resolveHyperparameters(alg, {}, 'h')).toEqual(defaults)
    expect(() => resolveHyperparameters(alg, { noSuchHyperparameter: 1 }, 'h')).toThrow(/unknown hyperparameter/)
  })

  it.each([['tiny MLP', tinyMlp], ['tiny CNN', tinyCnn]] as const)('reports a well-formed step on the %s', (_, spec) => {
    const { reports } = train(id, spec, { kind: 'all' }, 3)
    for (const r of reports) {
      expect(Number.isFinite(r.loss) && r.loss >= 0).toBe(true)
      expect(r.batch).toBe(B)
      expect(Number.isInteger(r.correct) && r.correct >= 0 && r.correct <= B).toBe(true)
      expect(r.forwardPasses).toBeGreaterThanOrEqual(1)
      expect(r.backwardPasses).toBeGreaterThanOrEqual(0)
      for (const ph of PHASES) for (const [k, v] of Object.entries(r.work[ph])) expect(v, `${ph}.${k}`).toBeGreaterThanOrEqual(0)
      expect(r.work.forward.macs).toBeGreaterThan(0)
      // the peak's breakdown sums to the peak, and no category's own maximum is below its share at the peak
      expect(MEMORY_CATEGORIES.reduce((a, c) => a + r.memory.peak[c], 0)).toBe(r.memory.peakTotal)
      for (const c of MEMORY_CATEGORIES) expect(r.memory.maxByCategory[c]).toBeGreaterThanOrEqual(r.memory.peak[c])
      expect(r.memory.peakTotal).toBeGreaterThan(0) // at least the activations of the forward pass
      expect(r.updated.changed).toBeGreaterThanOrEqual(0)
      expect(r.updated.changed).toBeLessThanOrEqual(r.updated.eligible)
    }
  })

  it('changes parameters at its defaults, and is deterministic from its seed', () => {
    const a = train(id, tinyMlp, { kind: 'all' }, 6)
    const b = train(id, tinyMlp, { kind: 'all' }, 6)
    expect(a.reports.reduce((s, r) => s + r.updated.changed, 0)).toBeGreaterThan(0)
    expect(a.snapshot).toEqual(b.snapshot)
    expect(a.reports.map((r) => r.loss)).toEqual(b.reports.map((r) => r.loss))
    expect(a.snapshot).not.toEqual(initial(tinyMlp))
  })

  it('trains only its scope', () => {
    const before = initial(tinyMlp)
    const biases = train(id, tinyMlp, { kind: 'biases' }, 6).snapshot
    biases.forEach((p, i) => expect(p.w, `weights of node ${i}`).toEqual(before[i].w))
    const last = train(id, tinyMlp, { kind: 'last', layers: 1 }, 6)
    const weighted = last.graph.filter((n) => n.kind === 'dense').map((n) => n.index)
    const first = weighted[0]
    expect(last.snapshot[first]).toEqual(before[first])
  })
})
