/**
 * The default experiment's shape (cnn-mnist, batch 16, W16A8) priced on presets: on a 256 KiB MCU
 * backprop does not fit and zo-spsa does, each with its memory breakdown; a device without 16-bit
 * weights says so. Synthetic 28×28 digits stand in for MNIST: memory and cost do not depend on pixels.
 */
import { describe, expect, it } from 'vitest'
import { parseExperiment } from './validate'
import { baseDataset, buildTask } from './task'
import { runOne, type RunEvent, type StepEvent } from './runner'
import { getBuiltinModel } from '../model/builtin'
import { buildGraph } from '../model/graph'
import { initParams } from '../training/float/float-network'

function parsed(profiles: string[]) {
  // 'requested': every device judged at the run's own formats (plan.test.ts covers 'nearest')
  const r = parseExperiment({ data: { dataset: 'synthetic', pretrainPerClass: 4, shots: 4, testPerClass: 2, corruption: 'none' }, init: 'scratch', steps: 2, evalEvery: 2, profiles, deviceFormats: 'requested' })
  if (!r.ok) throw new Error(JSON.stringify(r.errors))
  return r
}

describe('runs priced on hardware presets', () => {
  const { spec: s, profiles, plan } = parsed(['generic-mcu-m4-256k', 'generic-npu-16x16'])
  const graph = buildGraph(getBuiltinModel('cnn-mnist'))
  const task = buildTask(s, baseDataset(s, undefined))
  const params = initParams(graph, s.seed)
  const events: RunEvent[] = []
  const [bp, zo] = plan.map((run) => runOne({ spec: s, run, graph, params, task, profiles }, (e) => events.push(e)))

  it('on a 256 KiB MCU, backprop does not fit and says why; zo-spsa fits; both show their breakdown', () => {
    const bpMcu = bp.profiles.find((p) => p.profile === 'generic-mcu-m4-256k')!
    const zoMcu = zo.profiles.find((p) => p.profile === 'generic-mcu-m4-256k')!
    expect(bpMcu.feasible).toBe(false)
    expect(bpMcu.reasons.map((r) => r.text).join('\n')).toMatch(/^needs \d+ KiB of SRAM, has 256 KiB; backprop's activation gradients are \d+ KiB of it$/m)
    expect(bpMcu.placement.sramDemandBytes).toBeGreaterThan(256 * 1024)
    expect(zoMcu.reasons).toEqual([])
    expect(zoMcu.feasible).toBe(true)
    expect(zoMcu.placement.sramDemandBytes).toBeLessThanOrEqual(256 * 1024)
    expect(bp.peakMemory.savedActivations).toBeGreaterThan(0)
    expect(zo.peakMemory.perturbationState).toBeGreaterThan(0)
  })

  it('every step is priced on every profile, and totals add up from the steps', () => {
    const steps = events.filter((e): e is StepEvent => e.type === 'step' && e.run === 0)
    expect(steps).toHaveLength(2)
    for (const e of steps) expect(e.costs.map((c) => c.profile)).toEqual(['generic-mcu-m4-256k', 'generic-npu-16x16'])
    const mcu = bp.profiles[0]
    expect(mcu.totals.seconds).toBeCloseTo(steps.reduce((a, e) => a + e.costs[0].seconds, 0), 12)
    expect(mcu.totals.energyUj.total).toBeGreaterThan(0)
    expect(mcu.byPhase.backward.macs).toBeGreaterThan(0)
    expect(zo.profiles[0].byPhase.backward.macs).toBe(0)
    // per layer and form: backprop's conv layers appear forward, backward-input and backward-weight
    const forms = new Set(mcu.byWork.filter((w) => w.node >= 0).map((w) => w.what))
    expect(forms).toEqual(new Set(['forward', 'backward-input', 'backward-weight']))
    expect(mcu.byWork.reduce((a, w) => a + w.cycles, 0)).toBeCloseTo(mcu.totals.cycles, 0)
  })

  it('a device without the run\'s number formats is a result with the reason', () => {
    const npu = bp.profiles.find((p) => p.profile === 'generic-npu-16x16')!
    expect(npu.feasible).toBe(false)
    expect(npu.reasons.some((r) => r.kind === 'formats' && /^16-bit weights: .* supports 8$/.test(r.text))).toBe(true)
  })

  it('an unknown preset in an experiment names the field', () => {
    const r = parseExperiment({ profiles: ['stm32l4r5', 'nope'] })
    expect(r.ok).toBe(false)
    expect(!r.ok && r.errors[0]).toMatchObject({ path: 'profiles[1]', message: expect.stringMatching(/unknown hardware profile "nope"/) })
  })
})
