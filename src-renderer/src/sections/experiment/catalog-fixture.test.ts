import { describe, expect, it } from 'vitest'
import { trainingAlgorithms } from '../../../../simulators/training/algorithms/registry'
import { defaultExperiment } from '../../../../simulators/experiment/validate'
import { datasetDefaults } from '../../../../simulators/experiment/dataset-defaults'
import { catalogFixture, defaultSpecFixture } from './catalog.testing'

// The form's tests run on a small hand-written catalog; it must not drift from the engine's (a renamed
// hyperparameter, a new default format), or the tests would pass against names the engine no longer has.
describe('catalog fixture', () => {
  it('names only hyperparameters the engine’s algorithms have', () => {
    for (const a of catalogFixture().algorithms) {
      const real = trainingAlgorithms.get(a.id)
      expect(real, a.id).toBeDefined()
      const names = real!.hyperparameters.map((d) => d.name)
      for (const d of a.hyperparameters) expect(names, `${a.id}.${d.name}`).toContain(d.name)
      for (const k of Object.keys(a.defaults)) expect(names, `${a.id} default ${k}`).toContain(k)
    }
  })

  it('has the engine’s task defaults for each data set it lists', () => {
    for (const d of catalogFixture().datasets) expect(d.defaults, d.id).toEqual(datasetDefaults(d.id))
  })

  it('has the engine’s default experiment', () => {
    expect(defaultSpecFixture()).toEqual(defaultExperiment())
  })
})
