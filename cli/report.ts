// Plain-text summary of an experiment for the terminal.
import type { ExperimentResult } from '../workers/experiment/host'
import { MEMORY_CATEGORIES } from '../simulators/core/memory-categories'
import { presets } from '../simulators/hardware/profiles/library'
import { getCostModel } from '../simulators/hardware/compute/registry'

const kib = (b: number) => `${(b / 1024).toFixed(1)} KiB`
const pct = (x: number) => `${(100 * x).toFixed(1)} %`

export function formatSummary(r: ExperimentResult): string {
  const lines: string[] = []
  lines.push(`experiment ${r.spec.name} (seed ${r.spec.seed}): ${r.spec.data.dataset}, ${r.spec.data.corruption === 'none' ? 'no shift' : `${r.spec.data.corruption} severity ${r.spec.data.severity}`}, ${r.spec.data.shots} shots per class, batch ${r.spec.batch}`)
  if (r.pretrain.cleanTestAccuracy !== undefined) lines.push(`source model (float): clean test accuracy ${pct(r.pretrain.cleanTestAccuracy)}${r.pretrain.cached ? ' (from cache)' : ''}`)
  lines.push('')
  const head = ['run', 'formats', 'zero-shot', 'final', 'best', 'steps', 'fwd/bwd passes', 'peak memory', 'steps/s']
  const rows = r.runs.map((s) => [
    s.label, `w${s.formats.weightBits}a${s.formats.activationBits}g${s.formats.gradientBits}`, pct(s.zeroShotAccuracy), pct(s.finalAccuracy), pct(s.bestAccuracy),
    String(s.steps), `${s.forwardPasses}/${s.backwardPasses}`, kib(s.peakBytes), s.stepsPerSecond.toFixed(1),
  ])
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)))
  const fmt = (row: string[]) => row.map((c, i) => c.padEnd(widths[i])).join('  ')
  lines.push(fmt(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(fmt))
  lines.push('', 'peak memory by category (at the peak):')
  for (const s of r.runs) {
    lines.push(`  ${s.label}: ` + MEMORY_CATEGORIES.filter((c) => s.peakMemory[c] > 0).map((c) => `${c} ${kib(s.peakMemory[c])}`).join(', '))
  }
  const costs = formatProfileCosts(r)
  if (costs) lines.push(costs)
  return lines.join('\n')
}

const fmtTime = (s: number) => (s >= 1 ? `${s.toFixed(2)} s` : s >= 1e-3 ? `${(s * 1e3).toFixed(2)} ms` : `${(s * 1e6).toFixed(1)} µs`)
const fmtEnergy = (uj: number) => (uj >= 1e6 ? `${(uj / 1e6).toFixed(2)} J` : uj >= 1e3 ? `${(uj / 1e3).toFixed(2)} mJ` : `${uj.toFixed(1)} µJ`)

/** Per run and profile: feasibility, SRAM need, time and energy per step and in total. */
export function formatProfileCosts(r: ExperimentResult): string {
  if (!r.runs.some((s) => s.profiles.length)) return ''
  const lines = ['', 'on hardware (per training step, and for the whole run):']
  const head = ['run', 'profile', 'fits?', 'SRAM need / has', 'time/step', 'energy/step', 'total time', 'total energy', 'utilisation']
  const rows: string[][] = []
  const notes: string[] = []
  for (const s of r.runs) for (const p of s.profiles) {
    const steps = Math.max(1, p.steps)
    rows.push([s.label, p.profile, p.feasible ? 'yes' : 'NO', `${kib(p.placement.sramDemandBytes)} / ${kib(p.placement.sramCapacityBytes)}`, fmtTime(p.totals.seconds / steps), fmtEnergy(p.totals.energyUj.total / steps), fmtTime(p.totals.seconds), fmtEnergy(p.totals.energyUj.total), pct(p.utilization)])
    for (const reason of p.reasons) notes.push(`  ${s.label} on ${p.profile}: ${reason}`)
    const top = p.byWork.slice(0, 3).map((w) => `${w.layer ?? w.what}${w.layer ? ` ${w.what}` : ''} ${(100 * w.cycles / Math.max(1, p.totals.cycles)).toFixed(0)} %`)
    notes.push(`  ${s.label} on ${p.profile}: most time in ${top.join(', ')}`)
    if (p.feasible && p.placement.spilled.length) notes.push(`  ${s.label} on ${p.profile}: ${p.placement.reason}`)
  }
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)))
  const fmt = (row: string[]) => row.map((c, i) => c.padEnd(widths[i])).join('  ')
  lines.push(fmt(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(fmt))
  if (notes.length) lines.push('', ...notes)
  return lines.join('\n')
}

/** `lastmile profiles`: the preset library with key figures. */
export function formatProfiles(): string {
  const head = ['id', 'class', 'name', 'clock', 'SRAM', 'DRAM', 'weights in', 'int8 MAC/cycle', 'int8 GMAC/s', 'training ops']
  const rows = [...presets().values()].map((p) => {
    const peak = getCostModel(p.costModel).peakMacsPerCycle(p.compute as never, 8)
    const ops = Object.entries(p.operations).filter(([, v]) => v !== 'native').map(([k, v]) => `${k}: ${v}`).join(', ') || 'all native'
    return [p.id, p.class, p.name, `${p.clockMHz} MHz`, kib(p.memory.sram.sizeKiB * 1024), p.memory.dram ? kib(p.memory.dram.sizeKiB * 1024) : '-', p.memory.weightsIn, String(+peak.toFixed(2)), ((peak * p.clockMHz) / 1000).toFixed(2), ops]
  })
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)))
  const fmt = (row: string[]) => row.map((c, i) => c.padEnd(widths[i])).join('  ')
  return [fmt(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(fmt)].join('\n')
}
