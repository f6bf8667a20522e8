/**
 * The leave-one-out procedure really leaves the point out: on a device where one measurement is an outlier
 * (4× slower than predicted, the others exact), the in-sample correction absorbs part of it and the
 * held-out prediction does not. Expected values come from the closed form of the log-space least-squares
 * fit (k = geometric mean of measured / predicted), computed here independently of the module.
 */
import { describe, expect, it } from 'vitest'
import { correctedErrors, fitScale, medianAbs, staticPowerLooErrors, type FitPoint } from './calibration-loo'

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

describe('static power leave-one-out', () => {
  // two runs of device d that follow P = 10 mW exactly and one that needs 40 mW; the model predicts the measured latency
  const point = (model: string, measuredUj: number, ms: number, dynamicUj: number, staticMw: number) => ({
    measurement: { device: 'd', model, latencyMs: ms, energyUj: measuredUj, submitter: 's', round: 'v1.0', source: 'x' },
    predictedMs: ms, predictedUj: staticMw * ms + dynamicUj, latencyError: 0,
  })
  const pts = [point('m1', 10 * 2 + 5, 2, 5, 10), point('m2', 10 * 3 + 1, 3, 1, 10), point('m3', 40 * 1 + 2, 1, 2, 10)]

  it('predicts a held-out run from the static power the other runs give (closed form, independent of the module)', () => {
    const errs = staticPowerLooErrors(pts, (d) => (d === 'd' ? 10 : undefined), 'measurement')
    expect(errs.map((e) => e.device)).toEqual(['d', 'd', 'd'])
    // holding out m3: the other two are exact at P = 10, so m3 is predicted as 10·1 + 2 = 12 µJ against 42
    expect(errs[2].error).toBeCloseTo(12 / 42 - 1, 12)
    // holding out m1: P from m2 and m3 by Σ(t/E)(1 − D/E) / Σ(t/E)²
    const x2 = 3 / 31, y2 = 1 / 31, x3 = 1 / 42, y3 = 2 / 42
    const P = (x2 * (1 - y2) + x3 * (1 - y3)) / (x2 * x2 + x3 * x3)
    expect(errs[0].error).toBeCloseTo((P * 2 + 5) / 25 - 1, 12)
  })

  it('skips devices without a fitted static power and gives NaN when nothing is left', () => {
    expect(staticPowerLooErrors(pts, () => undefined, 'measurement')).toEqual([])
    expect(staticPowerLooErrors(pts.slice(0, 1), () => 10, 'model')[0].error).toBeNaN()
  })
})
