// `lastmile report DIR... [--out DIR]`: merges the folders of one sweep (its shards, or one whole run) and
// writes the device-selection report into --out: report.json (everything, see simulators/sweep/report.ts),
// trials.csv (every trial × device), report.html (self-contained) and report.pdf (headless Chromium).
import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { version } from '../package.json'
import { parseSweep } from '../simulators/sweep/trials'
import { buildSweepReport } from '../simulators/sweep/report'
import { rowsToCsv } from '../simulators/sweep/analysis'
import { mergeTrainings, readSweepSpec, sweepFingerprint } from '../workers/sweep/folder'
import { writeReportFiles } from '../workers/report/write'

const USAGE = 'usage: lastmile report DIR... [--out DIR]\n  merges sweep folders (the shards of one sweep) and writes report.html, report.pdf, trials.csv and report.json'

/** The commit the studio was built from, when it runs from a git checkout (else undefined). */
function gitCommit(): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: import.meta.dirname, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || undefined
  } catch {
    return undefined
  }
}

export async function report(argv: string[]): Promise<number> {
  let args
  try {
    args = parseArgs({ args: argv, allowPositionals: true, options: { out: { type: 'string' }, help: { type: 'boolean', short: 'h' } } })
  } catch (e) {
    console.error(`lastmile report: ${(e as Error).message}\n${USAGE}`)
    return 2
  }
  if (args.values.help) { console.log(USAGE); return 0 }
  const dirs = args.positionals.map((d) => resolve(d))
  if (!dirs.length) { console.error(`lastmile report: name at least one sweep folder\n${USAGE}`); return 2 }
  try {
    const raw = readSweepSpec(dirs[0])
    for (const d of dirs.slice(1)) if (sweepFingerprint(readSweepSpec(d)) !== sweepFingerprint(raw)) throw new Error(`${d} holds a different sweep than ${dirs[0]}`)
    const parsed = parseSweep(raw)
    if (!parsed.ok) throw new Error(`the sweep in ${dirs[0]} is not valid: ${parsed.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`)
    const summaries = mergeTrainings(parsed, dirs)
    const r = buildSweepReport(parsed, summaries, { studioVersion: version, commit: gitCommit(), createdAt: new Date().toISOString() })
    const out = resolve(args.values.out ?? join(dirs[0], 'report'))
    mkdirSync(out, { recursive: true })
    writeFileSync(join(out, 'report.json'), JSON.stringify(r, null, 2) + '\n')
    writeFileSync(join(out, 'trials.csv'), rowsToCsv(r.rows))
    writeFileSync(join(out, 'sweep.json'), JSON.stringify(raw, null, 2) + '\n')
    const files = await writeReportFiles(r, out)
    if (r.missing.length) console.error(`lastmile report: ${r.missing.length} of ${parsed.trainings.length} trainings missing: the report says it is incomplete`)
    console.log(r.recommendation)
    console.log(`report: ${[join(out, 'report.json'), join(out, 'trials.csv'), ...files].join(', ')}`)
    return 0
  } catch (e) {
    console.error(`lastmile report: ${(e as Error).message}`)
    return 1
  }
}
