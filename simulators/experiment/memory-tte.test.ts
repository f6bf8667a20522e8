/**
 * The memory plan against published on-device training memory (docs/memory-tte.md). References are the
 * publications' numbers, never our own output:
 * - TTE's sparse-update schemes for MobileNetV2-w0.35 at 128×128 are named by their analytic memory
 *   budget in KB (tiny-training, compilation/mcu_ir_gen.py): 49, 73, 99, 123, 138. That budget counts
 *   (algorithm/core/utils/partial_backward.py) the SRAM copies of updated weights (8-bit) and biases
 *   (32-bit), the kept input channels of weight-updated layers (8-bit) and 1-bit ReLU masks of updated
 *   layers; in our plan: the trained parameters' bytes plus the saved activations' own maximum.
 * - TTE's measured end-to-end peak, 149 KB for MobileNetV2-w0.35, batch 1, 128×128 (Lin et al. 2023
 *   survey, Fig. 15): our peak is not within ±20 % of it. The test pins the reason: the forward working
 *   set of block 2 (its expanding 1×1 conv: 64×64×8 in, 64×64×48 out, int8 = 224 KiB; its depthwise:
 *   240 KiB) alone exceeds it.
 * Print the figures with TTE_REPORT=1.
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { loadModelSpec } from '../model/validate'
import { measureStep, type StepMemory } from './step-memory'
import { tteSchemeToScope, type TteScheme } from './tte-scheme'
import type { NumericFormatsSpec } from '../training/network/formats'

const read = (f: string) => JSON.parse(readFileSync(new URL(`../../examples/tte/${f}`, import.meta.url), 'utf8'))
const mbv2 = loadModelSpec(read('mbv2-w0.35-nomix-128.json'))
const schemes = read('mbv2-sparse-schemes.json').schemes as Record<string, TteScheme>
/** int8 weights and activations (TTE's real quantized graph); backward in 32 bits (TinyEngine's fp32 backward ops) */
const TTE_FORMATS: NumericFormatsSpec = { weightBits: 8, activationBits: 8, gradientBits: 32, accumulatorBits: 32, accumulatorOverflow: 'wrap', weightGranularity: 'per-channel', rounding: 'half-away' }
const KIB = 1024
const report = process.env.TTE_REPORT === '1'
const kib = (b: number) => (b / KIB).toFixed(1)

/** TTE's analytic extra memory read off our plan: trained parameter copies + saved activations (own max). */
function extraMemory(m: StepMemory): number {
  return m.peak.weights - m.frozenParameterBytes + m.maxByCategory.savedActivations
}

describe('TTE (Lin et al., NeurIPS 2022): MobileNetV2-w0.35, 128×128, batch 1, int8, SGD without momentum', () => {
  const measured = Object.entries(schemes).map(([key, s]) => ({ key, budget: Number.parseInt(key, 10) * KIB, m: measureStep(mbv2, 'backprop', tteSchemeToScope(s, 51), TTE_FORMATS, { optimizer: 'sgd', qas: true }) }))

  it('the model has TTE\'s 51 convolutions', () => {
    expect(mbv2.layers.filter((l) => l.type === 'conv2d' || l.type === 'depthwiseConv2d')).toHaveLength(51)
  })

  it("each scheme's analytic memory (trained copies + saved activations) is within ±5 % of the KB the scheme is named by", () => {
    for (const { key, budget, m } of measured) {
      const extra = extraMemory(m)
      if (report) console.log(`${key}: extra ${kib(extra)} KiB (${(100 * (extra / budget - 1)).toFixed(1)} %), peak SRAM ${kib(m.sramBytes)} KiB in ${m.peakPhase}, trained copies ${kib(m.peak.weights - m.frozenParameterBytes)}, saved ${kib(m.maxByCategory.savedActivations)}, act. grads ${kib(m.maxByCategory.activationGradients)}, weight grads ${kib(m.maxByCategory.weightGradients)}, working activations ${kib(m.maxByCategory.scratch)}`)
      expect(extra, key).toBeGreaterThanOrEqual(0.95 * budget)
      expect(extra, key).toBeLessThanOrEqual(1.05 * budget)
    }
  })

  it('the measured 149 KB peak is not reproduced: the plan peaks in the forward pass, at the working set of block 2\'s expanding conv', () => {
    const published = 149 * KIB
    for (const { key, m } of measured) {
      expect(m.peakPhase, key).toBe('forward')
      // the peak: block 2's stride-2 depthwise, 64×64×48 in + 32×32×48 out, int8 = 240 KiB; the expanding
      // 1×1 conv before it (64×64×8 in + 64×64×48 out = 224 KiB) bounds any layer-by-layer schedule,
      // in-place depthwise included: already 1.5× the published peak
      expect(m.peak.scratch, key).toBe(64 * 64 * 48 + 32 * 32 * 48)
      expect(m.sramBytes, key).toBeGreaterThan(1.2 * published)
      // what training adds to that peak (trained copies; nothing else is live yet) is below the published figure
      expect(m.sramBytes - m.peak.scratch, key).toBeLessThan(published)
    }
  })
})

describe('ElasticZO (Sugiura & Matsutani 2025): LeNet-5 on MNIST, BP for the last layer, ZO for the rest, int8', () => {
  const lenet = loadModelSpec(read('lenet5-mnist.json'))
  const INT8: NumericFormatsSpec = { ...TTE_FORMATS, gradientBits: 8 }
  for (const B of [1, 32]) {
    it(`batch ${B}: the hybrid's peak is within the published 0.072–1.7 % overhead over vanilla ZO or below it; full BP is far above`, () => {
      const all = { kind: 'all' } as const
      const zo = measureStep(lenet, 'zo-spsa', all, INT8, {}, B).peakTotal
      const ezo = measureStep(lenet, 'hybrid', all, INT8, { backpropLayers: 1 }, B).peakTotal
      const bp = measureStep(lenet, 'backprop', all, INT8, { optimizer: 'sgd' }, B).peakTotal
      if (report) console.log(`B=${B}: ZO ${kib(zo)} KiB, ElasticZO (k=1) ${kib(ezo)} KiB (${(100 * (ezo / zo - 1)).toFixed(2)} %), BP ${kib(bp)} KiB, BP/ZO ${(bp / zo).toFixed(2)}`)
      // the paper's upper bound on the overhead; the last layer's backward never outgrows the forward working set here
      expect(ezo / zo - 1).toBeLessThanOrEqual(0.017)
      expect(bp / zo).toBeGreaterThan(2)
    })
  }
})
