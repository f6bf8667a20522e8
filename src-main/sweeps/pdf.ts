// HTML → PDF without Electron (the e2e host, tests): headless Chromium prints a temporary file. The app
// passes Electron's own printToPDF instead (src-main/index.ts).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { printHtmlToPdf } from '../../workers/report/write'

export async function printToPdfWithChromium(html: string): Promise<Uint8Array> {
  const dir = mkdtempSync(join(tmpdir(), 'lastmile-pdf-'))
  try {
    writeFileSync(join(dir, 'report.html'), html)
    printHtmlToPdf(join(dir, 'report.html'), join(dir, 'report.pdf'))
    return new Uint8Array(readFileSync(join(dir, 'report.pdf')))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
