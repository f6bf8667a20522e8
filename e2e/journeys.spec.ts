// The user journeys of issue 5, against the real handlers, run store, worker pool and worker threads
// (fixtures/app.ts). Every journey saves a screenshot under test-results/screenshots.
import { test, expect } from './fixtures/app'
import { StudioPage } from './pages/studio.page'

/** A run long enough to cancel or kill in the middle, short per step. */
const LONG = { steps: '3000', evalEvery: '100' }
/** A run that ends in a few seconds. */
const SHORT = { steps: '30', evalEvery: '10' }

test('run the default experiment: both algorithms\' charts update live, then the summary', async ({ appPage, consoleErrors }, testInfo) => {
  test.setTimeout(240_000)
  const studio = new StudioPage(appPage)
  await studio.setupExperiment({}, [])
  await studio.run()

  // live: progress and the charts' point and update counts grow while the run goes
  await expect.poll(() => studio.stepsDone(0), { timeout: 120_000 }).toBeGreaterThan(0)
  await expect.poll(() => studio.stepsDone(1), { timeout: 60_000 }).toBeGreaterThan(0)
  const chart = studio.id('chart-loss')
  const before = { points: Number(await chart.getAttribute('data-points')), updates: Number(await chart.getAttribute('data-updates')), at: Date.now() }
  await expect.poll(async () => Number(await chart.getAttribute('data-points')), { timeout: 30_000 }).toBeGreaterThan(before.points)
  await studio.shot('dashboard-live', testInfo)
  await expect(studio.id('dashboard-status')).toHaveText('finished', { timeout: 180_000 })
  const after = { updates: Number(await chart.getAttribute('data-updates')), at: Date.now() }
  // a figure for the close note, not an assertion (speed is measured, never asserted in tests)
  testInfo.annotations.push({ type: 'chart updates per second while streaming', description: ((after.updates - before.updates) / ((after.at - before.at) / 1000)).toFixed(1) })

  await expect(studio.id('run-progress-0')).toHaveText('150 / 150')
  await expect(studio.id('run-progress-1')).toHaveText('150 / 150')
  await expect(studio.id('run-row-0')).toContainText('backprop')
  await expect(studio.id('run-row-1')).toContainText('zo-spsa')
  for (const c of ['chart-accuracy', 'chart-memory', 'chart-cycles']) await expect(studio.id(c)).toBeVisible()
  await studio.shot('dashboard', testInfo, { tall: true })
  expect(consoleErrors).toEqual([])
})

test('a device whose SRAM is too small shows backprop infeasible, with the reason; an int8-only NPU trains at 8 bits', async ({ appPage }, testInfo) => {
  test.setTimeout(120_000)
  const studio = new StudioPage(appPage)
  // default formats (W16 A8 G16 acc32 half-away), each device at its nearest: the Ethos-U55 of the Alif E7 takes 8-bit weights only
  await studio.setupExperiment(SHORT, ['nrf52840', 'esp32-s3', 'alif-e7-hp'])
  await studio.run()
  // the plan: backprop (run 0) and backprop · W8 (run 1, the NPU), zo-spsa (run 2) and zo-spsa · W8 (run 3)
  await expect(studio.id('run-progress-3')).toBeVisible()
  const why = studio.id('infeasible-0-nrf52840')
  await expect(why).toBeVisible({ timeout: 60_000 })
  await expect(why).toContainText(/needs \d+ KiB of SRAM, has 256 KiB/)
  await expect(why).toContainText('activation gradients')
  await expect(studio.id('infeasible-2-nrf52840')).toHaveCount(0) // zo-spsa fits
  await expect(studio.id('dashboard-status')).toHaveText('finished', { timeout: 90_000 })
  await expect(studio.id('verdict-0-nrf52840')).toContainText('✗ memory')
  await expect(studio.id('verdict-0-nrf52840')).toContainText('KiB of SRAM')
  // what it would cost is in brackets: not a figure to choose by
  await expect(studio.id('entry-row-0-nrf52840')).toContainText(/\(\d/)
  await expect(studio.id('entry-row-2-nrf52840')).toContainText('zo-spsa')
  await expect(studio.id('verdict-2-nrf52840')).toContainText('✓ runs')
  await expect(studio.id('verdict-0-esp32-s3')).toContainText('✓ runs') // 512 KiB holds backprop's 385
  // the NPU is judged at 8-bit weights, and says so
  await expect(studio.id('entry-row-1-alif-e7-hp')).toContainText('backprop · W8')
  await expect(studio.id('changed-1-alif-e7-hp')).toBeVisible()
  await expect(studio.id('format-changes')).toContainText('16-bit weights → 8-bit')
  await expect(studio.id('entry-row-0-alif-e7-hp')).toHaveCount(0) // not priced at formats it cannot run
  await studio.shot('infeasible', testInfo)
  await studio.shot('dashboard-devices', testInfo, { tall: true })
})

test('the default experiment on all 17 presets: one ranked table that fits the window and sorts, grouped reasons, charts on the best few', async ({ appPage, consoleErrors }, testInfo) => {
  test.setTimeout(300_000)
  const studio = new StudioPage(appPage)
  await appPage.setViewportSize({ width: 1280, height: 800 })
  await studio.setupExperiment({ steps: '40', evalEvery: '20' }, [])
  const boxes = studio.id('exp-profiles').locator('input[type=checkbox]')
  const n = await boxes.count()
  expect(n).toBeGreaterThanOrEqual(17)
  for (let i = 0; i < n; i++) await boxes.nth(i).check()
  await studio.run()
  await expect(studio.id('dashboard-status')).toHaveText('finished', { timeout: 240_000 })

  const table = studio.id('ranked-table')
  const rows = table.locator('tbody tr')
  const count = await rows.count()
  await expect(studio.id('ranked-count')).toContainText(`${count} pairs`)
  expect(count).toBeGreaterThanOrEqual(2 * n) // every device judged by both algorithms
  // every column is inside the window at 1280×800, without scrolling sideways
  const width = appPage.viewportSize()!.width
  for (const h of await table.locator('thead th').all()) {
    const b = (await h.boundingBox())!
    expect(b.x + b.width).toBeLessThanOrEqual(width)
  }
  // the ranking puts every pair that runs before any that cannot
  const verdicts = await table.locator('tbody tr td:nth-child(4)').allTextContents()
  const firstOut = verdicts.findIndex((v) => v.includes('✗'))
  if (firstOut >= 0) expect(verdicts.slice(firstOut).every((v) => v.includes('✗'))).toBe(true)
  // sorting by energy (per step, the cell's first line) ascending, then descending
  const energies = async () => (await table.locator('tbody tr td:nth-child(8)').evaluateAll((tds) => tds.map((td) => td.querySelector('.step')?.textContent ?? '')))
  const toUj = (t: string) => {
    const m = /([\d.]+) (nJ|µJ|mJ|J)/.exec(t)
    return m ? Number(m[1]) * { nJ: 1e-3, µJ: 1, mJ: 1e3, J: 1e6 }[m[2] as 'nJ']! : NaN
  }
  await studio.id('sort-energy').click()
  const up = (await energies()).map(toUj).filter((v) => !Number.isNaN(v))
  expect(up.length).toBe(count)
  expect(up).toEqual([...up].sort((a, b) => a - b))
  await studio.id('sort-energy').click()
  const down = (await energies()).map(toUj)
  expect(down).toEqual([...down].sort((a, b) => b - a))
  await studio.id('sort-rank').click()

  // reasons grouped and folded, not a screen of boxes before the first chart
  const blockers = studio.id('blockers')
  if (firstOut >= 0) {
    await expect(blockers).toContainText(`${count - firstOut} of ${count}`)
    expect((await blockers.boundingBox())!.height).toBeLessThan(120)
  }
  // the memory and cycles charts start on the best 6 devices; the picker adds the others
  await expect(studio.id('device-picker')).toContainText(`6 of ${n}`)
  await studio.shot('dashboard-catalogue', testInfo)
  await studio.id('device-picker').locator('summary').click()
  await studio.id('picker-all').click()
  await expect(studio.id('device-picker')).toContainText(`${n} of ${n}`)
  await studio.id('device-picker').locator('summary').click()
  await expect(studio.id('chart-cycles')).toBeVisible()
  await studio.shot('dashboard-catalogue-all-devices', testInfo, { tall: true })
  expect(consoleErrors).toEqual([])
})

test('16-bit activations with 32-bit accumulators: the saturation is shown where it happens, per layer and phase', async ({ appPage }, testInfo) => {
  test.setTimeout(120_000)
  const studio = new StudioPage(appPage)
  await studio.setupExperiment({ ...SHORT, 'formats.weightBits': '16', 'formats.activationBits': '16' }, [])
  await studio.run()
  await expect(studio.id('dashboard-status')).toHaveText('finished', { timeout: 90_000 })
  await expect(studio.id('health-notes')).toContainText('saturat')
  const table = studio.id('health-table')
  await expect(table.locator('tbody tr').first()).toBeVisible()
  await expect(table.locator('tbody tr').first()).toContainText('%')
  await expect(studio.id('run-table')).toContainText('⚠')
  await studio.shot('dashboard-health', testInfo, { tall: true })
})

test('the Devices table says what each energy constant rests on and what the constants were fitted to', async ({ appPage }, testInfo) => {
  const studio = new StudioPage(appPage)
  await studio.goto('devices')
  // a board with MLPerf Tiny energy runs: its static power is fitted to them, its pJ/MAC is the generic 45 nm figure
  await expect(studio.id('device-static-stm32l4r5')).toContainText('device measured')
  await expect(studio.id('device-pj-stm32l4r5')).toContainText('generic process node')
  await expect(studio.id('device-fitted-stm32l4r5')).toContainText('X-CUBE-AI')
  await expect(studio.id('device-fitted-stm32l4r5')).toContainText('MLPerf Tiny v1.1')
  await expect(studio.id('device-static-nrf52840')).toContainText('datasheet')
  await expect(studio.id('device-fitted-nrf52840')).toHaveText('—')
  await studio.shot('devices-energy-basis', testInfo)
})

test('an invalid profile value shows its message and is not saved', async ({ appPage }, testInfo) => {
  const studio = new StudioPage(appPage)
  await studio.goto('devices')
  await studio.id('device-row-nrf52840').click()
  await studio.id('profile-duplicate').click()
  const sram = studio.id('field-memory.sram.sizeKiB')
  await sram.fill('-5')
  await expect(studio.id('field-error-memory.sram.sizeKiB')).toContainText(/must be/)
  await expect(sram).toHaveAttribute('aria-invalid', 'true')
  await studio.id('profile-save').click()
  await expect(studio.id('profile-status')).toContainText(/not saved/i)
  expect((await studio.callApi('listProfiles')).map((e) => e.profile.id)).not.toContain('nrf52840-copy')
  await studio.shot('device-editor-invalid', testInfo)

  // fixed, it saves and joins the library
  await sram.fill('512')
  await expect(studio.id('field-error-memory.sram.sizeKiB')).toHaveCount(0)
  await studio.id('profile-save').click()
  await expect(studio.id('profile-status')).toContainText(/saved/i)
  await expect(studio.id('device-row-nrf52840-copy')).toBeVisible()
  const saved = (await studio.callApi('listProfiles')).find((e) => e.profile.id === 'nrf52840-copy')
  expect(saved).toMatchObject({ origin: 'user', profile: { memory: { sram: { sizeKiB: 512 } } } })
  await studio.shot('device-editor', testInfo)
  await studio.page.keyboard.press('Control+Shift+L') // light
  await studio.page.keyboard.press('Control+Shift+L') // dark
  await studio.shot('device-editor-dark', testInfo)
})

test('cancel an experiment: it stops, keeps its metrics, and History lists it as cancelled', async ({ appPage }, testInfo) => {
  test.setTimeout(120_000)
  const studio = new StudioPage(appPage)
  await studio.setupExperiment(LONG)
  await studio.run()
  await expect.poll(() => studio.stepsDone(0), { timeout: 60_000 }).toBeGreaterThan(5)
  await studio.id('cancel-run').click()
  await expect(studio.id('confirm-dialog')).toBeVisible()
  await studio.id('confirm-ok').click()
  await expect(studio.id('dashboard-status')).toHaveText('cancelled', { timeout: 30_000 })
  const done = await studio.stepsDone(0)
  expect(done).toBeGreaterThan(5)
  expect(done).toBeLessThan(3000)
  await studio.shot('cancelled', testInfo)
  await studio.goto('history')
  const experiments = await studio.callApi('listExperiments')
  await expect(studio.id(`history-status-${experiments[0].meta.id}`)).toHaveText('cancelled')
})

test('restart: finished experiments are intact and one interrupted by a kill is marked interrupted, with its metrics', async ({ studio: launcher }, testInfo) => {
  test.setTimeout(180_000)
  const first = await launcher.launch()
  let studio = new StudioPage(first.page)
  await studio.setupExperiment(SHORT)
  await studio.run()
  await expect(studio.id('dashboard-status')).toHaveText('finished', { timeout: 90_000 })
  await studio.setupExperiment(LONG)
  await studio.run()
  await expect.poll(() => studio.stepsDone(0), { timeout: 60_000 }).toBeGreaterThan(20)
  await first.kill() // kill -9: nothing gets to clean up

  const second = await launcher.launch()
  studio = new StudioPage(second.page)
  await studio.goto('history')
  const experiments = await studio.callApi('listExperiments')
  expect(experiments.map((r) => r.meta.status)).toEqual(['interrupted', 'finished'])
  const [killed, finished] = experiments
  await expect(studio.id(`history-status-${killed.meta.id}`)).toHaveText('interrupted')
  await expect(studio.id(`history-status-${finished.meta.id}`)).toHaveText('finished')
  expect(finished.results.map((r) => r.label)).toEqual(['backprop', 'zo-spsa'])
  await studio.shot('history-after-kill', testInfo)

  await studio.id(`history-open-${killed.meta.id}`).click()
  await expect(studio.id('dashboard-status')).toHaveText('interrupted')
  expect(await studio.stepsDone(0)).toBeGreaterThan(10) // what it recorded before the kill (at most one batch lost)
  await studio.shot('interrupted-run', testInfo)
})

test('compare two past experiments', async ({ appPage }, testInfo) => {
  test.setTimeout(180_000)
  const studio = new StudioPage(appPage)
  for (const bits of ['8', '16']) {
    await studio.setupExperiment({ ...SHORT, 'formats.weightBits': bits })
    await studio.run()
    await expect(studio.id('dashboard-status')).toHaveText('finished', { timeout: 90_000 })
  }
  await studio.goto('history')
  const experiments = await studio.callApi('listExperiments')
  expect(experiments).toHaveLength(2)
  for (const r of experiments) await studio.id(`history-select-${r.meta.id}`).check()
  await studio.id('history-compare').click()
  await expect(studio.id('compare-view')).toBeVisible()
  await expect(studio.id('compare-chart')).toBeVisible()
  await expect(studio.id('compare-table').locator('tbody tr')).toHaveCount(4) // 2 experiments × 2 runs
  await studio.shot('compare', testInfo, { tall: true })
})
