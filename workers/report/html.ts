// The report as one self-contained HTML page: no scripts, no network, styles inline.
import type { SweepReport } from '../../simulators/sweep/report'
import { energy, seconds } from '../../simulators/sweep/select'

const esc = (s: unknown) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)
const pct = (x: number) => `${(100 * x).toFixed(1)} %`
const kib = (b: number) => `${Math.round(b / 1024)} KiB`

export function reportHtml(r: SweepReport): string {
  const ranked = r.selection.ranked.map((v, i) => `<tr><td>${i + 1}</td><td>${esc(v.deviceName)}</td><td>${esc(v.row.label)}</td><td>${pct(v.row.finalAccuracy)}</td><td>${seconds(v.row.secondsPerStep)}</td><td>${energy(v.row.energyUjPerStep)}</td><td>${kib(v.row.sramDemandBytes)} / ${kib(v.row.sramCapacityBytes)}</td></tr>`).join('')
  const rejected = r.selection.rejected.map((v) => `<tr><td>${esc(v.deviceName)}</td><td>${esc(v.row.label)}</td><td>${v.failures.map((f) => esc(f.text)).join('<br>')}</td></tr>`).join('')
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(r.title)}</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<style>body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:60rem;color:#1d2330}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #dde;padding:.3rem .5rem;text-align:left}</style></head>
<body><h1>${esc(r.title)}</h1>
<p data-section="recommendation"><strong>Recommendation.</strong> ${esc(r.recommendation)}</p>
<h2>Devices that meet the constraints</h2><table data-section="ranking"><thead><tr><th>#</th><th>device</th><th>configuration</th><th>accuracy</th><th>time/step</th><th>energy/step</th><th>SRAM</th></tr></thead><tbody>${ranked}</tbody></table>
<h2>Devices that do not</h2><table data-section="rejected"><thead><tr><th>device</th><th>nearest configuration</th><th>failed</th></tr></thead><tbody>${rejected}</tbody></table>
<h2>Reproduce</h2><pre data-section="reproduce">${esc(JSON.stringify(r.reproduce, null, 2))}</pre>
</body></html>
`
}
