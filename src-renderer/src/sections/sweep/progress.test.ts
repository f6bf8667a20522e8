import { describe, expect, it } from 'vitest'
import { etaSeconds, fraction, progressText } from './progress'

describe('time left', () => {
  it('is the elapsed time per training finished in this session, times what is left', () => {
    expect(etaSeconds({ done: 4, total: 10, skipped: 0, elapsedSeconds: 20 })).toBe(30)
  })

  it('does not count trainings finished before a resume as this session\'s pace', () => {
    // 6 were kept from before; 2 trained here in 10 s: 5 s each, 2 left
    expect(etaSeconds({ done: 8, total: 10, skipped: 6, elapsedSeconds: 10 })).toBe(10)
  })

  it('has nothing to go by before the first training of the session ends', () => {
    expect(etaSeconds({ done: 6, total: 10, skipped: 6, elapsedSeconds: 12 })).toBeUndefined()
    expect(progressText({ done: 6, total: 10, skipped: 6, elapsedSeconds: 12 })).toBe('6 / 10 trainings · time left: after the first training')
  })

  it('says the counts and the time left in words', () => {
    expect(progressText({ done: 4, total: 10, skipped: 0, elapsedSeconds: 20 })).toBe('4 / 10 trainings · about 30 s left')
    expect(progressText({ done: 10, total: 10, skipped: 0, elapsedSeconds: 20 })).toBe('10 / 10 trainings · done')
  })

  it('fills the bar in proportion', () => {
    expect(fraction({ done: 3, total: 12, skipped: 0, elapsedSeconds: 1 })).toBe(0.25)
    expect(fraction({ done: 0, total: 0, skipped: 0, elapsedSeconds: 0 })).toBe(0)
  })
})

describe('trials complete', () => {
  it('counts the trials with a row on every device', async () => {
    const { trialsComplete } = await import('./progress')
    const rows = [{ trial: 0 }, { trial: 0 }, { trial: 0 }, { trial: 1 }, { trial: 1 }, { trial: 2 }, { trial: 2 }, { trial: 2 }]
    expect(trialsComplete(rows, 3)).toBe(2)
    expect(trialsComplete(rows, 2)).toBe(3)
    expect(trialsComplete([], 3)).toBe(0)
  })
})
