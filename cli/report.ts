// Plain-text summary of an experiment for the terminal.
import type { ExperimentResult } from '../workers/experiment/host'
import { MEMORY_CATEGORIES } from '../simulators/training/memory'

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
  return lines.join('\n')
}
