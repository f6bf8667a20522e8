// The device-selection report as its reader gets it: made by the built CLI from a small sweep, opened in
// Chromium (offline: any network request fails the test), its PDF's pages rendered by poppler's pdftoppm
// and checked not to be blank, and the sweep it quotes re-run to the same numbers, bit for bit.
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { expect, test } from '@playwright/test'

const root = resolve(import.meta.dirname, '..')
const cli = join(root, 'cli', 'bin.mjs')
const tmp = mkdtempSync(join(tmpdir(), 'lastmile-report-e2e-'))

const SWEEP = {
  name: 'e2e-which-chip',
  experiment: { seed: 5, data: { dataset: 'synthetic', pretrainPerClass: 20, shots: 6, testPerClass: 10, corruption: 'rotate' }, model: 'dscnn-mnist', pretrain: { epochs: 1 }, steps: 8, evalEvery: 4 },
  devices: ['alif-e7-hp', 'generic-dsp-128', 'nrf52840', 'rp2040'],
  formats: [{ weightBits: 8, activationBits: 8 }, { weightBits: 16, activationBits: 8 }],
  runs: [{ algorithm: 'backprop' }, { algorithm: 'zo-spsa' }],
  constraints: { minAccuracy: 0.05, rankBy: 'energy' },
}

function lastmile(...args: string[]): void {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`lastmile ${args.join(' ')} failed: ${(r.stderr || r.stdout).slice(-600)}`)
}

const readRows = (dir: string) => (JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')).rows as Record<string, unknown>[])
  .map(({ trial, device, formats, zeroShotAccuracy, finalAccuracy, secondsPerStep, energyUjPerStep, sramDemandBytes, feasible }) => ({ trial, device, formats, zeroShotAccuracy, finalAccuracy, secondsPerStep, energyUjPerStep, sramDemandBytes, feasible }))

/** Fraction of pixels darker than near-white in a binary PGM (P5) file, as pdftoppm -gray writes it. */
function inkFraction(pgm: Buffer): number {
  const header = pgm.subarray(0, 64).toString('latin1').split(/\s+/)
  if (header[0] !== 'P5') throw new Error('not a binary PGM')
  const [w, h, max] = [Number(header[1]), Number(header[2]), Number(header[3])]
  const data = pgm.subarray(pgm.length - w * h)
  let ink = 0
  for (const v of data) if (v < 0.9 * max) ink++
  return ink / (w * h)
}

test.describe.configure({ mode: 'serial' })

test.beforeAll(() => {
  writeFileSync(join(tmp, 'sweep.json'), JSON.stringify(SWEEP))
  lastmile('sweep', join(tmp, 'sweep.json'), '--out', join(tmp, 'run'), '--workers', '2', '--quiet')
  lastmile('report', join(tmp, 'run'), '--out', join(tmp, 'report'))
})

test('the HTML report is self-contained and names a device and why', async ({ page }) => {
  test.setTimeout(120_000)
  const requests: string[] = []
  page.on('request', (r) => { if (!r.url().startsWith('file:')) requests.push(r.url()) })
  await page.goto(pathToFileURL(join(tmp, 'report', 'report.html')).href)
  const report = JSON.parse(readFileSync(join(tmp, 'report', 'report.json'), 'utf8'))
  const top = report.selection.ranked[0]
  await expect(page.locator('[data-section="recommendation"]')).toContainText(top.deviceName)
  await expect(page.locator('[data-section="recommendation"]')).toContainText('per step')
  await expect(page.locator('[data-section="ranking"] tbody tr')).toHaveCount(report.selection.ranked.length)
  if (report.selection.rejected.length) await expect(page.locator('[data-section="rejected"]')).toContainText(/over|short|does not run/)
  await expect(page.locator('[data-section="constraints"]')).toContainText('ranked by energy per adaptation')
  // the charts are inline SVG drawn from the data: three fronts, two heat maps per algorithm, memory, phases
  await expect(page.locator('[data-section="pareto"] svg')).toHaveCount(3)
  await expect(page.locator('[data-section="heatmaps"] svg')).toHaveCount(4)
  await expect(page.locator('[data-section="memory"] svg')).toHaveCount(1)
  await expect(page.locator('[data-section="calibration"] tbody tr')).toHaveCount(SWEEP.devices.length)
  // what each device's energy constants rest on, and what its constants were fitted to (none of these four is)
  await expect(page.locator('[data-section="calibration"]')).toContainText('datasheet / generic-process-node')
  await expect(page.locator('[data-section="calibration"]')).toContainText('assumed / generic-process-node')
  await expect(page.locator('[data-section="calibration"]')).toContainText('nothing fitted')
  await expect(page.locator('[data-section="trials"] tbody tr')).toHaveCount(report.rows.length)
  await expect(page.locator('[data-section="reproduce"]')).toContainText(report.reproduce.engineVersion)
  expect(await page.locator('script').count()).toBe(0)
  expect(requests).toEqual([])
  await page.setViewportSize({ width: 1280, height: 800 })
  mkdirSync('test-results/screenshots', { recursive: true })
  await page.screenshot({ path: 'test-results/screenshots/report-html.png' })
})

/**
 * In the reader's browser, no chart text runs past its chart's edge, no two texts overlap, and no text covers a
 * legend icon or point (marks of at most 14 × 14 px). ECharts' server-side renderer places text by Arial's
 * advance widths; drawn in a wider font (system-ui, DejaVu Sans here) the legend entries ran into the next
 * entry's icon and the heat maps' titles past their edge, which this test caught.
 */
test('chart texts fit their chart and cover neither each other nor legend icons', async ({ page }) => {
  await page.goto(pathToFileURL(join(tmp, 'report', 'report.html')).href)
  const problems = await page.evaluate(() => {
    // the e2e project has no DOM lib: the few DOM members used here, typed by hand
    type Box = { left: number; right: number; top: number; bottom: number; width: number; height: number }
    type El = { textContent: string | null; getBoundingClientRect: () => Box; querySelectorAll: (s: string) => Iterable<El> }
    const doc = (globalThis as unknown as { document: El }).document
    const out: string[] = []
    const overlap = (a: Box, b: Box) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1
    ;[...doc.querySelectorAll('[data-section] svg')].forEach((svg, k) => {
      const edge = svg.getBoundingClientRect()
      const texts = [...svg.querySelectorAll('text')].filter((t) => t.textContent?.trim()).map((t) => ({ s: t.textContent ?? '', r: t.getBoundingClientRect() }))
      const marks = [...svg.querySelectorAll('path, rect, circle')].map((e) => e.getBoundingClientRect()).filter((r) => r.width > 0 && r.height > 0 && r.width <= 14 && r.height <= 14)
      texts.forEach((t, i) => {
        if (t.r.left < edge.left - 1 || t.r.right > edge.right + 1) out.push(`chart ${k}: "${t.s}" runs past the chart's edge`)
        for (const u of texts.slice(i + 1)) if (overlap(t.r, u.r)) out.push(`chart ${k}: "${t.s}" overlaps "${u.s}"`)
        if (marks.some((m) => overlap(t.r, m))) out.push(`chart ${k}: "${t.s}" covers a legend icon or point`)
      })
    })
    return out
  })
  expect(problems).toEqual([])
})

test('every page of the PDF has content', () => {
  const pdf = join(tmp, 'report', 'report.pdf')
  execFileSync('pdftoppm', ['-r', '40', '-gray', pdf, join(tmp, 'page')])
  const pages = readdirSync(tmp).filter((f) => /^page-\d+\.pgm$/.test(f)).sort()
  expect(pages.length).toBeGreaterThanOrEqual(4)
  for (const p of pages) expect(inkFraction(readFileSync(join(tmp, p))), p).toBeGreaterThan(0.002)
  // the first page as a picture, to look at (the README's example page comes from the default sweep: docs/example-report/)
  mkdirSync('test-results/screenshots', { recursive: true })
  execFileSync('pdftoppm', ['-r', '80', '-png', '-f', '1', '-l', '1', '-singlefile', pdf, 'test-results/screenshots/report-page-1'])
})

test('re-running the sweep the report quotes gives the same numbers, bit for bit', () => {
  test.setTimeout(120_000)
  const quoted = JSON.parse(readFileSync(join(tmp, 'report', 'report.json'), 'utf8')).question.sweep
  writeFileSync(join(tmp, 'quoted.json'), JSON.stringify(quoted))
  lastmile('sweep', join(tmp, 'quoted.json'), '--out', join(tmp, 'rerun'), '--workers', '1', '--quiet')
  lastmile('report', join(tmp, 'rerun'), '--out', join(tmp, 'report-rerun'))
  expect(readRows(join(tmp, 'report-rerun'))).toEqual(readRows(join(tmp, 'report')))
})
