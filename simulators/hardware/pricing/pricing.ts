/**
 * Pricing a training step's operations on a profile. Per op, as Arm's Vela does per pass:
 *   cycles = max(compute cycles (the unit's cost model), memory cycles (bytes / bandwidth per level))
 * A level with its own clock (memory.*.clockMHz: DRAM, flash with a fixed access time) has its cycles
 * converted to the unit's clock; a level without one runs at the unit's clock.
 * Energy = MACs × pJ/MAC(width) + element-wise ops × pJ/op + bytes × pJ/byte at their memory level
 *        + static power × time.
 * Ops the main unit lacks (backward-input, weight gradients, updates, random draws on an inference NPU)
 * run on the profile's companion core at its cost, or make the step infeasible, as the profile says.
 * Where bytes live comes from the memory placement (memory-plan.ts): frozen weights in their home
 * level, activations and gradients in SRAM unless spilled to DRAM.
 */
import type { Phase } from '../../core/op'
import { PHASES } from '../../core/op'
import type { Op } from '../../core/op'
import type { HardwareProfile, MemoryLevel, OpSupport } from '../profiles/profile'
import type { Placement } from './memory-plan'
import { getCostModel } from '../compute/registry'
import { byWidth, macBits } from '../compute/width'

export interface PhaseCost {
  cycles: number
  energyPj: number
  macs: number
}

/** Cost of one kind of work: a layer in one form, or a whole-step element-wise category. */
export interface WorkCost {
  /** node index (−1: work not tied to one layer) */
  node: number
  /** the layer's path in the model description (filled in by the runner) */
  layer?: string
  /** 'forward', 'backward-input', 'backward-weight', or the op kind for element-wise work */
  what: string
  cycles: number
  energyPj: number
  macs: number
  utilization: number
}

export function workKey(op: Op): { node: number; what: string } {
  const what = op.macs > 0 ? (op.form === 'transposed' ? 'backward-input' : op.form === 'outer-product' ? 'backward-weight' : 'forward') : op.kind
  return { node: op.macs > 0 ? op.node : -1, what }
}

export interface StepCost {
  /** main-clock cycles of the whole step (companion time converted at the main clock) */
  cycles: number
  seconds: number
  energyPj: { compute: number; memory: number; static: number; total: number }
  byPhase: Record<Phase, PhaseCost>
  bytes: { sram: number; dram: number; flash: number }
  /** MAC-weighted utilisation of the main unit while it computes */
  utilization: number
  /** seconds spent on the companion core */
  companionSeconds: number
  /** reasons the step cannot run on this profile (empty when it can) */
  unsupported: string[]
  /** per layer and form (forward, backward-input, backward-weight) and per element-wise kind */
  byWork: WorkCost[]
}

function support(p: HardwareProfile, op: Op): OpSupport {
  if (op.kind === 'loss') return p.companion ? 'companion' : 'native'
  if (op.form === 'transposed') return p.operations.backwardInput
  if (op.form === 'outer-product') return p.operations.backwardWeight
  if (op.kind === 'update') return p.operations.update
  if (op.kind === 'rng') return p.operations.rng
  return 'native'
}

/** Cycles of a unit clocked at `unitMHz` to move `bytes` through level `l` (its own clock, if it has one, converted). */
function levelCycles(bytes: number, l: MemoryLevel, unitMHz: number): number {
  return bytes > 0 ? (bytes / l.bytesPerCycle + l.latencyCycles) * (l.clockMHz === undefined ? 1 : unitMHz / l.clockMHz) : 0
}

/** `p` must come from parseProfile (which fills the compute blocks' defaults). */
export function priceStep(ops: readonly Op[], p: HardwareProfile, placement: Placement): StepCost {
  const main = getCostModel(p.costModel)
  const comp = p.companion ? getCostModel(p.companion.costModel) : undefined
  const byPhase = Object.fromEntries(PHASES.map((ph) => [ph, { cycles: 0, energyPj: 0, macs: 0 }])) as Record<Phase, PhaseCost>
  const energy = { compute: 0, memory: 0, static: 0, total: 0 }
  const bytes = { sram: 0, dram: 0, flash: 0 }
  const unsupported = new Set<string>()
  let mainSeconds = 0, companionSeconds = 0, usedMacs = 0, busyPeak = 0
  const byWork = new Map<string, WorkCost>()
  const activationLevel = placement.activationsIn === 'dram' ? p.memory.dram! : p.memory.sram
  const weightLevel = placement.frozenWeightsIn === 'sram' ? p.memory.sram : p.memory[placement.frozenWeightsIn]!
  for (const op of ops) {
    const where = support(p, op)
    if (where === 'unsupported') {
      unsupported.add(`${p.name} cannot run ${op.form === 'forward' ? op.kind : op.form} operations (${op.phase}) and has no companion core for them`)
      continue
    }
    const onCompanion = where === 'companion' && comp && p.companion
    const model = onCompanion ? comp! : main
    const compute = onCompanion ? p.companion!.compute : p.compute
    const c = model.computeCycles(op, compute)
    // memory: weight reads from the weights' level, everything else from where activations live
    const wBytes = Math.min(op.weightBytesRead, op.bytesRead)
    const otherBytes = op.bytesRead - wBytes + op.bytesWritten
    const actualWeightLevel = op.phase === 'forward' ? weightLevel : p.memory.sram // trained weights are copied to SRAM
    const clock = onCompanion ? p.companion!.clockMHz : p.clockMHz
    const memCycles = levelCycles(wBytes, actualWeightLevel, clock) + levelCycles(otherBytes, activationLevel, clock)
    const cycles = Math.max(c.cycles, memCycles)
    const seconds = cycles / (clock * 1e6)
    if (onCompanion) companionSeconds += seconds
    else {
      mainSeconds += seconds
      if (op.macs > 0) { usedMacs += op.macs; busyPeak += c.cycles * model.peakMacsPerCycle(compute as never, macBits(op)) }
    }
    const macPj = byWidth(onCompanion ? p.companion!.macPjByBits : p.energy.macPjByBits, macBits(op))
    const eCompute = op.macs * macPj + op.elementOps * p.energy.elementOpPj
    const wLevelName = op.phase === 'forward' ? placement.frozenWeightsIn : 'sram'
    const eMemory = wBytes * actualWeightLevel.readPjPerByte + (op.bytesRead - wBytes) * activationLevel.readPjPerByte + op.bytesWritten * activationLevel.writePjPerByte
    bytes[wLevelName] += wBytes
    bytes[placement.activationsIn] += otherBytes
    energy.compute += eCompute
    energy.memory += eMemory
    const k = workKey(op)
    const wc = byWork.get(`${k.node}:${k.what}`) ?? { ...k, cycles: 0, energyPj: 0, macs: 0, utilization: 0 }
    wc.cycles += seconds * p.clockMHz * 1e6
    wc.energyPj += eCompute + eMemory
    wc.utilization = (wc.utilization * wc.macs + c.utilization * op.macs) / Math.max(1, wc.macs + op.macs)
    wc.macs += op.macs
    byWork.set(`${k.node}:${k.what}`, wc)
    const ph = byPhase[op.phase]
    ph.cycles += seconds * p.clockMHz * 1e6
    ph.energyPj += eCompute + eMemory
    ph.macs += op.macs
  }
  // spilled buffers: written to DRAM and read back once per step
  if (placement.spilledBytes > 0 && p.memory.dram) {
    const d = p.memory.dram
    const cycles = levelCycles(2 * placement.spilledBytes, d, p.clockMHz)
    mainSeconds += cycles / (p.clockMHz * 1e6)
    energy.memory += placement.spilledBytes * (d.readPjPerByte + d.writePjPerByte)
    bytes.dram += 2 * placement.spilledBytes
    byPhase.backward.cycles += cycles
  }
  const seconds = mainSeconds + companionSeconds
  energy.static = p.energy.staticMw * 1e-3 * seconds * 1e12
  energy.total = energy.compute + energy.memory + energy.static
  return {
    cycles: seconds * p.clockMHz * 1e6, seconds, energyPj: energy, byPhase, bytes,
    utilization: busyPeak > 0 ? Math.min(1, usedMacs / busyPeak) : 0,
    companionSeconds, unsupported: [...unsupported], byWork: [...byWork.values()],
  }
}
