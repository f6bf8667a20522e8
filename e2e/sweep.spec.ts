// The Sweep section as a user meets it, against the real handlers, sweep service, worker pool and worker
// threads (fixtures/app.ts): a small sweep set up in the form, run with live progress, its trade-off
// views and table, a re-ranking under a tighter constraint, the CSV export checked byte for byte against
// the table, and a sweep resumed after the main process was killed without recomputing what it finished.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test, expect } from './fixtures/app'
import { StudioPage } from './pages/studio.page'

/** A task that trains in a few seconds per training (the report e2e's). */
const EXPERIMENT = {
  seed: 5,
  data: { dataset: 'synthetic', pretrainPerClass: 20, shots: 6, testPerClass: 10, corruption: 'rotate' },
  model: 'dscnn-mnist', pretrain: { epochs: 1 }, steps: 8, evalEvery: 4,
}
const DEVICES = ['alif-e7-hp', 'generic-dsp-128', 'nrf52840']

/** Sets up the sweep in the form: 3 devices, W8A8 and W16A8, backprop and zo-spsa, `experiment` as the base. */
async function setUpSweep(studio: StudioPage, name: string, experiment: Record<string, unknown>, settings = [['8', '8'], ['16', '8']]) {
  await studio.goto('sweep')
  if ((await studio.id('sweep-new').getAttribute('aria-expanded')) !== 'true') await studio.id('sweep-new').click()
  await expect(studio.id('sweep-summary')).toBeVisible() // the default sweep checks
  await studio.id('sweep-name').fill(name)
  await studio.id('sweep-devices-all').check()
  await studio.id('sweep-devices-all').uncheck()
  await expect(studio.id('sweep-error-devices')).toBeVisible() // no device: the engine names the field
  for (const d of DEVICES) await studio.id(`sweep-device-${d}`).check()
  while ((await studio.id('sweep-settings').locator('tbody tr').count()) > settings.length) await studio.id(`sweep-setting-remove-${settings.length}`).click()
  for (const [i, [w, a]] of settings.entries()) {
    await studio.id(`sweep-setting-${i}-weightBits`).fill(w)
    await studio.id(`sweep-setting-${i}-activationBits`).fill(a)
  }
  for (const alg of ['backprop', 'zo-spsa']) await studio.id(`sweep-alg-${alg}`).check()
  await studio.id('sweep-experiment').fill(JSON.stringify(experiment))
  await studio.id('sweep-constraints-minAccuracy').fill('5')
}

const detailCount = async (studio: StudioPage, attr: 'data-done' | 'data-trainings') => Number(await studio.id('sweep-detail-counts').getAttribute(attr))

test('a small sweep: progress, the trade-off views, sorting, a re-ranking and the CSV export', async ({ appPage, consoleErrors }, testInfo) => {
  test.setTimeout(180_000)
  const studio = new StudioPage(appPage)
  await setUpSweep(studio, 'e2e-sweep', EXPERIMENT)

  // live validation: a bad width is named under its field, and fixing it restores the summary
  await studio.id('sweep-grid-weightBits').fill('4, x')
  await expect(studio.id('sweep-error-grid.weightBits')).toBeVisible()
  await expect(studio.id('sweep-start')).toBeDisabled()
  await studio.id('sweep-grid-weightBits').fill('')
  await expect(studio.id('sweep-summary')).toHaveText('4 trials, 4 trainings on 3 devices')
  await studio.shot('sweep-form', testInfo)

  await studio.id('sweep-start').click()
  const detail = studio.id('sweep-detail')
  await expect(detail).toBeVisible()
  await expect(detail).toHaveAttribute('data-status', 'running')
  await expect(studio.id('nav-running-sweeps')).toHaveText('1 running')
  await expect(detail).toHaveAttribute('data-status', 'finished', { timeout: 120_000 })
  const trials = 4 * DEVICES.length // (trial × device) rows
  await expect(studio.id('sweep-detail-counts')).toContainText('4 of 4 trials complete on 3 devices · 4 of 4 trainings done')

  // every view draws every row
  await expect(studio.id('sweep-pareto')).toHaveAttribute('data-points', String(trials))
  await expect(studio.id('sweep-parallel')).toHaveAttribute('data-points', String(trials))
  await expect(studio.id('sweep-table-row')).toHaveCount(trials)
  await expect(studio.id('sweep-heat-accuracy-backprop')).toBeVisible()
  await expect(studio.id('sweep-heat-memory-zo-spsa')).toBeVisible()
  await studio.shot('sweep-results', testInfo, { tall: true })

  // sorting: by accuracy ascending, then descending
  const accuracies = async () => (await studio.id('sweep-table').locator('td[data-col="accuracy"]').allTextContents()).map((t) => parseFloat(t))
  await studio.id('sweep-sort-accuracy').click()
  const up = await accuracies()
  expect(up).toEqual([...up].sort((a, b) => a - b))
  await studio.id('sweep-sort-accuracy').click()
  const down = await accuracies()
  expect(down).toEqual([...up].sort((a, b) => b - a))
  // the filters
  await studio.id('sweep-table-device').selectOption('nrf52840')
  await expect(studio.id('sweep-table-row')).toHaveCount(4)
  await studio.id('sweep-table-device').selectOption('')
  await studio.id('sweep-table-filter').fill('zo-spsa')
  await expect(studio.id('sweep-table-row')).toHaveCount(trials / 2)
  await studio.id('sweep-table-filter').fill('')

  // a bound out of range is named under its field, in the units it was typed in
  await studio.id('select-constraints-minAccuracy').fill('200')
  await expect(studio.id('sweep-selection').getByTestId('sweep-error-constraints.minAccuracy')).toHaveText('must be from 0 to 100 %, got 200 %')
  await studio.id('select-constraints-minAccuracy').fill('5')
  await expect(studio.id('sweep-selection').getByTestId('sweep-error-constraints.minAccuracy')).toHaveCount(0)

  // the ranking re-ranks under a tighter constraint: an energy bound below every device's, so each is rejected "… over"
  const rankedBefore = await studio.id('sweep-ranking').locator('tbody tr[data-testid^="sweep-ranked-"]').count()
  expect(rankedBefore).toBeGreaterThan(0)
  await studio.id('select-constraints-maxEnergyUjPerStep').fill('0.000001')
  await expect(studio.id('sweep-ranking-none')).toBeVisible()
  await expect(studio.id('sweep-rejected').locator(':scope > li')).toHaveCount(DEVICES.length)
  await expect(studio.id(`sweep-rejected-${DEVICES[0]}`)).toContainText(/energy per step .*, at most .*: .* over/)
  await expect(studio.id('sweep-recommendation')).toContainText('No device meets every constraint')
  await studio.shot('sweep-ranking', testInfo)
  await studio.id('select-constraints-maxEnergyUjPerStep').fill('')
  await expect(studio.id('sweep-ranking').locator('tbody tr[data-testid^="sweep-ranked-"]')).toHaveCount(rankedBefore)

  // CSV of the table: one line per row, the header of the engine's CSV
  const [download] = await Promise.all([appPage.waitForEvent('download'), studio.id('sweep-table-csv').click()])
  expect(download.suggestedFilename()).toBe('e2e-sweep-trials.csv')
  const csv = readFileSync((await download.path())!, 'utf8').trim().split('\r\n')
  expect(csv[0].split(',').slice(0, 4)).toEqual(['trial', 'training', 'device', 'device_name'])
  expect(csv).toHaveLength(trials + 1)
  expect(new Set(csv.slice(1).map((l) => l.split(',')[2]))).toEqual(new Set(DEVICES))
  // the report's CSV and JSON through the export channel
  const [json] = await Promise.all([appPage.waitForEvent('download'), studio.id('sweep-export-json').click()])
  const report = JSON.parse(readFileSync((await json.path())!, 'utf8'))
  expect(report.rows).toHaveLength(trials)
  const [html] = await Promise.all([appPage.waitForEvent('download'), studio.id('sweep-export-html').click()])
  expect(html.suggestedFilename()).toBe('e2e-sweep-report.html')
  expect(readFileSync((await html.path())!, 'utf8')).toContain(report.selection.ranked[0].deviceName)
  const [pdf] = await Promise.all([appPage.waitForEvent('download', { timeout: 60_000 }), studio.id('sweep-export-pdf').click()])
  expect(readFileSync((await pdf.path())!).subarray(0, 5).toString('latin1')).toBe('%PDF-')

  // the Pareto chart and the table are linked: clicking a point on the front (found by its full-strength colour on
  // the canvas, below the legend) selects its row in the table; a row picked in the table is ringed in the chart
  await studio.id('sweep-pareto').scrollIntoViewIfNeeded()
  const spot = await studio.id('sweep-pareto').locator('canvas').first().evaluate((c) => {
    const canvas = c as unknown as { width: number; height: number; getBoundingClientRect(): { left: number; top: number; width: number }; getContext(k: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } }
    const scale = canvas.width / canvas.getBoundingClientRect().width
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height)
    for (let y = Math.round(40 * scale); y < canvas.height; y++) {
      for (let x = 0; x < canvas.width; x++) {
        const i = 4 * (y * canvas.width + x)
        const [r, g, b, a] = [data[i], data[i + 1], data[i + 2], data[i + 3]]
        if (a === 255 && Math.max(r, g, b) - Math.min(r, g, b) > 80 && Math.min(r, g, b) < 120) {
          const box = canvas.getBoundingClientRect()
          return { x: box.left + (x + 3) / scale, y: box.top + (y + 3) / scale }
        }
      }
    }
    return null
  })
  expect(spot).not.toBeNull()
  await appPage.mouse.click(spot!.x, spot!.y)
  await expect(studio.id('sweep-table').locator('tr.selected')).toHaveCount(1)
  const updates = Number(await studio.id('sweep-pareto').getAttribute('data-updates'))
  await studio.id('sweep-table-row').nth(2).click()
  await expect(studio.id('sweep-table-row').nth(2)).toHaveClass(/selected/)
  await expect.poll(async () => Number(await studio.id('sweep-pareto').getAttribute('data-updates'))).toBeGreaterThan(updates)
  expect(consoleErrors).toEqual([])
})

test('resume after a kill: the sweep is interrupted, Resume runs only the trainings it lacks, and it completes', async ({ studio: launcher }, testInfo) => {
  test.setTimeout(240_000)
  const first = await launcher.launch()
  let studio = new StudioPage(first.page)
  // 2 settings × 2 algorithms × 4 seeds: 16 trainings, enough to kill in the middle
  await setUpSweep(studio, 'e2e-resume', { ...EXPERIMENT, steps: 24, evalEvery: 8 })
  await studio.id('sweep-seeds').fill('1, 2, 3, 4')
  await expect(studio.id('sweep-summary')).toHaveText('16 trials, 16 trainings on 3 devices')
  await studio.id('sweep-start').click()
  const progress = studio.id('sweep-detail-progress')
  await expect.poll(async () => Number(await progress.getAttribute('data-done')), { timeout: 120_000 }).toBeGreaterThanOrEqual(2)
  expect(Number(await progress.getAttribute('data-done'))).toBeLessThan(16)
  await expect(studio.id('sweep-detail-progress-text')).toContainText('left')
  await studio.shot('sweep-progress', testInfo)
  await first.kill() // kill -9 mid-sweep: nothing gets to clean up

  const second = await launcher.launch()
  studio = new StudioPage(second.page)
  await studio.goto('sweep')
  const id = (await studio.id('sweep-detail').getAttribute('data-id'))!
  await expect(studio.id(`sweep-status-${id}`)).toHaveText('interrupted')
  // what it finished before the kill is kept (at most the trainings in flight are lost)
  const kept = await detailCount(studio, 'data-done')
  expect(kept).toBeGreaterThanOrEqual(2)
  expect(kept).toBeLessThan(16)
  await expect(studio.id('sweep-detail-counts')).toContainText(`Resume runs only the other ${16 - kept}`)
  await studio.shot('sweep-interrupted', testInfo)

  await studio.id(`sweep-resume-${id}`).click()
  await expect(studio.id('sweep-detail-progress')).toHaveAttribute('data-skipped', String(kept), { timeout: 30_000 })
  await expect(studio.id('sweep-detail-progress-skipped')).toHaveText(`${kept} finished before, not recomputed`)
  await expect(studio.id('sweep-detail')).toHaveAttribute('data-status', 'finished', { timeout: 180_000 })
  expect(await detailCount(studio, 'data-done')).toBe(16)
  await expect(studio.id('sweep-detail-trials')).toHaveText('16 of 16 trials complete')
  await expect(studio.id('sweep-table-row')).toHaveCount(16 * DEVICES.length)
  // the folder holds each training once: none was trained twice
  const lines = readFileSync(join(launcher.dataDir, 'sweeps', id, 'trainings.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { index: number })
  expect(lines).toHaveLength(16)
  expect(new Set(lines.map((l) => l.index)).size).toBe(16)
  await studio.shot('sweep-resumed', testInfo)
})

test('cancel a running sweep, then delete it after confirming', async ({ appPage }) => {
  test.setTimeout(120_000)
  const studio = new StudioPage(appPage)
  await setUpSweep(studio, 'e2e-cancel', { ...EXPERIMENT, steps: 24, evalEvery: 8 })
  await studio.id('sweep-seeds').fill('1, 2, 3, 4')
  await expect(studio.id('sweep-summary')).toHaveText('16 trials, 16 trainings on 3 devices')
  await studio.id('sweep-start').click()
  const id = (await studio.id('sweep-detail').getAttribute('data-id'))!
  await expect(studio.id(`sweep-status-${id}`)).toHaveText('running')
  await expect(studio.id(`sweep-delete-${id}`)).toBeDisabled() // a running sweep is cancelled first
  await studio.id(`sweep-cancel-${id}`).click()
  await expect(studio.id(`sweep-status-${id}`)).toHaveText('cancelled', { timeout: 30_000 })
  await expect(studio.id(`sweep-resume-${id}`)).toBeVisible()
  expect(await detailCount(studio, 'data-done')).toBeLessThan(16)
  await studio.id(`sweep-delete-${id}`).click()
  await studio.id('confirm-cancel').click()
  await expect(studio.id(`sweep-row-${id}`)).toBeVisible()
  await studio.id(`sweep-delete-${id}`).click()
  await studio.id('confirm-ok').click()
  await expect(studio.id(`sweep-row-${id}`)).toHaveCount(0)
  await expect(studio.id('sweep-detail')).toHaveCount(0)
  await expect(studio.id('sweep-list-empty')).toBeVisible()
})

test('every preset at once stays readable at 1280×800: the page never scrolls sideways, wide tables scroll in their cards', async ({ appPage }, testInfo) => {
  test.setTimeout(180_000)
  const studio = new StudioPage(appPage)
  await setUpSweep(studio, 'e2e-all-devices', EXPERIMENT, [['8', '8']])
  await studio.id('sweep-devices-all').check()
  const presets = await studio.id('sweep-devices').locator('input[type="checkbox"]').count()
  expect(presets).toBeGreaterThanOrEqual(17)
  await expect(studio.id('sweep-summary')).toContainText(`on ${presets} devices`)
  await studio.id('sweep-start').click()
  await expect(studio.id('sweep-detail')).toHaveAttribute('data-status', 'finished', { timeout: 150_000 })
  await expect(studio.id('sweep-table-row')).toHaveCount(2 * presets)
  await expect(studio.id('sweep-pareto')).toHaveAttribute('data-points', String(2 * presets))
  // nothing pushes the section wider than the window; the results table scrolls inside its card
  const main = await studio.id('main').evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }))
  expect(main.scroll).toBeLessThanOrEqual(main.client)
  const card = studio.id('sweep-table').locator('xpath=..')
  const box = await card.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth, overflow: (globalThis as unknown as { getComputedStyle: (e: unknown) => { overflowX: string } }).getComputedStyle(el).overflowX }))
  expect(box.overflow).toBe('auto')
  // long device names are cut with an ellipsis in the table, the full name in the tooltip
  const cell = studio.id('sweep-table-row').first().locator('td[data-col="device"]')
  expect(await cell.getAttribute('title')).toMatch(/\(.+\)$/)
  await studio.shot('sweep-all-devices', testInfo, { tall: true })
  // the charts follow the theme (system -> light -> dark)
  const updates = Number(await studio.id('sweep-parallel').getAttribute('data-updates'))
  await appPage.keyboard.press('Control+Shift+L')
  await appPage.keyboard.press('Control+Shift+L')
  await expect.poll(async () => Number(await studio.id('sweep-parallel').getAttribute('data-updates'))).toBeGreaterThan(updates)
  await studio.shot('sweep-all-devices-dark', testInfo, { tall: true })
})
