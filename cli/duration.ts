// Durations in words for progress lines and estimates.

/** "1 h 02 min", "3 min 05 s", "42 s" */
export function duration(seconds: number): string {
  const s = Math.round(seconds)
  if (s >= 3600) return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`
  if (s >= 60) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`
  return `${s} s`
}
