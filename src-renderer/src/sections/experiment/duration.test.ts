import { describe, expect, it } from 'vitest'
import { durationText, estimateLine, LONG_RUN_SECONDS, longRunWarning, readyText, roughDuration } from './duration'

describe('durationText', () => {
  it('is precise for short times and keeps two units at most', () => {
    expect(durationText(0.3)).toBe('under 1 s')
    expect(durationText(2.44)).toBe('2.4 s')
    expect(durationText(45.4)).toBe('45 s')
    expect(durationText(59.6)).toBe('1 min')
    expect(durationText(80)).toBe('1 min 20 s')
    expect(durationText(3599.6)).toBe('1 h')
    expect(durationText(7500)).toBe('2 h 5 min')
    expect(durationText(86399)).toBe('1 d')
    expect(durationText(3 * 86400 + 4 * 3600 + 100)).toBe('3 d 4 h')
  })

  it('says nothing false for nonsense', () => {
    expect(durationText(Number.NaN)).toBe('—')
    expect(durationText(-1)).toBe('—')
  })
})

describe('roughDuration', () => {
  it('says long times in round words', () => {
    expect(roughDuration(30)).toBe('less than a minute')
    expect(roughDuration(50)).toBe('about 1 minute')
    expect(roughDuration(25 * 60)).toBe('about 25 minutes')
    expect(roughDuration(55 * 60)).toBe('about 1 hour')
    expect(roughDuration(5.4 * 3600)).toBe('about 5 hours')
    expect(roughDuration(23 * 3600)).toBe('about 1 day')
    expect(roughDuration(30 * 3600)).toBe('about 1 day')
    expect(roughDuration(40 * 86400)).toBe('about 40 days')
    expect(roughDuration(100 * 86400)).toBe('about 3 months')
    expect(roughDuration(3 * 365 * 86400)).toBe('about 3 years')
  })
})

const run = (label: string, seconds: number, steps = 150) => ({ run: 0, label, steps, secondsPerStep: 0, secondsPerEvalBatch: 0, seconds })

describe('estimateLine', () => {
  it('says the total, how many runs and how many at a time', () => {
    const runs = ['a', 'b', 'c', 'd', 'e'].map((l) => run(l, 30))
    expect(estimateLine({ seconds: 80, workers: 2, runs })).toBe('≈ 1 min 20 s on this machine (5 runs, 2 at a time; measured from a trial step)')
    expect(estimateLine({ seconds: 80, workers: 8, runs })).toBe('≈ 1 min 20 s on this machine (5 runs, all at once; measured from a trial step)')
    expect(estimateLine({ seconds: 80, workers: 1, runs })).toBe('≈ 1 min 20 s on this machine (5 runs, one at a time; measured from a trial step)')
    expect(estimateLine({ seconds: 0.2, workers: 4, runs: runs.slice(0, 1) })).toBe('under 1 s on this machine (1 run; measured from a trial step)')
  })
})

describe('longRunWarning', () => {
  it('is silent up to ten minutes', () => {
    expect(longRunWarning({ seconds: LONG_RUN_SECONDS, runs: [run('a', LONG_RUN_SECONDS)] })).toBeNull()
    expect(longRunWarning({ seconds: Number.NaN, runs: [] })).toBeNull()
  })

  it('says how long in words and which run is longest', () => {
    const w = longRunWarning({ seconds: 26 * 3600, runs: [run('zo-spsa', 3600, 1000), run('backprop', 26 * 3600, 1_000_000)] })
    expect(w?.title).toBe('Long experiment: about 1 day on this machine')
    expect(w?.detail).toBe('Nearly all of it is “backprop” (1,000,000 steps, 1 d 2 h). Fewer steps or runs shorten it.')
    const two = longRunWarning({ seconds: 40 * 3600, runs: [run('zo-spsa', 14 * 3600, 1000), run('backprop', 26 * 3600, 1_000_000)] })
    expect(two?.title).toBe('Long experiment: about 2 days on this machine')
    expect(two?.detail).toBe('The longest run is “backprop” (1,000,000 steps, 1 d 2 h). Fewer steps or runs shorten it.')
  })
})

describe('readyText', () => {
  const done = (seconds: number) => ({ state: 'done' as const, estimate: { seconds, workers: 2, runs: [run('a', seconds)] } })
  it('adds the time, and a long run reads as a warning', () => {
    expect(readyText({ state: 'none' })).toEqual({ text: 'Ready to run', long: false })
    expect(readyText({ state: 'failed', errors: [] })).toEqual({ text: 'Ready to run', long: false })
    expect(readyText({ state: 'waiting' })).toEqual({ text: 'Ready to run · estimating the time…', long: false })
    expect(readyText(done(80))).toEqual({ text: 'Ready to run · ≈ 1 min 20 s', long: false })
    expect(readyText(done(0.5))).toEqual({ text: 'Ready to run · under 1 s', long: false })
    expect(readyText(done(26 * 3600))).toEqual({ text: 'Ready to run, but long: about 1 day', long: true })
  })
})
