// The contract of every registered cost model on every preset that uses it (main unit and companion
// core), run over the registries: a new cost model or preset is tested here the moment it is added.
// The per-model files test their own arithmetic against SCALE-Sim and hand-worked cases.
import { describe, expect, it } from 'vitest'
import { validate } from '../../core/schema'
import type { Op, OpKind } from '../../core/op'
import { costModels } from './registry'
import { macBits } from './width'
import { presets } from '../profiles/library'
import { priceStep } from '../pricing/pricing'
import { planMemory } from '../pricing/memory-plan'
import { emptyBreakdown } from '../../core/memory-categories'
import type { HardwareProfile } from '../profiles/profile'

const macOp = (kind: OpKind, M: number, N: number, K: number, bits = 8): Op => ({
  phase: 'forward', node: 0, kind, form: 'forward', gemm: { M, N, K }, macs: M * N * K, elementOps: 0,
  bytesRead: (M * K + K * N) * (bits / 8), bytesWritten: M * N * (bits / 8), weightBytesRead: K * N * (bits / 8), bits: { a: bits, w: bits, acc: 32 },
})
const eltOp = (elementOps: number): Op => ({
  phase: 'forward', node: -1, kind: 'eltwise', form: 'forward', macs: 0, elementOps, bytesRead: 0, bytesWritten: 0, weightBytesRead: 0, bits: { a: 8, w: 8, acc: 32 },
})

/** (preset, unit, cost model, compute block) for every compute unit of every preset. */
const units = [...presets().values()].flatMap((p: HardwareProfile) => [
  { id: `${p.id} main`, kind: p.costModel, compute: p.compute },
  ...(p.companion ? [{ id: `${p.id} companion`, kind: p.companion.costModel, compute: p.companion.compute }] : []),
])

describe('registries', () => {
  it('every cost model has a preset that uses it', () => {
    const used = new Set(units.map((u) => u.kind))
    for (const kind of costModels.keys()) expect(used, kind).toContain(kind)
  })
})

describe.each(units.map((u) => [u.id, u.kind, u] as const))('%s (%s) keeps the cost-model contract', (_, kind, unit) => {
  const model = costModels.get(kind)!
  const c = unit.compute as never

  it('its compute block is valid for its model', () => {
    expect(validate(model.computeSchema, unit.compute).ok).toBe(true)
    expect(model.kind).toBe(kind)
    expect(model.label).toMatch(/\S/)
    expect(model.description).toMatch(/\S/)
  })

  // not monotone in the width: a Cortex-M4 runs int8 at 1 MAC/cycle and int16 at 2 (CMSIS-NN widens int8
  // operands to 16 bits before SMLAD), so only positivity is a contract
  it('has a positive, finite peak rate at every width', () => {
    for (const bits of [2, 4, 8, 16, 32]) {
      const peak = model.peakMacsPerCycle(c, bits)
      expect(Number.isFinite(peak) && peak > 0, `${bits} bits: ${peak}`).toBe(true)
    }
  })

  it.each(['matmul', 'conv', 'depthwise'] as const)('prices %s work: no faster than its peak, utilisation in [0, 1], more MACs never cheaper', (opKind) => {
    for (const bits of [8, 16]) {
      let last = 0
      for (const M of [1, 7, 64, 512]) {
        const op = macOp(opKind, M, 24, 72, bits)
        const r = model.computeCycles(op, c)
        expect(r.cycles).toBeGreaterThanOrEqual(op.macs / model.peakMacsPerCycle(c, macBits(op)) - 1e-9)
        expect(r.utilization).toBeGreaterThanOrEqual(0)
        expect(r.utilization).toBeLessThanOrEqual(1)
        expect(r.cycles).toBeGreaterThanOrEqual(last)
        last = r.cycles
      }
    }
  })

  it('prices no work as no cycles, and element-wise work monotonically', () => {
    expect(model.computeCycles(eltOp(0), c).cycles).toBe(0)
    const a = model.computeCycles(eltOp(100), c).cycles, b = model.computeCycles(eltOp(10_000), c).cycles
    expect(a).toBeGreaterThanOrEqual(0)
    expect(b).toBeGreaterThanOrEqual(a)
  })
})

describe.each([...presets().values()].map((p) => [p.id, p] as const))('pricing on %s', (_, p) => {
  const placement = planMemory(emptyBreakdown(), 0, p, 'test')

  it('an empty step costs nothing: no cycles, no energy', () => {
    const r = priceStep([], p, placement)
    expect([r.cycles, r.seconds, r.energyPj.total]).toEqual([0, 0, 0])
  })

  it('a forward GEMM costs time and energy, and twice the work never costs less', () => {
    const one = priceStep([macOp('matmul', 32, 64, 128)], p, placement)
    const two = priceStep([macOp('matmul', 32, 64, 128), macOp('matmul', 32, 64, 128)], p, placement)
    expect(one.seconds).toBeGreaterThan(0)
    expect(one.energyPj.compute).toBeGreaterThan(0)
    expect(one.energyPj.total).toBeCloseTo(one.energyPj.compute + one.energyPj.memory + one.energyPj.static, 6)
    expect(two.seconds).toBeCloseTo(2 * one.seconds, 9)
    expect(two.energyPj.total).toBeCloseTo(2 * one.energyPj.total, 3)
  })
})
