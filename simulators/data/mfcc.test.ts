import { describe, expect, test } from 'vitest'
import fc from 'fast-check'
import {
  MFCC_FFT_LENGTH, MFCC_FRAMES, MFCC_SAMPLE_RATE, dct2, fft, hannWindow, hzToMel, magnitudeSpectrum, melWeightMatrix, mfcc,
} from './mfcc'

describe('MFCC front end (MLPerf Tiny KWS layout)', () => {
  test('mel scale equals the O\'Shaughnessy form 2595·log10(1 + f/700) and maps 1 kHz to ≈1000 mel', () => {
    for (let f = 0; f <= 8000; f += 125) {
      const independent = 2595 * Math.log10(1 + f / 700)
      expect(Math.abs(hzToMel(f) - independent)).toBeLessThanOrEqual(1e-4 * Math.max(1, independent))
    }
    expect(Math.abs(hzToMel(1000) - 1000)).toBeLessThan(0.1)
  })

  test('DCT-II basis rows are orthogonal; rows k ≥ 1 have unit norm, row 0 has norm √2 (tf scaling)', () => {
    const n = 40
    const basis: Float64Array[] = []
    for (let i = 0; i < n; i++) {
      const e = new Float64Array(n)
      e[i] = 1
      basis.push(dct2(e, n)) // column i of the DCT matrix
    }
    for (let j = 0; j < n; j++) {
      for (let k = 0; k < n; k++) {
        let dot = 0
        for (let i = 0; i < n; i++) dot += basis[i][j] * basis[i][k]
        const expected = j !== k ? 0 : j === 0 ? 2 : 1
        expect(Math.abs(dot - expected)).toBeLessThan(1e-12)
      }
    }
  })

  test('FFT equals a direct DFT with Math.cos/sin on random input', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 64, maxLength: 64 }), (xs) => {
        const re = Float64Array.from(xs)
        const im = new Float64Array(64)
        fft(re, im)
        for (let k = 0; k < 64; k++) {
          let sr = 0
          let si = 0
          for (let t = 0; t < 64; t++) {
            sr += xs[t] * Math.cos((-2 * Math.PI * k * t) / 64)
            si += xs[t] * Math.sin((-2 * Math.PI * k * t) / 64)
          }
          expect(Math.abs(re[k] - sr)).toBeLessThan(1e-9)
          expect(Math.abs(im[k] - si)).toBeLessThan(1e-9)
        }
      }),
      { seed: 1313, numRuns: 30 },
    )
  })

  test('a pure 1 kHz tone peaks at bin f·N/fs = 64 and in the mel filter centred nearest 1 kHz', () => {
    const hz = 1000
    const tone = Array.from({ length: 640 }, (_, i) => Math.sin((2 * Math.PI * hz * i) / MFCC_SAMPLE_RATE))
    const mag = magnitudeSpectrum(tone, hannWindow(640), MFCC_FFT_LENGTH)
    let peak = 0
    for (let b = 1; b < mag.length; b++) if (mag[b] > mag[peak]) peak = b
    expect(peak).toBe(Math.round((hz * MFCC_FFT_LENGTH) / MFCC_SAMPLE_RATE))
    const mel = melWeightMatrix(40, 513, MFCC_SAMPLE_RATE, 20, 4000)
    const energies = new Float64Array(40)
    for (let b = 0; b < 513; b++) for (let m = 0; m < 40; m++) energies[m] += mag[b] * mel[b][m]
    let best = 0
    for (let m = 1; m < 40; m++) if (energies[m] > energies[best]) best = m
    // filter m is centred at edge m+1; independent centre frequencies from the inverse HTK formula
    const lo = 2595 * Math.log10(1 + 20 / 700)
    const hi = 2595 * Math.log10(1 + 4000 / 700)
    const centreHz = (m: number) => 700 * (10 ** ((lo + ((hi - lo) * (m + 1)) / 41) / 2595) - 1)
    let nearest = 0
    for (let m = 1; m < 40; m++) if (Math.abs(centreHz(m) - hz) < Math.abs(centreHz(nearest) - hz)) nearest = m
    expect(best).toBe(nearest)
  })

  test('1 s clip gives 49 × 10 features; wrong length is rejected naming samples', () => {
    const clip = Array.from({ length: 16000 }, (_, i) => 0.1 * Math.sin((2 * Math.PI * 440 * i) / 16000))
    const out = mfcc(clip)
    expect(MFCC_FRAMES).toBe(49)
    expect(out.length).toBe(490)
    expect(out.every(Number.isFinite)).toBe(true)
    expect(() => mfcc(new Float64Array(100))).toThrow(/samples/)
  })
})
