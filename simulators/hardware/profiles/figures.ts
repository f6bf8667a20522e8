/**
 * What the studio shows about a profile without running anything: the library table's key figures, and
 * the value sets of the profile's enum fields. Computed here, from the profile schema and the cost
 * models' own code, so the window neither re-implements a model's peak rate nor copies a value set (a
 * new cost model or enum value appears in the studio with no edit there).
 */
import { enumFields, validate } from '../../core/schema'
import { costModels } from '../compute/registry'
import { ENERGY_BASES, MLPERF_TINY_ROUNDS, profileSchema, type EnergyBasis, type HardwareProfile, type MlperfTinyRound } from './profile'

export interface KeyFigures {
  clockMHz: number | undefined
  /** peak MACs per cycle for 8-bit operands, from the profile's cost model; undefined if it cannot say */
  peakMacs8: number | undefined
  sramKiB: number | undefined
  dramKiB: number | undefined
  flashKiB: number | undefined
  weightBits: number[]
  activationBits: number[]
  /** energy.macPjByBits["8"] */
  macPj8: number | undefined
  /** energy.staticMw */
  staticMw: number | undefined
  /** energy.basis: what the static power and the pJ per MAC rest on; undefined where the profile does not say */
  energyBasis: { staticMw: EnergyBasis | undefined; macPjByBits: EnergyBasis | undefined }
  /** the runtime and MLPerf Tiny round the preset's fitted constants come from; undefined: nothing fitted */
  calibratedTo: { runtime: string; round: MlperfTinyRound } | undefined
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined)
const basisOf = (v: unknown): EnergyBasis | undefined => (ENERGY_BASES as readonly unknown[]).includes(v) ? v as EnergyBasis : undefined

/** Peak MACs per cycle at `bits` from the cost model of that kind, or undefined (unknown model, invalid block). */
export function peakMacsPerCycle(costModel: string, compute: unknown, bits = 8): number | undefined {
  const model = costModels.get(costModel)
  if (!model) return undefined
  const c = validate(model.computeSchema, compute)
  return c.ok ? model.peakMacsPerCycle(c.value, bits) : undefined
}

/** The library table's figures; tolerant of a partial document (a field it cannot read is undefined). */
export function keyFigures(p: HardwareProfile): KeyFigures {
  const mem = isRecord(p.memory) ? p.memory : undefined
  const size = (level: unknown) => (isRecord(level) ? num(level.sizeKiB) : undefined)
  const bitsOf = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is number => typeof x === 'number') : [])
  return {
    clockMHz: num(p.clockMHz),
    peakMacs8: peakMacsPerCycle(p.costModel, p.compute, 8),
    sramKiB: size(mem?.sram),
    dramKiB: size(mem?.dram),
    flashKiB: size(mem?.flash),
    weightBits: bitsOf(p.formats?.weightBits),
    activationBits: bitsOf(p.formats?.activationBits),
    macPj8: isRecord(p.energy?.macPjByBits) ? num(p.energy.macPjByBits['8']) : undefined,
    staticMw: num(p.energy?.staticMw),
    energyBasis: { staticMw: basisOf(p.energy?.basis?.staticMw), macPjByBits: basisOf(p.energy?.basis?.macPjByBits) },
    calibratedTo: isRecord(p.calibratedTo) && typeof p.calibratedTo.runtime === 'string' && (MLPERF_TINY_ROUNDS as readonly unknown[]).includes(p.calibratedTo.round)
      ? { runtime: p.calibratedTo.runtime, round: p.calibratedTo.round } : undefined,
  }
}

export interface ProfileEnums {
  /** string value sets of the profile schema's fields, by path (class, memory.weightsIn, operations.*) */
  fields: Record<string, string[]>
  /** per cost model kind, the value sets of its compute block's fields (paths inside the block) */
  compute: Record<string, Record<string, string[]>>
}

export function profileEnums(): ProfileEnums {
  return {
    fields: enumFields(profileSchema),
    compute: Object.fromEntries([...costModels].map(([kind, m]) => [kind, enumFields(m.computeSchema)])),
  }
}
