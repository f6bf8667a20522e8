// Plain-text summary of an experiment for the terminal: per run what it learned and what its arithmetic
// lost, then per (run × device) whether it runs there, at which formats, and what it costs.
import type { ExperimentResult } from '../workers/experiment/host'
import type { RunSummary } from '../simulators/experiment/runner'
import type { ProfileResult } from '../simulators/hardware/pricing/run-pricer'
import { MEMORY_CATEGORIES } from '../simulators/core/memory-categories'
import { presets } from '../simulators/hardware/profiles/library'
import { keyFigures } from '../simulators/hardware/profiles/figures'
import { checkPhysicalLimits } from '../simulators/hardware/profiles/physical-limits'
import { formatsTag } from '../simulators/experiment/plan'
import { getAlgorithm } from '../simulators/training/algorithms/registry'
import { shiftText } from '../simulators/experiment/labels'

const kib = (b: number) => `${(b / 1024).toFixed(1)} KiB`
const pct = (x: number) => `${(100 * x).toFixed(1)} %`
const pts = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(100 * x).toFixed(1)}`

function table(head: string[], rows: string[][]): string[] {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)))
  const fmt = (row: string[]) => row.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()
  return [fmt(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(fmt)]
}

const formatsOf = (s: RunSummary) => formatsTag(s.formats, getAlgorithm(s.algorithm).usesGradientFormat)

export function formatSummary(r: ExperimentResult): string {
  const lines: string[] = []
  lines.push(`experiment ${r.spec.name} (seed ${r.spec.seed}): ${r.spec.data.dataset}, ${shiftText(r.spec.data)}, ${r.spec.data.shots} shots per class, batch ${r.spec.batch}`)
  if (r.pretrain.cleanTestAccuracy !== undefined) lines.push(`source model (float): clean test accuracy ${pct(r.pretrain.cleanTestAccuracy)}${r.pretrain.cached ? ' (from cache)' : ''}`)
  lines.push('')
  const head = ['run', 'formats', 'zero-shot', 'final', 'change (pts)', 'learned?', 'arithmetic', 'steps', 'fwd/bwd passes', 'peak memory', 'steps/s']
  lines.push(...table(head, r.runs.map((s) => [
    s.label, formatsOf(s), pct(s.zeroShotAccuracy), pct(s.finalAccuracy), `${pts(s.learning.gain)} ± ${(100 * s.learning.spread).toFixed(1)}`, s.learning.verdict,
    s.health.warnings.length ? `${s.health.warnings.length} warning${s.health.warnings.length > 1 ? 's' : ''}` : 'ok',
    String(s.steps), `${s.forwardPasses}/${s.backwardPasses}`, kib(s.peakBytes), s.stepsPerSecond.toFixed(1),
  ])))
  lines.push(`(± is two standard errors of the accuracy difference on ${r.runs[0]?.testCount ?? 0} test images: a change inside it is no clear change)`)
  const warnings = r.runs.flatMap((s) => s.health.warnings.map((w) => `  ${s.label}: ${w}`))
  if (warnings.length) lines.push('', 'the integer arithmetic lost (saturated accumulations, clipped outputs):', ...warnings)
  // categories that peak elsewhere in the step read less (often 0) at the total's peak: each one's own
  // maximum, from the same live-buffer plan, is printed beside it when it is larger
  lines.push('', 'peak memory by category (at the peak; [own maximum over the step] where larger):')
  for (const s of r.runs) {
    const shown = MEMORY_CATEGORIES.filter((c) => s.peakMemory[c] > 0 || s.maxByCategory[c] > 0)
    lines.push(`  ${s.label}: ` + shown.map((c) => `${c} ${kib(s.peakMemory[c])}${s.maxByCategory[c] > s.peakMemory[c] ? ` [${kib(s.maxByCategory[c])}]` : ''}`).join(', '))
  }
  const costs = formatProfileCosts(r)
  if (costs) lines.push(costs)
  return lines.join('\n')
}

const fmtTime = (s: number) => (s >= 1 ? `${s.toFixed(2)} s` : s >= 1e-3 ? `${(s * 1e3).toFixed(2)} ms` : `${(s * 1e6).toFixed(1)} µs`)
const fmtEnergy = (uj: number) => (uj >= 1e6 ? `${(uj / 1e6).toFixed(2)} J` : uj >= 1e3 ? `${(uj / 1e3).toFixed(2)} mJ` : `${uj.toFixed(1)} µJ`)

/** "yes", or why not, first: "NO (memory)", "NO (formats, operations)". */
function fits(p: ProfileResult): string {
  return p.feasible ? 'yes' : `NO (${[...new Set(p.reasons.map((b) => b.kind))].join(', ')})`
}

/**
 * Per run and device: the verdict first, then the formats it was judged at, SRAM, time and energy per
 * step and in total. Time and energy of a run that cannot run there are in brackets: "if it could run".
 */
export function formatProfileCosts(r: ExperimentResult): string {
  if (!r.runs.some((s) => s.profiles.length)) return ''
  const lines = ['', 'on hardware (per training step, and for the whole run; [brackets]: what it would cost if it could run):']
  const head = ['device', 'run', 'fits?', 'formats', 'SRAM need / has', 'time/step', 'energy/step', 'total time', 'total energy', 'utilisation']
  const rows: { row: string[]; key: [number, number] }[] = []
  const notes: string[] = []
  r.runs.forEach((s) => s.profiles.forEach((p, i) => {
    const steps = Math.max(1, p.steps)
    const ifRuns = (text: string) => (p.feasible ? text : `[${text}]`)
    const changed = s.devices[i]?.changes ?? []
    rows.push({
      key: [p.feasible ? 0 : 1, p.totals.seconds / steps],
      row: [p.profile, s.label, fits(p), `${formatsOf(s)}${changed.length ? ' *' : ''}`, `${kib(p.placement.sramDemandBytes)} / ${kib(p.placement.sramCapacityBytes)}`,
        ifRuns(fmtTime(p.totals.seconds / steps)), ifRuns(fmtEnergy(p.totals.energyUj.total / steps)), ifRuns(fmtTime(p.totals.seconds)), ifRuns(fmtEnergy(p.totals.energyUj.total)), pct(p.utilization)],
    })
    for (const reason of p.reasons) notes.push(`  ${s.label} on ${p.profile}: cannot run (${reason.kind}): ${reason.text}`)
    for (const c of changed) notes.push(`  ${s.label} on ${p.profile}: * ${c.text}`)
    const top = p.byWork.slice(0, 3).map((w) => `${w.layer ?? w.what}${w.layer ? ` ${w.what}` : ''} ${(100 * w.cycles / Math.max(1, p.totals.cycles)).toFixed(0)} %`)
    if (p.feasible) notes.push(`  ${s.label} on ${p.profile}: most time in ${top.join(', ')}`)
    if (p.feasible && p.placement.spilled.length) notes.push(`  ${s.label} on ${p.profile}: ${p.placement.reason}`)
  }))
  // the devices that can run it first, fastest first
  rows.sort((a, b) => a.key[0] - b.key[0] || a.key[1] - b.key[1])
  lines.push(...table(head, rows.map((x) => x.row)))
  if (notes.length) lines.push('', 'notes (* marks formats changed to ones the device runs):', ...notes)
  return lines.join('\n')
}

/** `lastmile profiles`: the preset library with key figures and the number formats that decide what runs. */
export function formatProfiles(): string {
  const head = ['id', 'class', 'name', 'clock', 'SRAM', 'DRAM', 'weights in', 'int8 MAC/cycle', 'int8 GMAC/s', 'weights', 'activations', 'gradients', 'accumulators', 'rounding', 'training ops', 'fitted to (runtime, MLPerf Tiny round)', 'energy basis (static / per MAC)']
  const rows = [...presets().values()].map((p) => {
    const f = keyFigures(p)
    const peak = f.peakMacs8 ?? 0
    const ops = Object.entries(p.operations).filter(([, v]) => v !== 'native').map(([k, v]) => `${k}: ${v}`).join(', ') || 'all native'
    return [p.id, p.class, p.name, `${p.clockMHz} MHz`, kib(p.memory.sram.sizeKiB * 1024), p.memory.dram ? kib(p.memory.dram.sizeKiB * 1024) : '-', p.memory.weightsIn,
      String(+peak.toFixed(2)), ((peak * p.clockMHz) / 1000).toFixed(2),
      p.formats.weightBits.join('/'), p.formats.activationBits.join('/'), p.formats.gradientBits.join('/'), p.formats.accumulatorBits.join('/'), p.formats.rounding.join(', '), ops, p.calibratedTo ? `${p.calibratedTo.runtime}, ${p.calibratedTo.round}` : 'nothing fitted',
      p.energy.basis ? `${p.energy.basis.staticMw} / ${p.energy.basis.macPjByBits}` : 'not stated']
  })
  // values beyond any real part of the class (physical-limits.ts): shown so that a what-if profile is not mistaken for a datasheet
  const warnings = [...presets().values()].flatMap((p) => checkPhysicalLimits(p).warnings.map((w) => `  ${p.id} ${w.path}: ${w.message}`))
  return [...table(head, rows), ...(warnings.length ? ['', 'physical-limit warnings:', ...warnings] : [])].join('\n')
}
