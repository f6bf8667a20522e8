/**
 * Pricing a whole run on one profile: each step's operations (priced by pricing.ts) and each step's
 * peak memory (placed by memory-plan.ts), accumulated into totals. A run whose formats or memory the
 * profile cannot hold is a result with its reason, not an error: the numbers of the run itself do not
 * depend on the profile, only its cost and feasibility do.
 */
import { PHASES, type Phase } from '../../core/op'
import type { MemoryBreakdown } from '../../core/memory-categories'
import type { Op } from '../../core/op'
import type { HardwareProfile } from '../profiles/profile'
import { planMemory, unsupportedFormats, type Placement } from './memory-plan'
import { priceStep, type PhaseCost, type StepCost, type WorkCost } from './pricing'

export interface StepPrice {
  profile: string
  cycles: number
  seconds: number
  energyUj: number
  sramBytes: number
  feasible: boolean
  /** this step's main-clock cycles by phase (they add up to `cycles`) */
  phaseCycles: Record<Phase, number>
}

/** Why a run cannot run on a device, by kind, so a catalogue of devices can group them. */
export interface Blocker {
  kind: 'formats' | 'memory' | 'operations'
  /** in words with numbers: "needs 412 KiB of SRAM, has 256 KiB; …" */
  text: string
}

export interface ProfileResult {
  profile: string
  name: string
  class: string
  feasible: boolean
  /** every reason the run cannot run as configured on this device */
  reasons: Blocker[]
  /** the worst step's placement (highest SRAM demand) */
  placement: Placement
  totals: { cycles: number; seconds: number; energyUj: { compute: number; memory: number; static: number; total: number }; companionSeconds: number }
  byPhase: Record<Phase, PhaseCost>
  bytes: { sram: number; dram: number; flash: number }
  utilization: number
  steps: number
  /** totals per layer and form (forward, backward-input, backward-weight) and per element-wise kind */
  byWork: WorkCost[]
}

export class RunPricer {
  private readonly formatIssues: string[]
  private worst: Placement | undefined
  private readonly reasons = new Map<string, Blocker>()
  private total: StepCost | undefined
  private macWeightedUtil = 0
  private macs = 0
  private steps = 0
  private readonly byWork = new Map<string, WorkCost>()

  constructor(readonly profile: HardwareProfile, private readonly algorithmLabel: string, private readonly frozenWeightBytes: number, formats: Parameters<typeof unsupportedFormats>[1], usesGradients: boolean) {
    this.formatIssues = unsupportedFormats(profile, formats, usesGradients)
    for (const text of this.formatIssues) this.block('formats', text)
  }

  addStep(ops: readonly Op[], peak: MemoryBreakdown): StepPrice {
    const placement = planMemory(peak, this.frozenWeightBytes, this.profile, this.algorithmLabel)
    if (!this.worst || placement.sramDemandBytes > this.worst.sramDemandBytes) this.worst = placement
    if (!placement.feasible && placement.reason) this.block('memory', placement.reason)
    const cost = priceStep(ops, this.profile, placement)
    for (const text of cost.unsupported) this.block('operations', text)
    this.accumulate(cost)
    this.steps++
    return {
      profile: this.profile.id, cycles: cost.cycles, seconds: cost.seconds, energyUj: cost.energyPj.total / 1e6,
      sramBytes: placement.sramBytes, feasible: placement.feasible && cost.unsupported.length === 0 && this.formatIssues.length === 0,
      phaseCycles: Object.fromEntries(PHASES.map((ph) => [ph, cost.byPhase[ph].cycles])) as Record<Phase, number>,
    }
  }

  /** every reason found so far (format issues from the start, memory and operations as steps come) */
  reasonList(): Blocker[] {
    return [...this.reasons.values()]
  }

  private block(kind: Blocker['kind'], text: string): void {
    if (!this.reasons.has(text)) this.reasons.set(text, { kind, text })
  }

  private accumulate(c: StepCost): void {
    for (const w of c.byWork) {
      const key = `${w.node}:${w.what}`
      const t = this.byWork.get(key) ?? { ...w, cycles: 0, energyPj: 0, macs: 0, utilization: 0 }
      t.utilization = (t.utilization * t.macs + w.utilization * w.macs) / Math.max(1, t.macs + w.macs)
      t.cycles += w.cycles; t.energyPj += w.energyPj; t.macs += w.macs
      this.byWork.set(key, t)
    }
    const stepMacs = PHASES.reduce((a, ph) => a + c.byPhase[ph].macs, 0)
    this.macWeightedUtil += c.utilization * stepMacs
    this.macs += stepMacs
    if (!this.total) { this.total = JSON.parse(JSON.stringify(c)) as StepCost; return }
    const t = this.total
    t.cycles += c.cycles; t.seconds += c.seconds; t.companionSeconds += c.companionSeconds
    for (const k of ['compute', 'memory', 'static', 'total'] as const) t.energyPj[k] += c.energyPj[k]
    for (const ph of PHASES) { t.byPhase[ph].cycles += c.byPhase[ph].cycles; t.byPhase[ph].energyPj += c.byPhase[ph].energyPj; t.byPhase[ph].macs += c.byPhase[ph].macs }
    for (const k of ['sram', 'dram', 'flash'] as const) t.bytes[k] += c.bytes[k]
  }

  result(): ProfileResult {
    const p = this.profile
    const t = this.total
    const zeroPhase = Object.fromEntries(PHASES.map((ph) => [ph, { cycles: 0, energyPj: 0, macs: 0 }])) as Record<Phase, PhaseCost>
    return {
      profile: p.id, name: p.name, class: p.class,
      feasible: this.reasons.size === 0,
      reasons: [...this.reasons.values()],
      placement: this.worst ?? planMemory({ weights: 0, savedActivations: 0, activationGradients: 0, weightGradients: 0, optimizerState: 0, perturbationState: 0, scratch: 0 }, 0, p, this.algorithmLabel),
      totals: {
        cycles: t?.cycles ?? 0, seconds: t?.seconds ?? 0, companionSeconds: t?.companionSeconds ?? 0,
        energyUj: { compute: (t?.energyPj.compute ?? 0) / 1e6, memory: (t?.energyPj.memory ?? 0) / 1e6, static: (t?.energyPj.static ?? 0) / 1e6, total: (t?.energyPj.total ?? 0) / 1e6 },
      },
      byPhase: t?.byPhase ?? zeroPhase,
      bytes: t?.bytes ?? { sram: 0, dram: 0, flash: 0 },
      utilization: this.macs > 0 ? this.macWeightedUtil / this.macs : 0,
      steps: this.steps,
      byWork: [...this.byWork.values()].sort((a, b) => b.cycles - a.cycles),
    }
  }
}
