#!/usr/bin/env node
// `npm test`: every check in order, streamed, with one honest count at the end.
//   typecheck, lint, build        -> 1 passed or 1 failed each (they have no test cases)
//   vitest, playwright            -> their own test counts, read from their JSON reports
//   mutants                       -> one check per deliberate engine bug the tests must catch
//   cli                           -> one check per CLI determinism check (scripts/cli-determinism.mjs)
// It keeps going after a failure so the count covers everything, except that e2e needs the build.
// The last line printed is exactly `N passed, N failed` (plus `, N skipped` when any were skipped);
// the exit code is non-zero if anything failed.
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { resolve } from 'node:path'
import { performance } from 'node:perf_hooks'

const root = resolve(import.meta.dirname, '..')
const results = resolve(root, 'test-results')
const unitJson = resolve(results, 'unit.json')
const mutantsJson = resolve(results, 'mutants.json')
const cliJson = resolve(results, 'cli.json')
const securityJson = resolve(results, 'electronegativity.json')
const e2eJson = resolve(results, 'e2e.json') // written by the json reporter in playwright.config.ts
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

const total = { passed: 0, failed: 0, skipped: 0 }
const rows = []

function run(args) {
  return new Promise((done) => {
    const child = spawn('npm', ['run', '--silent', ...args], { cwd: root, stdio: 'inherit', env: process.env })
    child.on('error', (err) => {
      console.error(err)
      done(1)
    })
    child.on('close', (code, signal) => done(code ?? (signal ? 1 : 0)))
  })
}

function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'))
  } catch {
    return undefined
  }
}

function record(name, counts, seconds, note = '') {
  total.passed += counts.passed
  total.failed += counts.failed
  total.skipped += counts.skipped ?? 0
  rows.push({ name, ...counts, seconds, note })
}

async function step(name, args, countFrom) {
  console.log(`\n=== ${name}: npm run ${args.join(' ')}`)
  const t0 = performance.now()
  const code = await run(args)
  const seconds = (performance.now() - t0) / 1000
  const counts = countFrom ? countFrom(code) : code === 0 ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 }
  record(name, counts, seconds, code === 0 ? '' : `exit ${code}`)
  return code === 0
}

/** Vitest's JSON (jest-compatible). A crash without a report, or a failing run that reports no failed
 *  test (e.g. a test file that fails to import), still counts as a failure. */
function vitestCounts(code) {
  const r = readJson(unitJson)
  if (!r) return { passed: 0, failed: 1 }
  const counts = {
    passed: r.numPassedTests ?? 0,
    failed: r.numFailedTests ?? 0,
    skipped: (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0),
  }
  if (code !== 0 && counts.failed === 0) counts.failed = Math.max(1, r.numFailedTestSuites ?? 0)
  return counts
}

/** Playwright's JSON reporter. Global errors (e.g. the web server didn't start) count as one failure. */
function playwrightCounts(code) {
  const r = readJson(e2eJson)
  if (!r?.stats) return { passed: 0, failed: 1 }
  const s = r.stats
  const counts = { passed: (s.expected ?? 0) + (s.flaky ?? 0), failed: s.unexpected ?? 0, skipped: s.skipped ?? 0 }
  if (code !== 0 && counts.failed === 0) counts.failed = 1
  return counts
}

/** A script that writes { passed, failed } (scripts/cli-determinism.mjs). */
function countsFrom(file, code) {
  const r = readJson(file)
  if (!r) return { passed: 0, failed: 1 }
  return { passed: r.passed, failed: r.failed || (code === 0 ? 0 : 1) }
}

/** scripts/mutation-check.mjs: each mutant the tests kill is a passed check, each survivor a failed one. */
function mutantCounts(code) {
  const r = readJson(mutantsJson)
  if (!r) return { passed: 0, failed: 1 }
  return { passed: r.killed, failed: r.survived || (code === 0 ? 0 : 1) }
}

mkdirSync(results, { recursive: true })
rmSync(mutantsJson, { force: true })
rmSync(cliJson, { force: true })
rmSync(securityJson, { force: true })
rmSync(unitJson, { force: true })
rmSync(e2eJson, { force: true })

await step('typecheck', ['typecheck'])
await step('lint', ['lint'])
await step(
  'unit (vitest)',
  ['test:unit', '--', '--reporter=default', '--reporter=json', `--outputFile=${unitJson}`],
  vitestCounts,
)
await step('mutants (tests can fail)', ['test:mutants'], mutantCounts)
const built = await step('build (electron-vite)', ['build'])

if (built) await step('cli (determinism)', ['test:cli'], (code) => countsFrom(cliJson, code))
else record('cli (determinism)', { passed: 0, failed: 1 }, 0, 'build failed')

if (built) await step('electron security (electronegativity)', ['test:electron-security'], (code) => countsFrom(securityJson, code))
else record('electron security (electronegativity)', { passed: 0, failed: 1 }, 0, 'build failed')

if (!built) {
  console.log('\n=== e2e (playwright): skipped because the build failed; counted as 1 failed')
  record('e2e (playwright)', { passed: 0, failed: 1 }, 0, 'build failed')
} else if (!existsSync(chromium)) {
  console.error(`\n=== e2e (playwright): ${chromium} not found. Install Debian's Chromium: apt-get install -y chromium`)
  console.error('    (never `npx playwright install`: there is no download access; set CHROMIUM_PATH for another path)')
  record('e2e (playwright)', { passed: 0, failed: 1 }, 0, 'chromium missing')
} else {
  await step('e2e (playwright)', ['test:e2e'], playwrightCounts)
}

console.log('\n=== summary')
for (const r of rows) {
  const skipped = r.skipped ? `, ${r.skipped} skipped` : ''
  const note = r.note ? `  (${r.note})` : ''
  console.log(`  ${r.name.padEnd(22)} ${String(r.passed).padStart(4)} passed, ${r.failed} failed${skipped}  ${r.seconds.toFixed(1)}s${note}`)
}
console.log(`${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`)
process.exitCode = total.failed > 0 ? 1 : 0
