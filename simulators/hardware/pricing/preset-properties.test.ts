/**
 * Cost-model properties over every preset (fast-check, fixed seeds): halving every memory's bandwidth
 * never makes a step faster, and more SRAM never makes a run that fits stop fitting.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { priceStep } from './pricing'
import { planMemory } from './memory-plan'
import { presets } from '../profiles/library'
import type { Op } from '../../core/op'
import { emptyBreakdown } from '../../core/memory-categories'
import type { HardwareProfile } from '../profiles/profile'

const all = [...presets().values()]
const matmul = (M: number, N: number, K: number, bits: number): Op => ({
  phase: 'forward', node: 0, kind: 'matmul', form: 'forward', gemm: { M, N, K }, macs: M * N * K, elementOps: 0,
  bytesRead: M * K + N * K, bytesWritten: 4 * M * N, weightBytesRead: N * K, bits: { a: bits, w: bits, acc: 32 },
})
const gemm = fc.record({ M: fc.integer({ min: 1, max: 128 }), N: fc.integer({ min: 1, max: 256 }), K: fc.integer({ min: 1, max: 512 }), bits: fc.constantFrom(8, 16) })
const withMemory = (p: HardwareProfile, f: (m: HardwareProfile['memory']['sram']) => HardwareProfile['memory']['sram']): HardwareProfile => ({
  ...p, memory: { ...p.memory, sram: f(p.memory.sram), ...(p.memory.dram ? { dram: f(p.memory.dram) } : {}), ...(p.memory.flash ? { flash: f(p.memory.flash) } : {}) },
})

describe.each(all.map((p) => [p.id, p] as const))('cost-model properties on %s', (_id, p) => {
  it('halving memory bandwidth never makes a step faster', () => {
    fc.assert(fc.property(gemm, ({ M, N, K, bits }) => {
      const op = matmul(M, N, K, bits)
      const pl = planMemory(emptyBreakdown(), N * K, p, 't')
      const slow = withMemory(p, (m) => ({ ...m, bytesPerCycle: m.bytesPerCycle / 2 }))
      expect(priceStep([op], slow, pl).cycles).toBeGreaterThanOrEqual(priceStep([op], p, pl).cycles)
    }), { numRuns: 40, seed: 3301 })
  })
  it('more SRAM never makes a fitting run not fit', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 4 * 2 ** 20 }), fc.integer({ min: 0, max: 2 ** 20 }), fc.double({ min: 1, max: 16, noNaN: true }), (act, weights, grow) => {
      const peak = { ...emptyBreakdown(), savedActivations: act, scratch: act / 4 }
      const small = planMemory(peak, weights, p, 't')
      const big = planMemory(peak, weights, { ...p, memory: { ...p.memory, sram: { ...p.memory.sram, sizeKiB: p.memory.sram.sizeKiB * grow } } }, 't')
      if (small.feasible) expect(big.feasible).toBe(true)
    }), { numRuns: 60, seed: 3302 })
  })
})
