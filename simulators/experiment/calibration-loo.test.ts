/**
 * The leave-one-out procedure really leaves the point out: on a device where one measurement is an outlier
 * (4× slower than predicted, the others exact), the in-sample correction absorbs part of it and the
 * held-out prediction does not. Expected values come from the closed form of the log-space least-squares
 * fit (k = geometric mean of measured / predicted), computed here independently of the module.
 */
import { describe, expect, it } from 'vitest'
import { correctedErrors, fitScale, medianAbs, type FitPoint } from './calibration-loo'

const pt = (device: string, model: string, predicted: number, measured: number): FitPoint => ({ device, model, predicted, measured })

describe('calibration leave-one-out', () => {
  // Device a: three exact points and one outlier measured 4× the prediction; device b must not leak into a.
  const points = [pt('a', 'm1', 10, 10), pt('a', 'm2', 20, 20), pt('a', 'm3', 5, 5), pt('a', 'm4', 8, 32), pt('b', 'm1', 1, 100)]

  it('fits k as the geometric mean of measured / predicted', () => {
    expect(fitScale([pt('a', 'x', 2, 8), pt('a', 'y', 1, 1)])).toBeCloseTo(2, 12)
    expect(fitScale([])).toBeNaN()
  })

  it('in-sample the outlier pulls the fit towards itself; held out it is predicted from the other three only', () => {
    const kAll = Math.pow(4, 1 / 4) // geometric mean of ratios 1, 1, 1, 4
    const inSample = correctedErrors(points, 'none')
    const loo = correctedErrors(points, 'measurement')
    expect(inSample[3]).toBeCloseTo(kAll / 4 - 1, 12) // −64.6 %
    expect(loo[3]).toBeCloseTo(1 / 4 - 1, 12) // −75 %: k = 1 from the three exact points
    expect(Math.abs(loo[3])).toBeGreaterThan(Math.abs(inSample[3]))
    // an exact point: in-sample it inherits the outlier's pull, held out it still sees the outlier (k = 4^(1/3))
    expect(inSample[0]).toBeCloseTo(kAll - 1, 12)
    expect(loo[0]).toBeCloseTo(Math.pow(4, 1 / 3) - 1, 12)
  })

  it('a device with a single measurement has no out-of-sample prediction (NaN), and never borrows another device', () => {
    expect(correctedErrors(points, 'measurement')[4]).toBeNaN()
    expect(correctedErrors(points, 'none')[4]).toBeCloseTo(0, 12)
  })

  it('leave-one-model-out drops every measurement of that model on the device', () => {
    // two runtimes measured m1 on device c (ratios 1 and 3); m2 ratio 2
    const c = [pt('c', 'm1', 1, 1), pt('c', 'm1', 1, 3), pt('c', 'm2', 1, 2)]
    const byModel = correctedErrors(c, 'model')
    const byMeasurement = correctedErrors(c, 'measurement')
    expect(byModel[0]).toBeCloseTo(2 / 1 - 1, 12) // trained on m2 only
    expect(byMeasurement[0]).toBeCloseTo(Math.sqrt(3 * 2) - 1, 12) // trained on the other m1 row and m2
    expect(byModel[2]).toBeCloseTo(Math.sqrt(3) / 2 - 1, 12)
  })

  it('medianAbs ignores NaN and takes the upper middle', () => {
    expect(medianAbs([-0.5, 0.1, Number.NaN, 0.2])).toBe(0.2)
    expect(medianAbs([Number.NaN])).toBeNaN()
  })
})
