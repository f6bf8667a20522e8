/**
 * A cost model prices the compute of one operation on one kind of compute unit (an NPU's systolic
 * array, a DSP's vector unit, an MCU core). Memory traffic, energy and feasibility are priced the same
 * way for every kind (pricing.ts), from the profile's memory levels and energy table — the cost model
 * counts compute cycles, the profile prices actions (Accelergy's split of counts and energy tables).
 */
import type { Schema } from '../../core/schema'
import type { Op } from '../../core/op'

export interface ComputeCost {
  /** cycles the unit is busy with the op's arithmetic (memory transfers are priced separately) */
  cycles: number
  /** fraction of the unit's peak MAC rate the op achieves while computing (0..1; 0 for MAC-free ops) */
  utilization: number
}

export interface CostModel<C = Record<string, unknown>> {
  /** equals the file name */
  kind: string
  label: string
  /** what it models, what it ignores, and its sources */
  description: string
  /** validates a profile's compute block for this kind */
  computeSchema: Schema<C>
  /** peak MACs per cycle for operands of `bits` (the roofline; utilisation is measured against it) */
  peakMacsPerCycle(c: C, bits: number): number
  computeCycles(op: Op, c: C): ComputeCost
}
