/**
 * dsp-vector — a fixed-point DSP with a SIMD vector unit and VLIW issue (Cadence HiFi, Hexagon HVX,
 * GAP9's cluster): MACs per cycle by operand width, loads issued in parallel with MACs (issueSlots ≥ 2
 * means a load and a MAC bundle share a cycle), a loop overhead per output, element-wise ops per cycle.
 *   MAC op:  cycles = max(macs / macsPerCycle(width), loads / (issueSlots − 1)) + loopOverhead · outputs
 *            with loads = bytes moved / (vectorBits / 8)
 *   other:   cycles = elementOps / elementOpsPerCycle
 * Ignores VLIW scheduling conflicts and data-dependent stalls; memory is priced by the profile's levels.
 * Sources: NXP RT600 datasheet (HiFi 4: 4 × 32×32 or 8 × 32×16 MACs per cycle), Qualcomm HVX programmer's
 * reference (1024-bit vectors), research notes cost-models.md §3.
 */
import { int, num, obj, opt, req, type Schema } from '../../core/schema'
import type { CostModel } from './cost-model'
import { macsPerCycleByBits } from './mcu-simd'
import { byWidth, macBits, outputsOf } from './width'

export interface DspVectorCompute {
  vectorBits: number
  macsPerCycleByBits: Record<string, number>
  issueSlots: number
  loopOverheadCyclesPerOutput: number
  elementOpsPerCycle: number
}

export const dspVector: CostModel<DspVectorCompute> = {
  kind: 'dsp-vector',
  label: 'DSP vector unit (SIMD, VLIW)',
  description: 'A fixed-point DSP: vector MACs per cycle by width, loads in parallel issue slots, loop overhead per output.',
  computeSchema: obj({
    vectorBits: req(int(32, 4096)),
    macsPerCycleByBits: req(macsPerCycleByBits),
    issueSlots: opt(int(1, 16), 2),
    loopOverheadCyclesPerOutput: opt(num({ min: 0 }), 0),
    elementOpsPerCycle: req(num({ min: 1e-6 })),
  }) as Schema<DspVectorCompute>,
  peakMacsPerCycle: (c, bits) => byWidth(c.macsPerCycleByBits, bits),
  computeCycles(op, c) {
    if (op.macs > 0) {
      const peak = byWidth(c.macsPerCycleByBits, macBits(op))
      const loads = (op.bytesRead + op.bytesWritten) / (c.vectorBits / 8)
      const loadCycles = c.issueSlots > 1 ? loads / (c.issueSlots - 1) : loads
      const cycles = (c.issueSlots > 1 ? Math.max(op.macs / peak, loadCycles) : op.macs / peak + loadCycles) + c.loopOverheadCyclesPerOutput * outputsOf(op)
      return { cycles, utilization: Math.min(1, op.macs / (cycles * peak)) }
    }
    return { cycles: op.elementOps / c.elementOpsPerCycle, utilization: 0 }
  },
}
