/** A tiny timing harness for benchmarks: warm up, then repeat until a time budget is spent; report the median. */
export interface Measurement {
  name: string
  /** median seconds per call */
  seconds: number
  calls: number
  /** work per call in the unit named by `unit` */
  work: number
  unit: string
}

export function measure(name: string, work: number, unit: string, fn: () => void, budgetMs = 1500): Measurement {
  const warm = performance.now()
  while (performance.now() - warm < budgetMs / 3) fn() // warm-up: let the JIT settle (optimising tiers kick in late)
  const times: number[] = []
  const start = performance.now()
  while (performance.now() - start < budgetMs || times.length < 5) {
    const t0 = performance.now()
    fn()
    times.push((performance.now() - t0) / 1000)
  }
  times.sort((a, b) => a - b)
  return { name, seconds: times[Math.floor(times.length / 2)], calls: times.length, work, unit }
}

export function report(title: string, rows: Measurement[]): void {
  const lines = rows.map((r) => {
    const rate = r.work / r.seconds
    const pretty = rate >= 1e9 ? `${(rate / 1e9).toFixed(2)} G${r.unit}/s` : rate >= 1e6 ? `${(rate / 1e6).toFixed(1)} M${r.unit}/s` : rate >= 1e3 ? `${(rate / 1e3).toFixed(1)} k${r.unit}/s` : `${rate.toFixed(2)} ${r.unit}/s`
    return `  ${r.name.padEnd(58)} ${(r.seconds * 1e3).toFixed(3).padStart(9)} ms  ${pretty.padStart(16)}  (${r.calls} runs)`
  })
  console.log(`\n${title}\n${lines.join('\n')}`)
}

/** `measure` for an async call (onnxruntime's session.run): warm-up, then the median seconds per call. */
export async function measureAsync(fn: () => Promise<unknown>, budgetMs = 1500): Promise<number> {
  const warm = performance.now()
  while (performance.now() - warm < budgetMs / 3) await fn()
  const times: number[] = []
  const start = performance.now()
  while (performance.now() - start < budgetMs || times.length < 5) {
    const t0 = performance.now()
    await fn()
    times.push((performance.now() - t0) / 1000)
  }
  times.sort((a, b) => a - b)
  return times[Math.floor(times.length / 2)]
}
