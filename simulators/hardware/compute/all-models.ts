// One line per cost model kind; registry.ts builds its map from this list and is never edited.
export { mcuSimd } from './mcu-simd'
export { dspVector } from './dsp-vector'
export { npuSystolic } from './npu-systolic'
