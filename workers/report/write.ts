// Writes the human-readable report files of a sweep report into `out` and returns their paths.
// report.html is self-contained (no network, no scripts): the page renders the same report.json data.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { SweepReport } from '../../simulators/sweep/report'
import { reportHtml } from './html'

export async function writeReportFiles(r: SweepReport, out: string): Promise<string[]> {
  const html = join(out, 'report.html')
  writeFileSync(html, reportHtml(r))
  return [html]
}
