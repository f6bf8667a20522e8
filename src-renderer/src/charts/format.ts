// Number formatting with units for the dashboard (tables, tooltips, axis labels).

const DASH = '—'
const ok = (v: number | undefined | null): v is number => typeof v === 'number' && Number.isFinite(v)

/** 0.8342 -> "83.4 %" */
export function pct(v: number | undefined | null, digits = 1): string {
  return ok(v) ? `${(v * 100).toFixed(digits)} %` : DASH
}

/** bytes -> "385 KiB" (one decimal below 10 KiB) */
export function kib(bytes: number | undefined | null): string {
  if (!ok(bytes)) return DASH
  const k = bytes / 1024
  return `${k < 10 ? k.toFixed(1) : Math.round(k)} KiB`
}

function scaled(v: number, units: [number, string][], digits = 3): string {
  const a = Math.abs(v)
  const [f, u] = units.find(([f]) => a >= f) ?? units[units.length - 1]
  return `${Number((v / f).toPrecision(digits))} ${u}`
}

/** seconds -> "12.3 ms", "4.56 s", "2.5 min" */
export function seconds(s: number | undefined | null): string {
  if (!ok(s)) return DASH
  if (s === 0) return '0 s'
  if (Math.abs(s) >= 120) return scaled(s, [[3600, 'h'], [60, 'min']])
  return scaled(s, [[1, 's'], [1e-3, 'ms'], [1e-6, 'µs'], [1e-9, 'ns']])
}

/** µJ -> "850 µJ", "12.4 mJ", "3.1 J" */
export function energyUj(uj: number | undefined | null): string {
  if (!ok(uj)) return DASH
  if (uj === 0) return '0 µJ'
  return scaled(uj, [[1e6, 'J'], [1e3, 'mJ'], [1, 'µJ'], [1e-3, 'nJ']])
}

/** 1234567 -> "1.23 M" (cycles, MACs) */
export function compact(v: number | undefined | null): string {
  if (!ok(v)) return DASH
  if (Math.abs(v) < 1000) return `${Number(v.toPrecision(3))}`
  return scaled(v, [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']])
}

/** ISO time -> "2025-01-02 03:04" in the local zone (tells apart runs of the same experiment) */
export function when(iso: string): string {
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  const p = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`
}

export function fixed(v: number | undefined | null, digits = 3): string {
  return ok(v) ? v.toFixed(digits) : DASH
}

/**
 * Device names short enough for chart labels and table cells ("Nordic nRF52840 (Cortex-M4F, 64 MHz)" ->
 * "Nordic nRF52840"): the name up to its first " (" or " — "; where two devices would read the same (two
 * subsystems of one chip), their ids instead. The full name stays in tooltips.
 */
export function shortDeviceNames(profiles: readonly { id: string; name: string }[]): Map<string, string> {
  const cut = (n: string) => n.split(/ \(| — /)[0].trim()
  const counts = new Map<string, number>()
  for (const p of profiles) counts.set(cut(p.name), (counts.get(cut(p.name)) ?? 0) + 1)
  return new Map(profiles.map((p) => [p.id, counts.get(cut(p.name))! > 1 || !cut(p.name) ? p.id : cut(p.name)]))
}
