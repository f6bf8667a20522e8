// Test support (not shipped code): synthetic experiment runs in the exact wire shapes the main process
// sends (ExperimentRecord, ExperimentUpdate with PackedSteps from the real packSteps), for the model and dashboard tests.
import type { EvalEvent, HardwareProfile, ExperimentRecord, RunSummary, ExperimentUpdate } from '../api/bridge'
import type { StepEvent } from '../../../simulators/experiment/runner'
import type { ProfileResult } from '../../../simulators/hardware/pricing/run-pricer'
import { loadExperiment } from '../../../simulators/experiment/validate'
import { planExperiment } from '../../../simulators/experiment/plan'
import { learning } from '../../../simulators/experiment/health'
import { testMcu, testNpu } from '../../../simulators/testing/profiles'
import { newPhaseWork, PHASES, type Phase } from '../../../simulators/core/op'
import { emptyBreakdown, MEMORY_CATEGORIES } from '../../../simulators/core/memory-categories'
import { packSteps } from '../../../workers/run-stream'

export const ALGORITHMS = ['backprop', 'zo-spsa', 'forward-ad', 'tpsgd'] as const

/** A device too small for backprop: its SRAM is below the synthetic backprop peak. */
export function tinyMcu(): HardwareProfile {
  return { ...testMcu(64), id: 'tiny-mcu', name: 'Tiny MCU' }
}

export function syntheticProfiles(): HardwareProfile[] {
  return [testMcu(256), testNpu(), tinyMcu()]
}

/** Deterministic, irregular values (so running sums are not trivially exact multiples). */
const wobble = (run: number, step: number, k: number) => 1 + 0.5 * Math.sin(step * 0.37 + run * 1.3 + k * 0.71)

export function syntheticStep(run: number, step: number, profiles: readonly HardwareProfile[]): StepEvent {
  const memory = emptyBreakdown()
  MEMORY_CATEGORIES.forEach((c, i) => { memory[c] = Math.round((run === 0 ? 30_000 : 8_000) * wobble(run, step, i)) })
  const peakBytes = MEMORY_CATEGORIES.reduce((a, c) => a + memory[c], 0)
  return {
    type: 'step', run, step, loss: 2.3 / (1 + step * 0.02) * wobble(run, step, 9), accuracy: Math.min(1, step / 200) * 0.9,
    forwardPasses: run === 0 ? 1 : 3, backwardPasses: run === 0 ? 1 : 0,
    macs: { forward: 1e5, backward: run === 0 ? 2e5 : 0, update: 1e3, perturbation: run === 0 ? 0 : 5e3 },
    peakBytes, memory, updatedFraction: 0.5, saturations: 0, clipped: 0, elapsedSeconds: step * 0.05,
    costs: profiles.map((p, i) => {
      const phaseCycles = Object.fromEntries(PHASES.map((ph, k) => [ph, Math.round(1e4 * (i + 1) * wobble(run, step, k))])) as Record<Phase, number>
      const cycles = PHASES.reduce((a, ph) => a + phaseCycles[ph], 0)
      return {
        profile: p.id, cycles, seconds: cycles / (p.clockMHz * 1e6), energyUj: cycles * 1e-4 * wobble(run, step, 5), sramBytes: peakBytes,
        feasible: peakBytes <= p.memory.sram.sizeKiB * 1024, phaseCycles,
      }
    }),
  }
}

export function syntheticRecord(opts: { runs?: number; steps?: number; evalEvery?: number; profiles?: HardwareProfile[]; name?: string; createdAt?: string; id?: string } = {}): ExperimentRecord {
  const runs = opts.runs ?? 2
  const { spec } = loadExperiment({
    name: opts.name ?? 'synthetic', steps: opts.steps ?? 100, evalEvery: opts.evalEvery ?? 10,
    runs: Array.from({ length: runs }, (_, i) => ({ algorithm: ALGORITHMS[i % ALGORITHMS.length] })),
  })
  const profiles = opts.profiles ?? syntheticProfiles()
  spec.profiles = profiles.map((p) => p.id)
  const id = opts.id ?? 'run-1'
  return {
    meta: { id, name: spec.name, labels: [], createdAt: opts.createdAt ?? '2025-01-02T03:04:05.000Z', status: 'running', pid: 1 },
    spec, profiles, plan: planExperiment({ ...spec, deviceFormats: 'requested' }, profiles), update: { id, seq: 0, runs: [] },
  }
}

function profileResult(p: HardwareProfile, steps: readonly StepEvent[], i: number): ProfileResult {
  const sum = (f: (e: StepEvent) => number) => steps.reduce((a, e) => a + f(e), 0)
  const demand = Math.max(0, ...steps.map((e) => e.costs[i].sramBytes))
  const cap = p.memory.sram.sizeKiB * 1024
  const reasons = demand > cap ? [{ kind: 'memory' as const, text: `needs ${Math.round(demand / 1024)} KiB of SRAM, has ${p.memory.sram.sizeKiB} KiB` }] : []
  return {
    profile: p.id, name: p.name, class: p.class, feasible: reasons.length === 0, reasons,
    placement: { feasible: !reasons.length, reason: reasons[0]?.text, sramBytes: demand, sramCapacityBytes: cap, sramDemandBytes: demand, spilled: [], spilledBytes: 0, activationsIn: 'sram', frozenWeightsIn: 'flash' },
    totals: { cycles: sum((e) => e.costs[i].cycles), seconds: sum((e) => e.costs[i].seconds), companionSeconds: 0, energyUj: { compute: 0, memory: 0, static: 0, total: sum((e) => e.costs[i].energyUj) } },
    byPhase: Object.fromEntries(PHASES.map((ph) => [ph, { cycles: sum((e) => e.costs[i].phaseCycles[ph]), energyPj: 0, macs: 0 }])) as ProfileResult['byPhase'],
    bytes: { sram: 0, dram: 0, flash: 0 }, utilization: 0.5, steps: steps.length, byWork: [],
  }
}

export function syntheticSummary(record: ExperimentRecord, run: number, steps: readonly StepEvent[], evals: readonly EvalEvent[]): RunSummary {
  let peak = steps[0]
  for (const e of steps) if (e.peakBytes > peak.peakBytes) peak = e
  return {
    type: 'run-end', run, label: record.spec.runs[run].algorithm, algorithm: record.spec.runs[run].algorithm, scope: record.spec.runs[run].scope,
    formats: record.spec.formats, hyperparameters: {}, steps: steps.length,
    zeroShotAccuracy: evals[0].accuracy, finalAccuracy: evals[evals.length - 1].accuracy, bestAccuracy: Math.max(...evals.map((e) => e.accuracy)),
    finalLoss: evals[evals.length - 1].loss, forwardPasses: steps.reduce((a, e) => a + e.forwardPasses, 0), backwardPasses: steps.reduce((a, e) => a + e.backwardPasses, 0),
    work: newPhaseWork(), peakBytes: peak.peakBytes, peakMemory: peak.memory, maxByCategory: peak.memory, trainableParameters: 1000, updatedFraction: 0.5,
    wallSeconds: steps.length / 50, stepsPerSecond: 50, profiles: record.profiles.map((p, i) => profileResult(p, steps, i)),
    specRun: run, devices: record.profiles.map((p) => ({ profile: p.id, changes: [] })), testCount: 500,
    learning: learning(evals[0].accuracy, evals[evals.length - 1].accuracy, 500),
    health: { byPhase: Object.fromEntries(PHASES.map((ph) => [ph, { macs: 0, accSaturations: 0, accWraps: 0, requantizations: 0, clipped: 0 }])) as RunSummary['health']['byPhase'], byLayer: [], warnings: [] },
  }
}

/**
 * The pushes of a whole experiment run, as the main process would send them: every run starts, reports
 * feasibility, streams its steps in batches of `chunk` (evaluations every evalEvery and at step 0) and ends
 * with its summary. `upTo` stops every run after that many steps (a run in progress, no summary).
 */
export function syntheticPushes(record: ExperimentRecord, chunk: number, upTo?: number): ExperimentUpdate[] {
  const { spec, profiles } = record
  const ids = profiles.map((p) => p.id)
  const pushes: Omit<ExperimentUpdate, 'seq'>[] = [{ id: record.meta.id, stage: 'running', runs: [] }]
  spec.runs.forEach((r, run) => {
    const total = r.steps ?? spec.steps
    const last = Math.min(total, upTo ?? total)
    const all: StepEvent[] = []
    const evals: EvalEvent[] = [{ type: 'eval', run, step: 0, accuracy: 0.3 + run * 0.01, loss: 2.2, forwardPasses: 0 }]
    const first = syntheticStep(run, 1, profiles)
    pushes.push({
      id: record.meta.id,
      runs: [{
        run, status: 'running', start: { type: 'run-start', run, specRun: run, label: r.algorithm, algorithm: r.algorithm, steps: total, formats: spec.formats, devices: ids.map((id) => ({ profile: id, changes: [] })) },
        feasibility: profiles.map((p, i) => ({ type: 'feasibility', run, profile: p.id, feasible: first.costs[i].feasible, reasons: first.costs[i].feasible ? [] : [{ kind: 'memory' as const, text: `needs ${Math.round(first.costs[i].sramBytes / 1024)} KiB of SRAM, has ${p.memory.sram.sizeKiB} KiB` }] })),
        evals: [evals[0]],
      }],
    })
    for (let s = 1; s <= last; s += chunk) {
      const batch = Array.from({ length: Math.min(chunk, last - s + 1) }, (_, k) => syntheticStep(run, s + k, profiles))
      all.push(...batch)
      const newEvals = batch.filter((e) => e.step % spec.evalEvery === 0 || e.step === total)
        .map((e): EvalEvent => ({ type: 'eval', run, step: e.step, accuracy: 0.3 + 0.6 * (e.step / total) * wobble(run, e.step, 3) / 1.5, loss: 2.2 / (1 + e.step / 50), forwardPasses: e.step }))
      evals.push(...newEvals)
      pushes.push({ id: record.meta.id, runs: [{ run, steps: packSteps(run, batch, ids), evals: newEvals }] })
    }
    if (last === total) pushes.push({ id: record.meta.id, runs: [{ run, status: 'finished', summary: syntheticSummary(record, run, all, evals) }] })
  })
  return pushes.map((u, i) => ({ ...u, seq: record.update.seq + i + 1 }))
}

/** Every step event of a run, for checks against a plain reduce. */
export function syntheticSteps(record: ExperimentRecord, run: number, upTo?: number): StepEvent[] {
  const total = record.spec.runs[run].steps ?? record.spec.steps
  return Array.from({ length: Math.min(total, upTo ?? total) }, (_, k) => syntheticStep(run, k + 1, record.profiles))
}
