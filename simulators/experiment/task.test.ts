// The task's class options: pretraining and adaptation draw on the classes named, nothing else.
import { describe, expect, it } from 'vitest'
import { baseDataset, buildTask } from './task'
import { parseExperiment } from './validate'

describe('held-out classes (data.pretrainClasses)', () => {
  it('pretrains only on the named classes and adapts and tests on the disjoint ones', () => {
    const r = parseExperiment({
      seed: 4, head: 'protonet',
      data: { dataset: 'synthetic', pretrainPerClass: 3, shots: 2, testPerClass: 2, classes: [5, 6, 7], pretrainClasses: [0, 1, 2, 3, 4] },
    })
    if (!r.ok) throw new Error(JSON.stringify(r.errors))
    const task = buildTask(r.spec, baseDataset(r.spec, undefined))
    expect([...new Set(task.source.labels)].sort()).toEqual([0, 1, 2, 3, 4])
    expect(task.source.count).toBe(15)
    expect([...new Set(task.adapt.labels)].sort()).toEqual([5, 6, 7])
    expect([...new Set(task.test.labels)].sort()).toEqual([5, 6, 7])
  })
  it('rejects a repeated pretraining class, naming the entry', () => {
    const r = parseExperiment({ data: { pretrainClasses: [1, 2, 1] } })
    expect(!r.ok && r.errors.map((e) => e.path)).toContain('data.pretrainClasses[2]')
  })
})
