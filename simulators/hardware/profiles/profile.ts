/**
 * Hardware profiles are data: versioned JSON with units in field names and a source for every number.
 * The compute block is validated by the profile's cost model (one file per kind, registry.ts); the rest
 * here. Unknown fields are errors.
 */
import { array, cutKey, excerpt, int, num, obj, oneOf, opt, req, str, anyValue, type Schema } from '../../core/schema'
import { ACCUMULATOR_BITS } from '../../core/accumulator'
import { ROUNDING_MODES } from '../../core/rounding'

export const PROFILE_SCHEMA_VERSION = 1

export type DeviceClass = 'npu' | 'dsp' | 'mcu'
/** where an operation the main compute unit lacks runs: natively, on the companion core, or nowhere */
export type OpSupport = 'native' | 'companion' | 'unsupported'

export interface MemoryLevel {
  sizeKiB: number
  /** sustained bandwidth in bytes per core clock cycle */
  bytesPerCycle: number
  /** added cycles per transfer (burst setup) — charged once per operand per op */
  latencyCycles: number
  /**
   * the clock in MHz that bytesPerCycle and latencyCycles count (the level's own interface clock); absent:
   * the clock of the unit that runs the op (on-chip SRAM on the core's bus). An off-chip DRAM or a flash
   * with a fixed access time in ns does not get faster when the core clock is raised, so a what-if at
   * another clock speeds memory-bound work up less than compute-bound work.
   */
  clockMHz?: number
  readPjPerByte: number
  writePjPerByte: number
}

/** MLPerf Tiny inference rounds (https://mlcommons.org/benchmarks/inference-tiny/). */
export const MLPERF_TINY_ROUNDS = ['v0.5', 'v0.7', 'v1.0', 'v1.1', 'v1.2', 'v1.3'] as const
export type MlperfTinyRound = (typeof MLPERF_TINY_ROUNDS)[number]

/**
 * Where an energy constant comes from, strongest first: measured on this device (MLPerf Tiny energy runs of
 * this board), read from its datasheet or product specification, measured by a third party on a board with
 * this part (not running ML), scaled from a similar device's measurement, assumed (an order of magnitude,
 * no figure for this part), or a generic figure for a process node (Horowitz, ISSCC 2014, 45 nm) that says
 * nothing about this device. Shown in the Devices table and the device-selection report, so that an energy
 * ranking between devices can be read for what it rests on.
 */
export const ENERGY_BASES = ['device-measured', 'datasheet', 'third-party-measured', 'similar-device', 'assumed', 'generic-process-node'] as const
export type EnergyBasis = (typeof ENERGY_BASES)[number]

export interface HardwareProfile {
  schemaVersion: 1
  id: string
  name: string
  class: DeviceClass
  /** cost model kind (registry id) of the main compute unit */
  costModel: string
  description?: string
  clockMHz: number
  formats: {
    weightBits: number[]
    activationBits: number[]
    gradientBits: number[]
    accumulatorBits: number[]
    rounding: string[]
  }
  /** the main compute unit, validated by its cost model */
  compute: Record<string, unknown>
  memory: {
    sram: MemoryLevel
    dram?: MemoryLevel
    flash?: MemoryLevel
    /** where the (frozen) weights live; trained weights need writable memory */
    weightsIn: 'sram' | 'flash' | 'dram'
  }
  operations: {
    backwardInput: OpSupport
    backwardWeight: OpSupport
    update: OpSupport
    rng: OpSupport
  }
  /** the core that runs what the main unit cannot (an NPU's host MCU), or absent */
  companion?: { costModel: string; clockMHz: number; compute: Record<string, unknown>; macPjByBits: Record<string, number> }
  energy: {
    /** pJ per MAC by operand width in bits ("8", "16", "32") */
    macPjByBits: Record<string, number>
    /** pJ per element-wise operation (compare, add, clamp) */
    elementOpPj: number
    /**
     * power in mW charged for the whole step time: leakage and always-on power, and on an MCU the core's
     * whole active power (a measured or datasheet run-mode power already contains the dynamic power of
     * the code it ran, so per-action energies on top are the marginal data-movement energy, a small share)
     */
    staticMw: number
    /** what the two constants rest on; absent: not stated (a user profile may leave it out, presets state it) */
    basis?: { staticMw: EnergyBasis; macPjByBits: EnergyBasis }
  }
  /**
   * The runtime and MLPerf Tiny round the preset's "fitted:" constants were fitted to; absent: nothing was
   * fitted to a measurement. The runtime matters as much as the chip (one STM32L4R5 ran keyword spotting in
   * 72.7 ms with X-CUBE-AI 8.0 and 47.8 ms with Plumerai's engine, both MLPerf Tiny v1.1).
   */
  calibratedTo?: { runtime: string; round: MlperfTinyRound }
  /** a source for every number: keys are field paths ("clockMHz", "energy", "memory.sram.sizeKiB"); a key covers everything below it */
  sources: Record<string, string>
}

const level: Schema<MemoryLevel> = obj({
  sizeKiB: req(num({ min: 0 })),
  bytesPerCycle: req(num({ min: 1e-6 })),
  latencyCycles: opt(num({ min: 0 }), 0),
  clockMHz: opt(num({ min: 0.001, max: 100000 })),
  readPjPerByte: req(num({ min: 0 })),
  writePjPerByte: req(num({ min: 0 })),
}) as Schema<MemoryLevel>

const support = oneOf(['native', 'companion', 'unsupported'] as const)
const pjByBits: Schema<Record<string, number>> = (v, path, ctx) => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) { ctx.errors.push({ path, message: 'must be an object of pJ by bit-width, e.g. { "8": 0.23, "16": 0.78 }' }); return undefined }
  const out: Record<string, number> = {}
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (!/^\d+$/.test(k) || Number(k) < 2 || Number(k) > 32) { ctx.errors.push({ path: `${path}.${cutKey(k)}`, message: 'keys are operand widths in bits, 2 to 32' }); continue }
    if (typeof x !== 'number' || !(x >= 0)) { ctx.errors.push({ path: `${path}.${k}`, message: `must be a non-negative number of pJ, got ${excerpt(x)}` }); continue }
    out[k] = x
  }
  if (Object.keys(out).length === 0 && ctx.errors.length === 0) ctx.errors.push({ path, message: 'needs at least one width' })
  return out
}

export const profileSchema = obj({
  schemaVersion: req(oneOf([PROFILE_SCHEMA_VERSION] as const)),
  id: req(str({ nonEmpty: true })),
  name: req(str({ nonEmpty: true })),
  class: req(oneOf(['npu', 'dsp', 'mcu'] as const)),
  costModel: req(str({ nonEmpty: true })),
  description: opt(str()),
  clockMHz: req(num({ min: 0.001, max: 100000 })),
  formats: req(obj({
    weightBits: req(array(int(2, 32), { min: 1 })),
    activationBits: req(array(int(2, 32), { min: 1 })),
    gradientBits: req(array(int(2, 32), { min: 1 })),
    accumulatorBits: req(array(oneOf(ACCUMULATOR_BITS), { min: 1 })),
    rounding: req(array(oneOf(ROUNDING_MODES), { min: 1 })),
  })),
  compute: req(anyValue as Schema<Record<string, unknown>>),
  memory: req(obj({
    sram: req(level),
    dram: opt(level),
    flash: opt(level),
    weightsIn: req(oneOf(['sram', 'flash', 'dram'] as const)),
  })),
  operations: req(obj({ backwardInput: req(support), backwardWeight: req(support), update: req(support), rng: req(support) })),
  companion: opt(obj({ costModel: req(str({ nonEmpty: true })), clockMHz: req(num({ min: 0.001 })), compute: req(anyValue as Schema<Record<string, unknown>>), macPjByBits: req(pjByBits) })),
  energy: req(obj({
    macPjByBits: req(pjByBits), elementOpPj: req(num({ min: 0 })), staticMw: req(num({ min: 0 })),
    basis: opt(obj({ staticMw: req(oneOf(ENERGY_BASES)), macPjByBits: req(oneOf(ENERGY_BASES)) })),
  })),
  calibratedTo: opt(obj({ runtime: req(str({ nonEmpty: true })), round: req(oneOf(MLPERF_TINY_ROUNDS)) })),
  sources: req(anyValue as Schema<Record<string, string>>),
})
