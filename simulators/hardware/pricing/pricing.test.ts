import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { priceStep } from './pricing'
import { planMemory, unsupportedFormats } from './memory-plan'
import { parseProfile } from '../profiles/parse-profile'
import { rawTestMcu, rawTestNpu, testMcu, testNpu } from '../../testing/profiles'
import type { Op } from '../../core/op'
import { emptyBreakdown } from '../../core/memory-categories'

const mac = (o: Partial<Op> = {}): Op => ({ phase: 'forward', node: 0, kind: 'matmul', form: 'forward', gemm: { M: 32, N: 128, K: 784 }, macs: 32 * 128 * 784, elementOps: 0, bytesRead: 32 * 784 + 128 * 784, bytesWritten: 32 * 128 * 4, weightBytesRead: 128 * 784, bits: { a: 8, w: 8, acc: 32 }, ...o })
const sramOnly = (p = testMcu()) => planMemory(emptyBreakdown(), 0, { ...p, memory: { ...p.memory, weightsIn: 'sram' } }, 'test')

describe('pricing a step', () => {
  it('cycles are the larger of compute and memory per op, worked by hand', () => {
    const p = { ...testMcu(), memory: { ...testMcu().memory, weightsIn: 'sram' as const } }
    const op = mac()
    const c = priceStep([op], p, sramOnly(p))
    // compute: macs/2 + bytes/4 (loads); memory: bytes/4 from SRAM — compute is larger
    const compute = op.macs / 2 + (op.bytesRead + op.bytesWritten) / 4
    expect(c.cycles).toBeCloseTo(compute, 6)
    expect(c.seconds).toBeCloseTo(compute / 100e6, 12)
    expect(c.energyPj.compute).toBeCloseTo(op.macs * 1, 6)
    expect(c.energyPj.memory).toBeCloseTo(op.bytesRead * 1 + op.bytesWritten * 2, 6)
    expect(c.energyPj.static).toBeCloseTo(10e-3 * c.seconds * 1e12, 3)
  })

  it('a layer whose weights stream from slow flash is memory-bound: its cycles are the memory cycles (Vela\'s max rule)', () => {
    const p = testMcu() // weights in flash at 1 byte/cycle, SRAM at 4 bytes/cycle
    const op = mac({ gemm: { M: 1, N: 640, K: 128 }, macs: 640 * 128, bytesRead: 128 + 640 * 128, bytesWritten: 640 * 4, weightBytesRead: 640 * 128 })
    const c = priceStep([op], p, planMemory(emptyBreakdown(), 640 * 128, p, 't'))
    const compute = op.macs / 2 + (op.bytesRead + op.bytesWritten) / 4
    const memory = op.weightBytesRead / 1 + (op.bytesRead - op.weightBytesRead + op.bytesWritten) / 4
    expect(memory).toBeGreaterThan(compute)
    expect(c.cycles).toBeCloseTo(memory, 6)
    expect(c.bytes.flash).toBe(op.weightBytesRead)
    expect(c.energyPj.memory).toBeCloseTo(op.weightBytesRead * 10 + 128 * 1 + op.bytesWritten * 2, 6)
  })

  it('energy is at least MACs × energy per MAC; cycles grow with MACs; halving bandwidth never speeds a step up', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 256 }), fc.integer({ min: 1, max: 256 }), fc.integer({ min: 1, max: 512 }), fc.constantFrom(8, 16), (M, N, K, bits) => {
      const op = mac({ gemm: { M, N, K }, macs: M * N * K, bytesRead: M * K + N * K, bytesWritten: 4 * M * N, weightBytesRead: N * K, bits: { a: bits, w: bits, acc: 32 } })
      for (const p of [testMcu(), testNpu()]) {
        const pl = planMemory(emptyBreakdown(), 0, p, 't')
        const c = priceStep([op], p, pl)
        expect(c.energyPj.total).toBeGreaterThanOrEqual(op.macs * (bits === 8 ? p.energy.macPjByBits['8'] : p.energy.macPjByBits['16']) - 1e-9)
        const bigger = priceStep([mac({ ...op, gemm: { M: 2 * M, N, K }, macs: 2 * op.macs, bytesRead: 2 * op.bytesRead, bytesWritten: 2 * op.bytesWritten })], p, pl)
        expect(bigger.cycles).toBeGreaterThan(c.cycles)
        const slow = { ...p, memory: { ...p.memory, sram: { ...p.memory.sram, bytesPerCycle: p.memory.sram.bytesPerCycle / 2 }, ...(p.memory.dram ? { dram: { ...p.memory.dram, bytesPerCycle: p.memory.dram.bytesPerCycle / 2 } } : {}), ...(p.memory.flash ? { flash: { ...p.memory.flash, bytesPerCycle: p.memory.flash.bytesPerCycle / 2 } } : {}) } }
        expect(priceStep([op], slow, pl).cycles).toBeGreaterThanOrEqual(c.cycles)
      }
    }), { numRuns: 200 })
  })

  it('backward ops on an inference NPU run on its companion core, slower; what nothing can run is a reason', () => {
    const p = testNpu()
    const pl = planMemory(emptyBreakdown(), 0, p, 't')
    const fwd = priceStep([mac()], p, pl)
    const bwd = priceStep([mac({ phase: 'backward', form: 'transposed' })], p, pl)
    expect(bwd.companionSeconds).toBeGreaterThan(0)
    expect(bwd.seconds).toBeGreaterThan(fwd.seconds)
    const rng = priceStep([{ ...mac(), kind: 'rng', phase: 'perturbation', macs: 0, elementOps: 1000, gemm: undefined }], p, pl)
    expect(rng.unsupported[0]).toMatch(/Test NPU cannot run rng operations \(perturbation\) and has no companion core for them/)
  })
})

describe('placing memory', () => {
  const peak = { ...emptyBreakdown(), weights: 20 * 1024, savedActivations: 301 * 1024, activationGradients: 80 * 1024, scratch: 30 * 1024 }

  it('too much for SRAM and no DRAM: infeasible, with the numbers and the largest culprit', () => {
    const pl = planMemory(peak, 0, testMcu(256), 'backprop')
    expect(pl.feasible).toBe(false)
    expect(pl.reason).toBe("needs 431 KiB of SRAM, has 256 KiB; backprop's saved activations are 301 KiB of it")
  })

  it('frozen weights in flash cost no SRAM', () => {
    const pl = planMemory({ ...emptyBreakdown(), weights: 100 * 1024, scratch: 200 * 1024 }, 100 * 1024, testMcu(256), 'zo-spsa')
    expect(pl.feasible).toBe(true)
    expect(pl.sramBytes).toBe(200 * 1024)
  })

  it('with DRAM, the largest categories spill and the step pays for the traffic', () => {
    const p = { ...testNpu(), memory: { ...testNpu().memory, sram: { ...testNpu().memory.sram, sizeKiB: 256 } } }
    const pl = planMemory(peak, 0, p, 'backprop')
    expect(pl.feasible).toBe(true)
    expect(pl.spilled.map((s) => s.category)).toEqual(['savedActivations'])
    expect(pl.reason).toMatch(/spilled saved activations \(301 KiB\) to DRAM/)
    const withSpill = priceStep([mac()], p, pl)
    const without = priceStep([mac()], p, planMemory(emptyBreakdown(), 0, p, 't'))
    expect(withSpill.energyPj.memory).toBeGreaterThan(without.energyPj.memory)
    expect(withSpill.bytes.dram).toBeGreaterThanOrEqual(2 * 301 * 1024)
  })

  it('number formats the device lacks are reasons too', () => {
    expect(unsupportedFormats(testNpu(), { weightBits: 16, activationBits: 8, gradientBits: 16, accumulatorBits: 32, rounding: 'half-away' }, true))
      .toEqual(['16-bit weights: Test NPU supports 8'])
  })
})

describe('profiles are validated', () => {
  it('the test profiles are valid', () => {
    for (const p of [rawTestMcu(), rawTestNpu()]) expect(parseProfile(p)).toMatchObject({ ok: true })
  })
  it.each([
    [(p: Record<string, unknown>) => ({ ...p, clockMhz: 5 }), 'clockMhz', /unknown field/],
    [(p: Record<string, unknown>) => ({ ...p, sources: { formats: 'x', compute: 'x', memory: 'x', energy: 'x' } }), 'sources["clockMHz"]', /clockMHz has no source/],
    [(p: Record<string, unknown>) => ({ ...p, compute: { ...(p.compute as object), macsPerCycleByBits: { '8': 0 } } }), 'compute.macsPerCycleByBits.8', /positive number/],
    [(p: Record<string, unknown>) => ({ ...p, costModel: 'quantum' }), 'costModel', /unknown cost model "quantum"/],
    [(p: Record<string, unknown>) => ({ ...p, memory: { ...(p.memory as object), weightsIn: 'dram' } }), 'memory.weightsIn', /has no memory.dram/],
    [(p: Record<string, unknown>) => ({ ...p, operations: { backwardInput: 'companion', backwardWeight: 'native', update: 'native', rng: 'native' } }), 'operations.backwardInput', /no companion/],
  ])('a bad profile names the field (%#)', (edit, path, message) => {
    const r = parseProfile(edit(rawTestMcu() as unknown as Record<string, unknown>))
    expect(r.ok).toBe(false)
    const e = !r.ok ? r.errors.find((x) => x.path === path) : undefined
    expect(e, JSON.stringify(!r.ok && r.errors)).toBeDefined()
    expect(e!.message).toMatch(message)
  })
})
