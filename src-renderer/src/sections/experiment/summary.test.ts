import { describe, expect, it } from 'vitest'
import { exportFileName, parseJsonFile, runTitle, summaryLine } from './summary'
import { catalogFixture, defaultSpecFixture } from './catalog.testing'

describe('summaryLine', () => {
  it('says how many algorithms on how many devices for how long', () => {
    const d = defaultSpecFixture()
    d.profiles = ['a', 'b', 'c']
    expect(summaryLine(d)).toBe('2 algorithms × 3 devices, 150 steps each')
    d.profiles = ['a']
    d.runs = d.runs.slice(0, 1)
    expect(summaryLine(d)).toBe('1 algorithm × 1 device, 150 steps')
  })

  it('says when nothing is priced', () => {
    expect(summaryLine(defaultSpecFixture())).toBe('2 algorithms, no device (accuracy only), 150 steps each')
  })

  it('shows a range when a run has its own step count, and no steps while they are invalid', () => {
    const d = defaultSpecFixture()
    d.runs[1].steps = 600
    expect(summaryLine(d)).toBe('2 algorithms, no device (accuracy only), 150–600 steps')
    d.steps = 1_000_000
    expect(summaryLine(d)).toBe('2 algorithms, no device (accuracy only), 600–1,000,000 steps')
    d.runs[1].steps = undefined
    expect(summaryLine(d)).toBe('2 algorithms, no device (accuracy only), 1,000,000 steps each')
    ;(d as { steps: unknown }).steps = ''
    expect(summaryLine(d)).toBe('2 algorithms, no device (accuracy only)')
  })
})

describe('runTitle', () => {
  const catalog = catalogFixture()
  it('names the run by its label and algorithm', () => {
    expect(runTitle({ algorithm: 'zo-spsa', scope: { kind: 'all' }, hyperparameters: {} }, 1, catalog)).toBe('Run 2 · Zeroth-order SPSA')
    expect(runTitle({ label: 'zo-fast', algorithm: 'zo-spsa', scope: { kind: 'all' }, hyperparameters: {} }, 0, catalog)).toBe('Run 1 · zo-fast — Zeroth-order SPSA')
    expect(runTitle({ algorithm: 'gone', scope: { kind: 'all' }, hyperparameters: {} }, 0, catalog)).toBe('Run 1 · gone')
  })
})

describe('files', () => {
  it('names an export after the experiment, safely', () => {
    expect(exportFileName('w8 vs w16 / rotate')).toBe('w8-vs-w16-rotate.json')
    expect(exportFileName('')).toBe('experiment.json')
    expect(exportFileName(undefined)).toBe('experiment.json')
    expect(exportFileName('../..')).toBe('experiment.json')
  })

  it('reads JSON or says why not', () => {
    expect(parseJsonFile('{"steps": 3}')).toEqual({ ok: true, value: { steps: 3 } })
    const bad = parseJsonFile('{steps')
    expect(bad.ok).toBe(false)
    if (!bad.ok) expect(bad.message).toMatch(/^not JSON/)
  })
})
