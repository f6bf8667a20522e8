/**
 * Physical limits of a hardware profile, per device class. Two thresholds per quantity:
 * - `flag`: beyond what any shipping part of that class reaches → a warning that carries the limit and
 *   its source (the profile may still be a legitimate what-if);
 * - `reject`: physically impossible (or meaningless, such as 0 KiB of SRAM) → a field-named error.
 * Every limit has a public source; flag limits are set at (not below) the largest public part found.
 */
import type { FieldError } from '../../core/schema'
import type { DeviceClass, HardwareProfile } from './profile'

export interface Limit {
  /** inclusive bounds that are accepted without a warning */
  readonly flagMax: number
  /** values above this are rejected */
  readonly rejectMax: number
  /** values at or below this are rejected (a quantity that must be positive has rejectMinExclusive 0) */
  readonly rejectMinExclusive: number
  readonly unit: string
  readonly source: string
}

type ByClass = Readonly<Record<DeviceClass, Limit>>
const byClass = (flag: Record<DeviceClass, number>, common: Omit<Limit, 'flagMax'>): ByClass =>
  ({ npu: { ...common, flagMax: flag.npu }, dsp: { ...common, flagMax: flag.dsp }, mcu: { ...common, flagMax: flag.mcu } })

/** Limits by quantity. Sources are public documents (titles / URLs). */
export const PHYSICAL_LIMITS = {
  clockMHz: byClass({ npu: 2000, dsp: 2000, mcu: 1000 }, {
    rejectMax: 10000, rejectMinExclusive: 0, unit: 'MHz',
    source: 'MCU: NXP i.MX RT1170 datasheet (Cortex-M7 at 1 GHz, fastest MCU core); DSP/NPU: Qualcomm Hexagon / Arm Ethos-N at ≤ 2 GHz (vendor product briefs); reject above 10 GHz: no shipping CMOS logic exceeds ~6.2 GHz (Intel Core i9-14900KS specification, ark.intel.com)',
  }),
  macsPerCycle: byClass({ npu: 65536, dsp: 256, mcu: 32 }, {
    rejectMax: 2 ** 22, rejectMinExclusive: 0, unit: 'MACs/cycle/core',
    source: 'NPU: 256×256 = 65536 MACs, Google TPU v1 (Jouppi et al., "In-Datacenter Performance Analysis of a Tensor Processing Unit", ISCA 2017); DSP: Hexagon HVX 1024-bit vectors, 128 int8 MACs × 2 (Qualcomm Hexagon V66 HVX Programmer\'s Reference); MCU: ESP32-S3 PIE 128-bit, 16 int8 MACs (ESP32-S3 Technical Reference Manual), ×2 headroom; reject above 2^22: larger than a wafer-scale engine core count (Cerebras WSE-2, 850 000 cores, Hot Chips 33)',
  }),
  sramKiB: byClass({ npu: 65536, dsp: 32768, mcu: 16384 }, {
    rejectMax: 48 * 2 ** 20, rejectMinExclusive: 0, unit: 'KiB',
    source: 'MCU: Alif Ensemble E7 datasheet (13.5 MB SRAM); DSP/NPU: generous bounds over Hexagon TCM / Hailo-8 on-chip memory; reject 0 KiB (a run needs working memory) and above 48 GiB: Cerebras WSE-3, 44 GB on-chip SRAM, the largest ever built (Cerebras CS-3 announcement, 2024)',
  }),
  offChipKiB: byClass({ npu: 64 * 2 ** 20, dsp: 64 * 2 ** 20, mcu: 16 * 2 ** 20 }, {
    rejectMax: 2 ** 40, rejectMinExclusive: 0, unit: 'KiB',
    source: 'LPDDR5 packages up to 64 GB (JEDEC JESD209-5 density table); MCU external flash/PSRAM ≤ 16 GB (octal/quad SPI NOR/NAND datasheets); reject above 1 PiB and 0 KiB',
  }),
  bytesPerCycle: byClass({ npu: 4096, dsp: 1024, mcu: 64 }, {
    rejectMax: 2 ** 20, rejectMinExclusive: 0, unit: 'bytes/cycle',
    source: 'NPU: TPU v1 unified buffer 256×256 int8 ports ~ 2×256 B/cycle ×8 headroom (Jouppi et al., ISCA 2017); DSP: Hexagon HVX 2×128 B loads/cycle ×4; MCU: 64-bit AXI/TCM, 8–16 B/cycle (Arm Cortex-M7/M85 TRMs) ×4; reject above 1 MiB per cycle',
  }),
  // A memory level's own clock (MemoryLevel.clockMHz: the clock its bytesPerCycle and latencyCycles count).
  // Presets count on-chip levels and embedded flash in the core's cycles, so the on-chip bound follows the
  // core clock's; off-chip DRAM interfaces run faster than any core of these classes.
  onChipMemoryClockMHz: byClass({ npu: 2000, dsp: 2000, mcu: 1000 }, {
    rejectMax: 10000, rejectMinExclusive: 0, unit: 'MHz',
    source: 'on-chip SRAM and embedded flash are read on the core\'s bus, at most the core clock: MCU NXP i.MX RT1170 datasheet (Cortex-M7 at 1 GHz), DSP/NPU ≤ 2 GHz (Qualcomm Hexagon / Arm Ethos-N product briefs); serial flash is slower (JEDEC JESD251 xSPI: 200 MHz, 400 MT/s). Reject above 10 GHz: no shipping CMOS logic exceeds ~6.2 GHz (Intel Core i9-14900KS specification, ark.intel.com)',
  }),
  dramClockMHz: byClass({ npu: 10700, dsp: 10700, mcu: 10700 }, {
    rejectMax: 48000, rejectMinExclusive: 0, unit: 'MHz',
    source: 'the fastest mobile DRAM, LPDDR5X at 10.7 Gb/s per pin (Samsung LPDDR5X 10.7 Gbps announcement, April 2024; JEDEC JESD209-5C), counting one transfer per clock; reject above 48 000 MHz: above the fastest memory signalling standardised, GDDR7 at up to 48 Gb/s per pin (JEDEC JESD239 GDDR7, March 2024)',
  }),
  staticMw: byClass({ npu: 10000, dsp: 5000, mcu: 500 }, {
    rejectMax: 3e7, rejectMinExclusive: -1, unit: 'mW',
    source: 'MCU: STM32H7 run-mode ≤ ~300 mW at full load (STM32H743 datasheet, DS12110); DSP/NPU: edge SoC TDP ≤ 10 W (NXP i.MX 93, Hailo-8 product briefs); reject above 30 kW: more than a wafer-scale system (Cerebras CS-3, 23 kW)',
  }),
  macPj: byClass({ npu: 1e4, dsp: 1e4, mcu: 1e4 }, {
    rejectMax: 1e6, rejectMinExclusive: 0, unit: 'pJ/MAC',
    source: 'Horowitz, "Computing\'s Energy Problem (and what we can do about it)", ISSCC 2014: 8-bit multiply 0.2 pJ, 32-bit float multiply 3.7 pJ at 45 nm; a MAC costs energy, so ≤ 0 pJ is rejected; above 1 µJ per MAC is not a digital MAC',
  }),
} as const satisfies Record<string, ByClass>

export type LimitKey = keyof typeof PHYSICAL_LIMITS

export interface LimitWarning { readonly path: string; readonly message: string; readonly limit: number; readonly source: string }
export interface LimitCheck { readonly errors: FieldError[]; readonly warnings: LimitWarning[] }

/** Peak MACs per cycle per core from a compute block: rows × cols for systolic arrays, else the best width. */
export function peakMacsPerCycle(compute: Record<string, unknown>): number | undefined {
  if (typeof compute.rows === 'number' && typeof compute.cols === 'number') return compute.rows * compute.cols
  const by = compute.macsPerCycleByBits
  if (by && typeof by === 'object') {
    const v = Object.values(by as Record<string, unknown>).filter((x): x is number => typeof x === 'number')
    if (v.length) return Math.max(...v)
  }
  return undefined
}

/** Checks one value against one limit, pushing an error or a warning. */
function check(out: LimitCheck, path: string, value: number, limit: Limit): void {
  if (!(value > limit.rejectMinExclusive) || !Number.isFinite(value)) {
    out.errors.push({ path, message: `${value} ${limit.unit} is impossible: must be finite and > ${limit.rejectMinExclusive} (source: ${limit.source})` })
  } else if (value > limit.rejectMax) {
    out.errors.push({ path, message: `${value} ${limit.unit} is impossible: above ${limit.rejectMax} (source: ${limit.source})` })
  } else if (value > limit.flagMax) {
    out.warnings.push({ path, limit: limit.flagMax, source: limit.source, message: `${value} ${limit.unit} exceeds any real part of this class (${limit.flagMax} ${limit.unit}; source: ${limit.source})` })
  }
}

/** All physical-limit errors and warnings of a schema-valid profile. */
export function checkPhysicalLimits(p: HardwareProfile): LimitCheck {
  const out: LimitCheck = { errors: [], warnings: [] }
  const L = (k: LimitKey) => PHYSICAL_LIMITS[k][p.class]
  check(out, 'clockMHz', p.clockMHz, L('clockMHz'))
  const macs = peakMacsPerCycle(p.compute)
  if (macs !== undefined) check(out, 'compute', macs, L('macsPerCycle'))
  for (const [name, m] of Object.entries(p.memory)) {
    if (typeof m !== 'object' || m === null) continue
    check(out, `memory.${name}.sizeKiB`, m.sizeKiB, name === 'sram' ? L('sramKiB') : L('offChipKiB'))
    check(out, `memory.${name}.bytesPerCycle`, m.bytesPerCycle, L('bytesPerCycle'))
    if (m.clockMHz !== undefined) check(out, `memory.${name}.clockMHz`, m.clockMHz, name === 'dram' ? L('dramClockMHz') : L('onChipMemoryClockMHz'))
  }
  // the companion core (a Cortex-M or -A beside the accelerator) is a core of the same kind of chip
  if (p.companion) check(out, 'companion.clockMHz', p.companion.clockMHz, L('clockMHz'))
  check(out, 'energy.staticMw', p.energy.staticMw, L('staticMw'))
  for (const [bits, pj] of Object.entries(p.energy.macPjByBits)) check(out, `energy.macPjByBits.${bits}`, pj, L('macPj'))
  return out
}
