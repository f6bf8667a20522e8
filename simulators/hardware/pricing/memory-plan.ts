/**
 * Placing a step's peak memory into a profile's memory levels. The training code's live-buffer plan
 * gives the peak by category (training/network/memory.ts); here it meets the device:
 * - frozen weights stay where the profile keeps weights (flash on an MCU: they cost no SRAM); trained
 *   weights need writable memory, so they take SRAM (TTE's rule: every updated parameter needs an SRAM copy);
 * - the rest needs SRAM. If it does not fit and the profile has DRAM, whole categories spill to DRAM,
 *   largest first, and their traffic is priced there; otherwise the run is infeasible, with the numbers.
 */
import { MEMORY_CATEGORIES, MEMORY_CATEGORY_LABELS, type MemoryBreakdown, type MemoryCategory } from '../../core/memory-categories'
import type { HardwareProfile } from '../profiles/profile'

export interface Placement {
  feasible: boolean
  /** why not, in words with numbers ("needs 412 KiB of SRAM, has 256 KiB; …") */
  reason?: string
  /** bytes that must sit in SRAM after spilling */
  sramBytes: number
  sramCapacityBytes: number
  /** what needed SRAM before any spill */
  sramDemandBytes: number
  spilled: { category: MemoryCategory; bytes: number }[]
  spilledBytes: number
  activationsIn: 'sram' | 'dram'
  frozenWeightsIn: 'sram' | 'flash' | 'dram'
}

const LABEL = MEMORY_CATEGORY_LABELS

export const kib = (b: number): string => `${Math.round(b / 1024)} KiB`

export function planMemory(peak: MemoryBreakdown, frozenWeightBytes: number, p: HardwareProfile, algorithmLabel: string): Placement {
  const sramCap = p.memory.sram.sizeKiB * 1024
  const frozenOut = p.memory.weightsIn !== 'sram' ? Math.min(frozenWeightBytes, peak.weights) : 0
  const need: MemoryBreakdown = { ...peak, weights: peak.weights - frozenOut }
  const demand = MEMORY_CATEGORIES.reduce((a, c) => a + need[c], 0)
  const base = { sramCapacityBytes: sramCap, sramDemandBytes: demand, frozenWeightsIn: p.memory.weightsIn }
  if (frozenOut > 0) {
    const home = p.memory[p.memory.weightsIn]!
    if (frozenOut > home.sizeKiB * 1024) {
      return { ...base, feasible: false, reason: `the frozen weights need ${kib(frozenOut)} of ${p.memory.weightsIn}, which has ${kib(home.sizeKiB * 1024)}`, sramBytes: demand, spilled: [], spilledBytes: 0, activationsIn: 'sram' }
    }
  }
  if (demand <= sramCap) return { ...base, feasible: true, sramBytes: demand, spilled: [], spilledBytes: 0, activationsIn: 'sram' }
  const largest = MEMORY_CATEGORIES.filter((c) => need[c] > 0).sort((a, b) => need[b] - need[a])[0]
  const why = `needs ${kib(demand)} of SRAM, has ${kib(sramCap)}; ${algorithmLabel}'s ${LABEL[largest]} are ${kib(need[largest])} of it`
  if (!p.memory.dram) return { ...base, feasible: false, reason: why, sramBytes: demand, spilled: [], spilledBytes: 0, activationsIn: 'sram' }
  // spill whole categories, largest first, until the rest fits
  const spilled: { category: MemoryCategory; bytes: number }[] = []
  let rest = demand
  for (const c of MEMORY_CATEGORIES.filter((k) => need[k] > 0).sort((a, b) => need[b] - need[a])) {
    if (rest <= sramCap) break
    spilled.push({ category: c, bytes: need[c] })
    rest -= need[c]
  }
  const spilledBytes = spilled.reduce((a, s) => a + s.bytes, 0)
  const dramCap = p.memory.dram.sizeKiB * 1024
  if (spilledBytes > dramCap) return { ...base, feasible: false, reason: `${why}; spilling ${kib(spilledBytes)} exceeds the ${kib(dramCap)} of DRAM`, sramBytes: rest, spilled, spilledBytes, activationsIn: 'dram' }
  const activationsIn = spilled.some((s) => s.category === 'scratch' || s.category === 'savedActivations' || s.category === 'activationGradients') ? 'dram' : 'sram'
  return { ...base, feasible: true, reason: `${why}: spilled ${spilled.map((s) => `${LABEL[s.category]} (${kib(s.bytes)})`).join(', ')} to DRAM`, sramBytes: rest, spilled, spilledBytes, activationsIn }
}

/** Number formats a profile cannot run, in words ("16-bit weights: supports 8"); empty when all fit. */
export function unsupportedFormats(p: HardwareProfile, f: { weightBits: number; activationBits: number; gradientBits: number; accumulatorBits: number; rounding: string }, usesGradients: boolean): string[] {
  const out: string[] = []
  const check = (what: string, v: number, list: readonly number[]) => { if (!list.includes(v)) out.push(`${v}-bit ${what}: ${p.name} supports ${list.join(', ')}`) }
  check('weights', f.weightBits, p.formats.weightBits)
  check('activations', f.activationBits, p.formats.activationBits)
  if (usesGradients) check('gradients', f.gradientBits, p.formats.gradientBits)
  check('accumulators', f.accumulatorBits, p.formats.accumulatorBits)
  if (!p.formats.rounding.includes(f.rounding)) out.push(`${f.rounding} rounding: ${p.name} supports ${p.formats.rounding.join(', ')}`)
  return out
}
