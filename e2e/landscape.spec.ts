// The loss-landscape journey (issue 13 §5): Ctrl+7 opens the view on the Experiment section's experiment (the
// built-in default), a small slice is computed by the real main-process handlers in a worker of the pool
// (fixtures/app.ts), the heat map has one cell per grid point, both trajectories are drawn and a hovered
// trajectory point's tooltip reads its step and loss; a second computation is cancelled and stops; a bad
// grid size is refused with a message naming the field.
import { test, expect } from './fixtures/app'
import { StudioPage } from './pages/studio.page'

// tall enough for the study's settings, the chart and its facts in one screenshot (docs/screenshots/landscape.png)
test.use({ viewport: { width: 1280, height: 1240 } })

interface Marker { run: number; step: number; x: number; y: number }

/** The page's clock (ms) at each change of the progress phase, for the timing annotation (not asserted). */
function recordPhases(): void {
  // the node tsconfig has no DOM lib: reach the document through globalThis
  type El = { querySelector(s: string): El | null; getAttribute(n: string): string | null }
  const g = globalThis as unknown as { document: El; performance: { now(): number }; MutationObserver: new (cb: () => void) => { observe(n: El, o: object): void }; lsPhases: [string, number][] }
  const root = g.document.querySelector('[data-testid=landscape]')!
  g.lsPhases = [['click', g.performance.now()]]
  let last = ''
  new g.MutationObserver(() => {
    const p = root.querySelector('[data-testid=ls-progress]')?.getAttribute('data-phase') ?? (root.querySelector('[data-testid=ls-chart]') ? 'chart' : 'none')
    if (p !== last && p !== 'none') { last = p; g.lsPhases.push([p, g.performance.now()]) }
  }).observe(root, { subtree: true, attributes: true, childList: true })
}

test('landscape: Ctrl+7, a small slice of the default experiment, both trajectories, hover, cancel, bad grid', async ({ appPage, consoleErrors }, testInfo) => {
  test.setTimeout(300_000)
  const studio = new StudioPage(appPage)
  await appPage.keyboard.press('Control+7')
  await expect(studio.navItem('landscape')).toHaveAttribute('aria-current', 'page')
  await expect(studio.id('landscape')).toBeVisible()
  // the default experiment's plan: backprop against zo-spsa
  await expect(studio.id('ls-run-a')).toHaveValue('0')
  await expect(studio.id('ls-run-a').locator('option:checked')).toHaveText('backprop')
  await expect(studio.id('ls-run-b').locator('option:checked')).toHaveText('zo-spsa')

  // a bad grid size names its field and why, and nothing starts
  await studio.id('ls-a-points').fill('1')
  await studio.id('ls-compute').click()
  await expect(studio.id('ls-error')).toContainText('grid.aPoints')
  await expect(studio.id('ls-error')).toContainText('[2, 51]')
  await expect(studio.id('ls-progress')).toHaveCount(0)

  // a small grid: GRID × GRID points, few evaluation samples and trajectory points
  const GRID = 9 // over [-0.5, 1.5]: steps of 0.25, so the start (0, 0) and both ends lie on cell centres
  await studio.id('ls-a-points').fill(String(GRID))
  await studio.id('ls-b-points').fill(String(GRID))
  await studio.id('ls-eval-samples').fill('32')
  await studio.id('ls-snapshots').fill('6')
  await appPage.evaluate(recordPhases)
  await studio.id('ls-compute').click()
  await expect(studio.id('ls-error')).toHaveCount(0)
  await expect(studio.id('ls-progress')).toBeVisible()
  const chart = studio.id('ls-chart')
  await expect(chart).toBeVisible({ timeout: 240_000 })
  // not an assertion (speed is measured, never asserted): the figures docs/landscape.md quotes
  const phases = await appPage.evaluate(() => (globalThis as unknown as { lsPhases: [string, number][] }).lsPhases)
  testInfo.annotations.push({ type: `${GRID}x${GRID} slice of the default experiment: seconds from the click to each phase`, description: phases.map(([p, t]) => `${p} ${((t - phases[0][1]) / 1000).toFixed(1)}`).join(' · ') })
  await expect(chart).toHaveAttribute('data-cells', String(GRID * GRID))
  await expect(studio.id('ls-facts')).toContainText(`${GRID * GRID} grid points`)

  // both trajectories are drawn: each has its step-0 point plus the snapshots
  await expect.poll(async () => (JSON.parse((await chart.getAttribute('data-markers')) ?? '[]') as Marker[]).length).toBeGreaterThan(0)
  const markers = JSON.parse((await chart.getAttribute('data-markers')) ?? '[]') as Marker[]
  expect(new Set(markers.map((m) => m.run))).toEqual(new Set([0, 1]))
  for (const run of [0, 1]) expect(markers.filter((m) => m.run === run).length).toBeGreaterThan(1)

  // hover the backprop run's last point: the tooltip reads its step and its loss
  const canvas = chart.locator('.chart')
  const last = markers.filter((m) => m.run === 0).at(-1)!
  await canvas.hover({ position: { x: last.x, y: last.y } })
  const tip = chart.locator('.chart > div').filter({ hasText: 'step' })
  await expect(tip).toContainText(`backprop · step ${last.step}`)
  await expect(tip).toContainText(/loss \d+\.\d{4} nats/)
  await studio.shot('landscape', testInfo)

  // a second computation, cancelled in the middle of re-running the runs (the worker is ended): it stops,
  // the view says so, and the first slice stays on the chart
  await studio.id('ls-a-points').fill('21')
  await studio.id('ls-compute').click()
  await expect(studio.id('ls-progress')).toHaveAttribute('data-phase', /^re-running /, { timeout: 60_000 })
  await studio.id('ls-cancel').click()
  await expect(studio.id('ls-cancelled')).toHaveText('Cancelled.', { timeout: 30_000 })
  await expect(studio.id('ls-progress')).toHaveCount(0)
  await expect(studio.id('ls-cancel')).toHaveCount(0)
  await expect(studio.id('ls-compute')).toBeEnabled()
  await expect(chart).toHaveAttribute('data-cells', String(GRID * GRID))
  expect(consoleErrors).toEqual([])
})
