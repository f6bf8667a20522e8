// Writes the human-readable report files of a sweep report into `out` and returns their paths:
// report.html (self-contained) and report.pdf, printed from that same HTML by headless Chromium
// (CHROMIUM_PATH, default /usr/bin/chromium). Without a Chromium the PDF is skipped, and the message says so.
import { execFileSync } from 'node:child_process'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { SweepReport } from '../../simulators/sweep/report'
import { reportHtml } from './html'

export const chromiumPath = (): string => process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** Prints an HTML file to PDF with headless Chromium; throws with Chromium's message if it fails. */
export function printHtmlToPdf(htmlFile: string, pdfFile: string): void {
  const chromium = chromiumPath()
  if (!existsSync(chromium)) throw new Error(`no Chromium at ${chromium} (set CHROMIUM_PATH; Debian: apt-get install chromium)`)
  execFileSync(chromium, [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
    '--no-pdf-header-footer', `--print-to-pdf=${pdfFile}`, pathToFileURL(htmlFile).href,
  ], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 120_000 })
  if (!existsSync(pdfFile)) throw new Error('Chromium wrote no PDF')
}

export async function writeReportFiles(r: SweepReport, out: string, log: (s: string) => void = (s) => process.stderr.write(s + '\n')): Promise<string[]> {
  const html = join(out, 'report.html')
  writeFileSync(html, reportHtml(r))
  const pdf = join(out, 'report.pdf')
  try {
    printHtmlToPdf(html, pdf)
    return [html, pdf]
  } catch (e) {
    log(`report.pdf not written: ${(e as Error).message}`)
    return [html]
  }
}
