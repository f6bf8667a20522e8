// The device-selection report as one self-contained HTML page: inline SVG charts, inline styles, no
// scripts and no network (a strict CSP in the page says so), printable to PDF as it is. Everything it
// shows comes from the SweepReport (simulators/sweep/report.ts).
import type { SweepReport } from '../../simulators/sweep/report'
import type { Failure } from '../../simulators/sweep/select'
import { energy, seconds } from '../../simulators/sweep/select'
import type { Constraints } from '../../simulators/sweep/spec'
import { heatmapSvg, memorySvg, paretoSvg, phasesSvg, TRADE_OFF_AXES } from './charts'
import { shiftText } from '../../simulators/experiment/labels'

const esc = (s: unknown) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)
const pct = (x: number) => `${(100 * x).toFixed(1)} %`
const signedPct = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(100 * x).toFixed(0)} %`
const kib = (b: number) => `${Math.round(b / 1024)} KiB`
/** Rows beyond this go to trials.csv only: a printed report must stay a report. */
const TABLE_LIMIT = 300

function table(head: string[], rows: string[][], section?: string): string {
  return `<table${section ? ` data-section="${section}"` : ''}><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</tbody></table>`
}

function constraintsInWords(c: Constraints): string[] {
  const out: string[] = []
  if (c.minAccuracy !== undefined) out.push(`accuracy after adaptation at least ${pct(c.minAccuracy)}`)
  if (c.maxSecondsPerStep !== undefined) out.push(`at most ${seconds(c.maxSecondsPerStep)} per training step`)
  if (c.maxEnergyUjPerStep !== undefined) out.push(`at most ${energy(c.maxEnergyUjPerStep)} per training step`)
  if (c.maxSecondsPerAdaptation !== undefined) out.push(`at most ${seconds(c.maxSecondsPerAdaptation)} per adaptation`)
  if (c.maxEnergyUjPerAdaptation !== undefined) out.push(`at most ${energy(c.maxEnergyUjPerAdaptation)} per adaptation`)
  if (c.mustFit) out.push('fits the device (on-chip memory, formats, training operations)')
  for (const [k, v] of Object.entries(c.requiredFormats ?? {})) out.push(`runs ${v}-bit ${k.replace('Bits', '')}s natively`)
  out.push(`ranked by ${c.rankBy === 'accuracy' ? 'accuracy' : c.rankBy === 'energy' ? 'energy per adaptation' : 'time per adaptation'}`)
  return out
}

const failureList = (f: readonly Failure[]) => f.map((x) => esc(x.text)).join('<br>')

export function reportHtml(r: SweepReport): string {
  const q = r.question
  const e = q.experiment
  const algorithms = [...new Set(r.rows.map((x) => x.algorithm))]
  // format changes as numbered notes printed under the table (a tooltip is lost on paper)
  const notes: string[] = []
  const noteMark = (changes: readonly { text: string }[]) => {
    if (!changes.length) return ''
    const text = changes.map((c) => c.text).join('; ')
    let n = notes.indexOf(text) + 1
    if (!n) n = notes.push(text)
    return ` <sup class="note" title="${esc(text)}">${n}</sup>`
  }
  const ranking = table(['#', 'device', 'class', 'configuration', 'formats', 'accuracy', 'change', 'time/step', 'energy/step', 'energy/adaptation', 'SRAM need/has'],
    r.selection.ranked.map((v, i) => [String(i + 1), `<span title="${esc(v.deviceName)}">${esc(v.device)}</span>`, v.deviceClass.toUpperCase(), esc(v.row.label),
      esc(`W${v.row.formats.weightBits} A${v.row.formats.activationBits} acc${v.row.formats.accumulatorBits}`) + noteMark(v.row.changes),
      pct(v.row.finalAccuracy), `${(100 * v.row.gain).toFixed(1)} ± ${(100 * v.row.spread).toFixed(1)} (${esc(v.row.verdict)})`,
      seconds(v.row.secondsPerStep), energy(v.row.energyUjPerStep), energy(v.row.energyUjPerAdaptation), `${kib(v.row.sramDemandBytes)} / ${kib(v.row.sramCapacityBytes)}`]), 'ranking')
  const rejected = table(['device', 'class', 'nearest configuration', 'failed constraint, and by how much'],
    r.selection.rejected.map((v) => [`<span title="${esc(v.deviceName)}">${esc(v.device)}</span>`, v.deviceClass.toUpperCase(), esc(v.row.label), failureList(v.failures)]), 'rejected')
  const devices = r.devices.map((d) => `<h3>${esc(d.name)} <small>(${esc(d.id)}, ${d.class.toUpperCase()}, cost model ${esc(d.costModel)})</small></h3>
<p>Judged by: ${esc(d.label)}${d.feasible ? '' : ' — does not fit'}. ${d.calibration ? `Calibration: ${d.calibration.measurements} public MLPerf Tiny measurement${d.calibration.measurements > 1 ? 's' : ''}, median latency error ${signedPct(d.calibration.medianLatencyError).replace(/^[+−]/, '±')}${d.calibration.medianEnergyError !== undefined ? `, energy ${signedPct(d.calibration.medianEnergyError).replace(/^[+−]/, '±')}` : ''}.` : 'No public measurement of this device: its cost model is not calibrated; read its figures as estimates from its sources.'}${d.calibratedTo ? ` Constants fitted to ${esc(d.calibratedTo.runtime)}, MLPerf Tiny ${esc(d.calibratedTo.round)}.` : ''} Energy basis: static power ${esc(d.energyBasis?.staticMw ?? 'not stated')}, pJ per MAC ${esc(d.energyBasis?.macPjByBits ?? 'not stated')}.</p>
${d.byLayer.length ? table(['layer', 'form', 'share of cycles', 'MACs', 'utilisation'], d.byLayer.map((w) => {
    const total = r.devices.find((x) => x.id === d.id)!.byLayer.reduce((a, x) => a + x.cycles, 0)
    return [esc(w.layer ?? 'whole network'), esc(w.what), pct(total > 0 ? w.cycles / total : 0), w.macs.toExponential(2), pct(w.utilization)]
  })) : ''}`).join('\n')
  const calibration = table(['device', 'measurements', 'median |latency error|', 'median |energy error|', 'fitted to (runtime, MLPerf Tiny round)', 'energy basis: static power / pJ per MAC'], r.devices.map((d) => [esc(d.id), String(d.calibration?.measurements ?? 0),
    d.calibration ? pct(d.calibration.medianLatencyError) : 'not calibrated', d.calibration?.medianEnergyError !== undefined ? pct(d.calibration.medianEnergyError) : '–',
    d.calibratedTo ? esc(`${d.calibratedTo.runtime}, ${d.calibratedTo.round}`) : 'nothing fitted',
    d.energyBasis ? esc(`${d.energyBasis.staticMw} / ${d.energyBasis.macPjByBits}`) : 'not stated']), 'calibration')
  const shown = r.rows.slice(0, TABLE_LIMIT)
  const trials = table(['trial', 'device', 'run', 'formats', 'fits', 'accuracy', 'time/step', 'energy/step', 'SRAM need'], shown.map((x) => [String(x.trial), esc(x.device), esc(x.label),
    esc(`W${x.formats.weightBits} A${x.formats.activationBits}`), x.feasible ? 'yes' : `<span class="bad">no</span> (${esc([...new Set(x.reasons.map((b) => b.kind))].join(', '))})`,
    pct(x.finalAccuracy), x.feasible ? seconds(x.secondsPerStep) : `[${seconds(x.secondsPerStep)}]`, x.feasible ? energy(x.energyUjPerStep) : `[${energy(x.energyUjPerStep)}]`, kib(x.sramDemandBytes)]), 'trials')
  const sources = r.devices.map((d) => `<details open><summary>${esc(d.id)}</summary><ul>${Object.entries(d.sources).map(([k, s]) => `<li><code>${esc(k)}</code>: ${esc(s)}</li>`).join('')}</ul></details>`).join('')
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(r.title)}</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<style>
body{font:13px/1.45 system-ui,sans-serif;margin:1.5rem auto;max-width:62rem;color:#1d2330;padding:0 1rem}
h1{font-size:1.6rem;margin:.2rem 0}h2{font-size:1.2rem;margin-top:2rem;border-bottom:2px solid #1d2330}h3{font-size:1rem;margin:1.2rem 0 .3rem}
table{border-collapse:collapse;width:100%;margin:.4rem 0;font-size:12px}td,th{border-bottom:1px solid #dde;padding:.25rem .4rem;text-align:left;vertical-align:top}th{background:#f3f4f7}
.rec{background:#ecfdf5;border-left:4px solid #16a34a;padding:.6rem .8rem;font-size:14px}.bad{color:#b91c1c}.note{color:#7c3aed;cursor:help}ol.notes{margin:.2rem 0;padding-left:1.4rem}
.charts{display:flex;flex-wrap:wrap;gap:.5rem}small{color:#5b6272;font-weight:normal}pre{background:#f3f4f7;padding:.5rem;overflow:auto;font-size:11px;white-space:pre-wrap}
@media print{body{margin:0;max-width:none}h2{break-after:avoid}h2.page{break-before:page}tr,svg,.charts>*{break-inside:avoid}}
</style></head><body>
<h1>${esc(r.title)}</h1>
<p><small>Made ${esc(r.createdAt)} by Lastmile Studio ${esc(r.reproduce.studioVersion)} (engine ${esc(r.reproduce.engineVersion)}${r.reproduce.commit ? `, commit ${esc(r.reproduce.commit.slice(0, 12))}` : ''}). Every figure is computed by the simulation; section 6 says how each device's cost model compares with public measurements.</small></p>
<h2 class="first">1. The question</h2>
<p data-section="question">Which of ${q.devices.length} devices should run last-mile adaptation of <code>${esc(typeof e.model === 'string' ? e.model : e.model.name)}</code> on ${esc(e.data.dataset)} shifted by ${esc(shiftText(e.data))} from ${e.data.shots} labelled shots per class, ${e.steps} training steps at batch ${e.batch}? The sweep ${esc(q.sweep.name)} tries ${q.trials} trials (format settings × runs × seeds) on every device, each device at the formats nearest to the setting that it runs (${q.trainings} distinct trainings).</p>
<ul data-section="constraints">${constraintsInWords(q.constraints).map((c) => `<li>${esc(c)}</li>`).join('')}</ul>
<p>Devices: ${r.devices.map((d) => `<code>${esc(d.id)}</code> ${esc(d.name)} (${d.class.toUpperCase()})`).join('; ')}.</p>
<h2>2. The recommendation</h2>
<p class="rec" data-section="recommendation">${esc(r.recommendation)}</p>
${r.missing.length ? `<p class="bad">Incomplete: ${r.missing.length} trainings missing.</p>` : ''}
<h3>Devices that meet every constraint, best first</h3>${ranking}
${notes.length ? `<p data-section="format-changes"><small>Formats changed to ones the device runs:</small></p><ol class="notes">${notes.map((t) => `<li><small>${esc(t)}</small></li>`).join('')}</ol>` : ''}
<p><small>Change: final minus zero-shot accuracy, ± two standard errors of the test set.</small></p>
<h3>Devices that do not, with the constraint they failed</h3>${r.selection.rejected.length ? rejected : '<p>None.</p>'}
<h2 class="page">3. Trade-offs</h2>
<p>Every configuration that fits its device; the Pareto front (no other configuration is both more accurate and cheaper) is dashed, the others faded.</p>
<div class="charts" data-section="pareto">${TRADE_OFF_AXES.map((a) => paretoSvg(r.rows, a)).join('')}</div>
<div class="charts" data-section="heatmaps">${algorithms.flatMap((a) => [heatmapSvg(r.rows, a, 'accuracy'), heatmapSvg(r.rows, a, 'memory')]).join('')}</div>
<h2 class="page">4. Memory against SRAM, cycles and energy per device</h2>
<div data-section="memory">${memorySvg(r)}</div>
<div data-section="phases">${phasesSvg(r, 'cycles', (d) => seconds(r.rows.find((x) => x.device === d.id && x.label === d.label)?.secondsPerAdaptation ?? 0))}${phasesSvg(r, 'energy', (d) => energy(r.rows.find((x) => x.device === d.id && x.label === d.label)?.energyUjPerAdaptation ?? 0))}</div>
<h2>5. By layer, per device</h2>${devices}
<h2>6. What each cost model is known to miss</h2>
<p>Median absolute error of the studio's inference predictions against public MLPerf Tiny measurements of the same device (docs/calibration.md, <code>npx lastmile calibrate</code>), the runtime and round the fitted constants come from, and what each device's energy constants rest on: device-measured (MLPerf Tiny energy runs of the board), datasheet, third-party-measured, similar-device (scaled from another device's measurement), assumed, or generic-process-node (a 45 nm figure that says nothing about the device). Energy rankings between devices whose constants are generic or assumed are estimates.</p>${calibration}
<h2 class="page">7. Every trial</h2><p>${r.rows.length} rows${r.rows.length > TABLE_LIMIT ? ` (the first ${TABLE_LIMIT}; all of them in trials.csv)` : ''}; [brackets]: what it would cost if it could run.</p>${trials}
<h2>8. What reproduces this report</h2>
<p data-section="reproduce">Run <code>${esc(r.reproduce.command)}</code>; the same sweep gives the same numbers bit for bit (seeds ${esc(r.reproduce.seeds.join(', '))}). Studio ${esc(r.reproduce.studioVersion)}, engine ${esc(r.reproduce.engineVersion)}${r.reproduce.commit ? `, commit <code>${esc(r.reproduce.commit)}</code>` : ''}.</p>
<h3>The sweep</h3><pre>${esc(JSON.stringify(q.sweep, null, 2))}</pre>
<h3>Sources of every device's numbers</h3>${sources}
</body></html>
`
}
