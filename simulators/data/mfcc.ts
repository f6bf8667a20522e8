/**
 * MFCC front end for keyword spotting, following the MLPerf Tiny KWS reference
 * (github.com/mlcommons/tiny, benchmark/training/keyword_spotting/get_dataset.py, which uses TensorFlow's tf.signal):
 *   - 16 kHz mono, 1 s clips (16,000 samples);
 *   - frames of 40 ms (640 samples) every 20 ms (320 samples) → 1 + ⌊(16000 − 640) / 320⌋ = 49 frames;
 *   - periodic Hann window (tf.signal.hann_window default), FFT length 1024 (next power of two ≥ 640,
 *     tf.signal.stft with fft_length=None) → 513 magnitude bins (|STFT|, not power);
 *   - 40 triangular mel filters between 20 Hz and 4,000 Hz on the HTK mel scale m = 1127·ln(1 + f/700)
 *     (tf.signal.linear_to_mel_weight_matrix, which gives the DC bin zero weight);
 *   - log(mel + 1e-6), then DCT-II scaled by 1/√(2N) on the unnormalised 2·Σ form
 *     (tf.signal.mfccs_from_log_mel_spectrograms), keeping the first 10 coefficients → 49 × 10.
 * Twiddles and the window use detSin/detCos (only + − × ÷) so features depend on the arithmetic, not on the
 * engine's Math.sin; Math.log is the one libm call left (its result is the same for a given Node build).
 */
import { detCos, detSin } from './det-trig'

export const MFCC_SAMPLE_RATE = 16000
export const MFCC_CLIP_SAMPLES = 16000
export const MFCC_FRAME_LENGTH = 640
export const MFCC_FRAME_STEP = 320
export const MFCC_FFT_LENGTH = 1024
export const MFCC_MEL_BINS = 40
export const MFCC_LOWER_HZ = 20
export const MFCC_UPPER_HZ = 4000
export const MFCC_COEFFICIENTS = 10
export const MFCC_FRAMES = 1 + Math.floor((MFCC_CLIP_SAMPLES - MFCC_FRAME_LENGTH) / MFCC_FRAME_STEP)
const LOG_OFFSET = 1e-6

/** HTK mel scale (as tf.signal uses): mel = 1127 · ln(1 + hz / 700). */
export function hzToMel(hz: number): number {
  return 1127 * Math.log(1 + hz / 700)
}

/** Periodic Hann window of length n: w[i] = 0.5 − 0.5·cos(2πi/n). */
export function hannWindow(n: number): Float64Array {
  const w = new Float64Array(n)
  for (let i = 0; i < n; i++) w[i] = 0.5 - 0.5 * detCos((2 * Math.PI * i) / n)
  return w
}

/** In-place iterative radix-2 FFT of (re, im); length must be a power of two. */
export function fft(re: Float64Array, im: Float64Array): void {
  const n = re.length
  if (n !== im.length || n < 1 || (n & (n - 1)) !== 0) throw new RangeError(`fft: length must be a power of two, got ${n}`)
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1
    for (; j & bit; bit >>= 1) j ^= bit
    j ^= bit
    if (i < j) {
      ;[re[i], re[j]] = [re[j], re[i]]
      ;[im[i], im[j]] = [im[j], im[i]]
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const half = len >> 1
    for (let k = 0; k < half; k++) {
      const ang = (-2 * Math.PI * k) / len
      const wr = detCos(ang)
      const wi = detSin(ang)
      for (let s = 0; s < n; s += len) {
        const a = s + k
        const b = a + half
        const tr = re[b] * wr - im[b] * wi
        const ti = re[b] * wi + im[b] * wr
        re[b] = re[a] - tr
        im[b] = im[a] - ti
        re[a] += tr
        im[a] += ti
      }
    }
  }
}

/**
 * Mel weight matrix [spectrumBins][melBins] like tf.signal.linear_to_mel_weight_matrix: triangles with
 * edges equally spaced in mel between lowerHz and upperHz, evaluated at each bin's centre frequency in mel.
 */
export function melWeightMatrix(melBins: number, spectrumBins: number, sampleRate: number, lowerHz: number, upperHz: number): Float64Array[] {
  if (!(lowerHz >= 0 && upperHz > lowerHz && upperHz <= sampleRate / 2)) {
    throw new RangeError(`melWeightMatrix: need 0 ≤ lowerHz < upperHz ≤ sampleRate/2, got ${lowerHz}, ${upperHz}, ${sampleRate}`)
  }
  const nyquist = sampleRate / 2
  const lowMel = hzToMel(lowerHz)
  const highMel = hzToMel(upperHz)
  const edges: number[] = []
  for (let i = 0; i < melBins + 2; i++) edges.push(lowMel + ((highMel - lowMel) * i) / (melBins + 1))
  const rows: Float64Array[] = []
  for (let b = 0; b < spectrumBins; b++) {
    const row = new Float64Array(melBins)
    if (b > 0) {
      const mel = hzToMel((nyquist * b) / (spectrumBins - 1))
      for (let m = 0; m < melBins; m++) {
        const lower = (mel - edges[m]) / (edges[m + 1] - edges[m])
        const upper = (edges[m + 2] - mel) / (edges[m + 2] - edges[m + 1])
        row[m] = Math.max(0, Math.min(lower, upper))
      }
    }
    rows.push(row)
  }
  return rows
}

/** DCT-II as tf.signal.mfccs_from_log_mel_spectrograms: c_k = √(2/N) · Σ_n x_n cos(π k (2n+1) / 2N). */
export function dct2(x: ArrayLike<number>, keep: number): Float64Array {
  const n = x.length
  const out = new Float64Array(keep)
  const scale = Math.sqrt(2 / n)
  for (let k = 0; k < keep; k++) {
    let s = 0
    for (let i = 0; i < n; i++) s += x[i] * detCos((Math.PI * k * (2 * i + 1)) / (2 * n))
    out[k] = s * scale
  }
  return out
}

/** |STFT| of one frame (frameLength samples, windowed, zero-padded to fftLength) → fftLength/2 + 1 magnitudes. */
export function magnitudeSpectrum(frame: ArrayLike<number>, window: Float64Array, fftLength: number): Float64Array {
  const re = new Float64Array(fftLength)
  const im = new Float64Array(fftLength)
  for (let i = 0; i < window.length; i++) re[i] = frame[i] * window[i]
  fft(re, im)
  const mag = new Float64Array(fftLength / 2 + 1)
  for (let i = 0; i < mag.length; i++) mag[i] = Math.sqrt(re[i] * re[i] + im[i] * im[i])
  return mag
}

let melCache: Float64Array[] | undefined
let windowCache: Float64Array | undefined

/** 1 s of 16 kHz audio in [−1, 1] → 49 × 10 MFCCs, row-major (frame, coefficient). */
export function mfcc(samples: ArrayLike<number>): Float64Array {
  if (samples.length !== MFCC_CLIP_SAMPLES) {
    throw new RangeError(`mfcc: samples must hold ${MFCC_CLIP_SAMPLES} values (1 s at 16 kHz), got ${samples.length}`)
  }
  windowCache ??= hannWindow(MFCC_FRAME_LENGTH)
  melCache ??= melWeightMatrix(MFCC_MEL_BINS, MFCC_FFT_LENGTH / 2 + 1, MFCC_SAMPLE_RATE, MFCC_LOWER_HZ, MFCC_UPPER_HZ)
  const out = new Float64Array(MFCC_FRAMES * MFCC_COEFFICIENTS)
  const frame = new Float64Array(MFCC_FRAME_LENGTH)
  for (let f = 0; f < MFCC_FRAMES; f++) {
    for (let i = 0; i < MFCC_FRAME_LENGTH; i++) frame[i] = samples[f * MFCC_FRAME_STEP + i]
    const mag = magnitudeSpectrum(frame, windowCache, MFCC_FFT_LENGTH)
    const logMel = new Float64Array(MFCC_MEL_BINS)
    for (let m = 0; m < MFCC_MEL_BINS; m++) {
      let s = 0
      for (let b = 0; b < mag.length; b++) s += mag[b] * melCache[b][m]
      logMel[m] = Math.log(s + LOG_OFFSET)
    }
    out.set(dct2(logMel, MFCC_COEFFICIENTS), f * MFCC_COEFFICIENTS)
  }
  return out
}
