// The keyword-spotting journey (issue 13 §2): choosing kws-espeak in the form brings its own task (DS-CNN,
// 12 classes, the unseen-voices shift), a setting it cannot take is shown on its field, the experiment runs
// on the committed espeak-ng features with the real handlers and workers (fixtures/app.ts), and its
// headline names the shift of the spec, also when reopened from History.
import { test, expect } from './fixtures/app'
import { StudioPage } from './pages/studio.page'

test('kws-espeak: switching the data set sets its task, runs progress, the headline names the shift', async ({ appPage, consoleErrors }, testInfo) => {
  test.setTimeout(240_000)
  const studio = new StudioPage(appPage)
  await studio.goto('experiment')
  await expect(studio.id('experiment-form')).toBeVisible()
  await studio.id('exp-data.dataset').selectOption('kws-espeak')
  // the data set's defaults, not MNIST's: its model, classes, shift and a clean corruption
  await expect(studio.id('exp-model')).toHaveValue('dscnn-kws')
  await expect(studio.id('exp-model-facts')).toContainText('12 classes')
  await expect(studio.id('exp-data.shift')).toHaveValue('unseen-voices')
  await expect(studio.id('exp-data.corruption')).toHaveValue('none')
  await expect(studio.id('exp-data.pretrainPerClass')).toHaveValue('64')
  await expect(studio.id('run-experiment')).toBeEnabled()
  // a value kws-espeak cannot take is reported on its field, with the reason
  await studio.id('exp-data.shots').fill('40')
  await expect(studio.id('exp-error-data.shots')).toContainText('at most 31')
  await expect(studio.id('run-experiment')).toBeDisabled()
  // a small run: few pretraining clips and epochs, few steps (the shift stays the data set's)
  const small = { 'data.shots': '4', 'data.testPerClass': '6', 'data.pretrainPerClass': '12', 'pretrain.epochs': '2', steps: '6', evalEvery: '3' }
  for (const [path, value] of Object.entries(small)) await studio.id(`exp-${path}`).fill(value)
  await studio.id('exp-data.shift').selectOption('unseen-voices-noisy')
  await expect(studio.id('run-experiment')).toBeEnabled()
  await studio.run()

  await expect(studio.id('dashboard-task')).toContainText('unseen voices at 5 dB SNR')
  await expect.poll(() => studio.stepsDone(0), { timeout: 180_000 }).toBeGreaterThan(0)
  await expect(studio.id('dashboard-status')).toHaveText('finished', { timeout: 180_000 })
  await expect(studio.id('run-progress-0')).toHaveText('6 / 6')
  await expect(studio.id('run-progress-1')).toHaveText('6 / 6')
  await expect(studio.id('run-row-0')).toContainText('%')
  await expect(studio.id('chart-accuracy')).toBeVisible()
  await expect(studio.id('dashboard-stage')).toContainText('clean test clips')
  await studio.shot('kws-dashboard', testInfo)

  // reopened from History, the record's headline says the same
  await studio.goto('history')
  const [record] = await studio.callApi('listExperiments')
  await studio.id(`history-open-${record.meta.id}`).click()
  await expect(studio.id('dashboard-task')).toHaveText('kws-espeak · dscnn-kws · unseen voices at 5 dB SNR · 4 shots per class')
  expect(consoleErrors).toEqual([])
})
