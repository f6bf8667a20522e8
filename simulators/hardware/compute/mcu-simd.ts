/**
 * mcu-simd — a microcontroller core running CMSIS-NN-style integer kernels (Cortex-M0+/M4/M7/M33/M55/M85,
 * Xtensa LX7): MAC throughput by operand width (SMLAD gives two 16-bit MACs per cycle on Armv7E-M; int8
 * needs SXTB16 first; Helium beats on M55/M85), the load instructions that feed the MACs, a loop
 * overhead per output, and per-value costs of requantization and element-wise work.
 *   MAC op:  cycles = macs / macsPerCycle(width) + bytes moved / bytesPerLoad + loopOverhead · outputs
 *   other:   cycles = elementOps · elementOpCyclesPerValue  (requantize: requantCyclesPerValue per value)
 * Ignores caches and branch prediction (TCM-resident data assumed: memory latency is priced by the
 * profile's memory levels). Sources: Cortex-M4 instruction timings (TI SWCU192), CMSIS-NN (arXiv
 * 1801.06601), research notes cost-models.md §2.3.
 */
import { cutKey, excerpt, num, obj, opt, req, type Schema } from '../../core/schema'
import type { CostModel } from './cost-model'
import { byWidth, macBits, outputsOf } from './width'

export interface McuSimdCompute {
  macsPerCycleByBits: Record<string, number>
  loopOverheadCyclesPerOutput: number
  requantCyclesPerValue: number
  elementOpCyclesPerValue: number
  bytesPerLoad: number
}

const perWidth: Schema<Record<string, number>> = (v, path, ctx) => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) { ctx.errors.push({ path, message: 'must map operand widths to MACs per cycle, e.g. { "8": 2, "16": 2, "32": 1 }' }); return undefined }
  const out: Record<string, number> = {}
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (!/^\d+$/.test(k) || +k < 2 || +k > 32) ctx.errors.push({ path: `${path}.${cutKey(k)}`, message: 'keys are operand widths in bits, 2 to 32' })
    else if (typeof x !== 'number' || !(x > 0)) ctx.errors.push({ path: `${path}.${cutKey(k)}`, message: `must be a positive number of MACs per cycle, got ${excerpt(x)}` })
    else out[k] = x
  }
  return out
}

export const macsPerCycleByBits = perWidth

export const mcuSimd: CostModel<McuSimdCompute> = {
  kind: 'mcu-simd',
  label: 'MCU core (scalar / SIMD)',
  description: 'CMSIS-NN-style kernels on a microcontroller core: MACs per cycle by width, operand loads, loop and requantization overheads.',
  computeSchema: obj({
    macsPerCycleByBits: req(perWidth),
    loopOverheadCyclesPerOutput: opt(num({ min: 0 }), 0),
    requantCyclesPerValue: opt(num({ min: 0 }), 0),
    elementOpCyclesPerValue: opt(num({ min: 0 }), 1),
    bytesPerLoad: opt(num({ min: 1 }), 4),
  }) as Schema<McuSimdCompute>,
  peakMacsPerCycle: (c, bits) => byWidth(c.macsPerCycleByBits, bits),
  computeCycles(op, c) {
    if (op.macs > 0) {
      const peak = byWidth(c.macsPerCycleByBits, macBits(op))
      const cycles = op.macs / peak + (op.bytesRead + op.bytesWritten) / c.bytesPerLoad + c.loopOverheadCyclesPerOutput * outputsOf(op)
      return { cycles, utilization: Math.min(1, op.macs / (cycles * peak)) }
    }
    const per = op.kind === 'requantize' ? c.requantCyclesPerValue : c.elementOpCyclesPerValue
    return { cycles: op.elementOps * per, utilization: 0 }
  },
}
