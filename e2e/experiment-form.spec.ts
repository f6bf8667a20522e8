// The Experiment form before a run starts: the plan (what trains where, at which formats), the measured
// wall-time estimate and its long-run warning, how devices are judged, and a run's own formats — against
// the real handlers and worker pool (fixtures/app.ts). Saves test-results/screenshots/experiment-plan.png.
import type { Locator } from '@playwright/test'
import { test, expect } from './fixtures/app'
import { StudioPage } from './pages/studio.page'

const DEVICES = ['nrf52840', 'esp32-s3', 'alif-e7-hp']

/** The form's plan preview and estimate, by test id. */
class PlanPreview {
  readonly card: Locator
  readonly rows: Locator
  readonly estimate: Locator
  readonly warning: Locator
  constructor(private readonly studio: StudioPage) {
    this.card = studio.id('plan-preview')
    this.rows = this.card.locator('tbody tr')
    this.estimate = studio.id('estimate')
    this.warning = studio.id('estimate-warning')
  }

  row(label: string): Locator {
    return this.rows.filter({ has: this.studio.page.locator('td.label', { hasText: new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) })
  }

  labels(): Promise<string[]> {
    return this.rows.locator('td.label').allTextContents()
  }
}

test('the plan and the time before starting: devices at their nearest formats, a long run warned, requested formats', async ({ appPage, consoleErrors }, testInfo) => {
  test.setTimeout(120_000)
  const studio = new StudioPage(appPage)
  const plan = new PlanPreview(studio)
  await studio.setupExperiment({}, DEVICES)

  // nearest formats (the default): the int8-only Ethos-U55 trains each algorithm once more, at 8-bit weights
  await expect.poll(() => plan.labels()).toEqual(['backprop', 'backprop · W8', 'zo-spsa', 'zo-spsa · W8'])
  await expect(studio.id('plan-headline')).toHaveText('4 trainings on 3 devices')
  const w8 = plan.row('backprop · W8')
  await expect(w8).toContainText('W8 A8 G16 acc32 half-away')
  await expect(w8.getByTestId('plan-change-1-0')).toContainText('1 device: 16-bit weights → 8-bit')
  await expect(w8.getByTestId('plan-change-1-0')).toContainText('Alif Ensemble E7')
  // the engine's sentence, with the device and why, in the change's tooltip
  await expect(w8.getByTestId('plan-change-1-0').getByTitle(/^16-bit weights → 8-bit: Alif Ensemble E7 — high-performance subsystem .* runs 8$/)).toBeVisible()
  await expect(plan.row('backprop')).toContainText('as requested: Nordic nRF52840, Espressif ESP32-S3')

  // the measured estimate, then per training
  await expect(plan.estimate).toHaveText(/^(≈ .+|under 1 s) on this machine \(4 runs, (all at once|one at a time|\d at a time); measured from a trial step\)$/, { timeout: 60_000 })
  await expect(plan.row('backprop').locator('td.time')).toHaveText(/\d/)
  await expect(plan.warning).toHaveCount(0)
  await expect(studio.id('experiment-status')).toContainText(/^Ready to run · /)
  // from the Run bar, wherever the user is in the form
  await studio.id('show-plan').click()
  await expect(plan.card).toBeInViewport()

  // a million steps: not a plain "Ready to run"
  await studio.id('exp-steps').fill('1000000')
  await expect(plan.warning).toBeVisible({ timeout: 60_000 })
  await expect(plan.warning).toContainText(/^Long experiment: about \d+ (minutes|hours?|days?|months?|years?) on this machine\./)
  await expect(plan.warning).toContainText(/“backprop( · W8)?” \(1,000,000 steps, /)
  await expect(studio.id('experiment-status')).toContainText(/^Ready to run, but long: about /)
  await studio.shot('experiment-plan', testInfo, { tall: true })

  // every device at the requested formats: one training per algorithm, the Alif said to be out
  await studio.id('exp-deviceFormats').selectOption('requested')
  await expect.poll(() => plan.labels()).toEqual(['backprop', 'zo-spsa'])
  await expect(studio.id('plan-headline')).toHaveText('2 trainings on 3 devices')
  await expect(plan.row('backprop')).toContainText('1 device infeasible, lacks 16-bit weights — Alif Ensemble E7')
  await expect(plan.row('backprop')).toContainText('as requested: Nordic nRF52840, Espressif ESP32-S3')
  await expect(plan.estimate).toContainText('(2 runs, ', { timeout: 60_000 })
  await studio.shot('experiment-plan-requested', testInfo, { tall: true })
  expect(consoleErrors).toEqual([])
})

test('a run’s own formats: "as the experiment" until set, the checker’s errors next to them, the plan follows', async ({ appPage, consoleErrors }, testInfo) => {
  const studio = new StudioPage(appPage)
  const plan = new PlanPreview(studio)
  await studio.setupExperiment({ steps: '30' })
  const formats = studio.id('exp-run-formats-1')
  await expect(formats).toContainText('as the experiment')
  await formats.locator('summary').click()
  const bits = studio.id('exp-runs[1].formats.weightBits')
  await expect(bits).toHaveAttribute('placeholder', '16 (experiment)')
  await expect(studio.id('exp-runs[1].formats.rounding')).toHaveValue('') // not in the spec: inherited
  await expect(studio.id('exp-runs[1].formats.rounding').locator('option:checked')).toHaveText('half-away (experiment)')

  await bits.fill('1')
  await expect(studio.id('exp-error-runs[1].formats.weightBits')).toContainText(/2/)
  await expect(bits).toHaveAttribute('aria-invalid', 'true')
  await expect(studio.id('run-experiment')).toBeDisabled()
  await formats.scrollIntoViewIfNeeded()
  await studio.shot('experiment-run-formats', testInfo)

  await bits.fill('8')
  await studio.id('exp-runs[1].formats.rounding').selectOption('half-even')
  await expect(studio.id('exp-run-own-formats-1')).toHaveText('own: W8, half-even rounding')
  await expect.poll(() => plan.labels()).toEqual(['backprop', 'zo-spsa'])
  await expect(plan.row('zo-spsa')).toContainText('W8 A8 acc32 half-even')
  await expect(studio.id('run-experiment')).toBeEnabled()

  // cleared, the run is back to the experiment's formats
  await bits.fill('')
  await studio.id('exp-runs[1].formats.rounding').selectOption('')
  await expect(formats).toContainText('as the experiment')
  await expect(plan.row('zo-spsa')).toContainText('W16 A8 acc32 half-away')
  expect(consoleErrors).toEqual([])
})
