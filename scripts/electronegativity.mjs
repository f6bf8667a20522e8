// Runs @doyensec/electronegativity (pinned devDependency) over the built app (out/: main process, preload,
// renderer HTML — what ships, with every import bundled, so its global checks see the whole app), and fails on any finding that is not in the reviewed list below.
// Each reviewed finding says why it stands; a new finding (say, nodeIntegration switched on) fails the step.
// Writes test-results/electronegativity.json as { passed, failed, findings } for scripts/test-all.mjs.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'

const root = resolve(import.meta.dirname, '..')
const electronVersion = JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')).version
const bin = join(dirname(createRequire(import.meta.url).resolve('@doyensec/electronegativity/package.json')), 'dist/index.js')

/** check id -> why it is acceptable here (reviewed by hand; keep in step with src-main/index.ts) */
const REVIEWED = {
  // "Review required": the tool cannot evaluate a CSP set from code. It is RENDERER_CSP (src-main/security.ts):
  // default-src 'self', script-src 'self', style-src 'self', object-src 'none', base-uri 'none',
  // form-action 'none'; the same policy is in index.html's <meta>, kept identical by a unit test.
  CSP_GLOBAL_CHECK: 'strict CSP set by onHeadersReceived and <meta>; see src-main/security.ts',
  // "Review required": a preload exists. It runs sandboxed and context-isolated, and exposes only one
  // function per declared IPC channel (ipcRenderer.invoke / on for the push channel), never ipcRenderer itself
  // or the IPC event; every handler validates its arguments (src-main/ipc/validate.ts).
  PRELOAD_JS_CHECK: 'sandboxed preload exposing one function per validated channel; see src-main/preload/index.ts',
}

const out = join(root, 'test-results')
mkdirSync(out, { recursive: true })
const sarif = join(out, 'electronegativity.sarif')
rmSync(sarif, { force: true })
const findings = []
if (!existsSync(join(root, 'out/main/index.js'))) throw new Error('out/ is missing: run `npm run build` first')
for (const input of ['out']) {
  const r = spawnSync(process.execPath, [bin, '-i', join(root, input), '-e', electronVersion, '-r', '-v', 'false', '-o', sarif], { cwd: root, encoding: 'utf8' })
  let report
  try {
    report = JSON.parse(readFileSync(sarif, 'utf8'))
  } catch {
    console.error(r.stdout, r.stderr)
    throw new Error(`electronegativity wrote no report for ${input} (exit ${r.status})`)
  }
  for (const run of report.runs ?? []) {
    for (const res of run.results ?? []) {
      const loc = res.locations?.[0]?.physicalLocation
      findings.push({ check: res.ruleId, file: `${input}/${loc?.artifactLocation?.uri ?? ''}`, line: loc?.region?.startLine, reviewed: REVIEWED[res.ruleId] })
    }
  }
  rmSync(sarif, { force: true })
}

const open = findings.filter((f) => !f.reviewed)
for (const f of findings) console.log(`${f.reviewed ? 'reviewed' : 'FINDING '}  ${f.check}  ${f.file}:${f.line ?? '?'}${f.reviewed ? `  (${f.reviewed})` : ''}`)
console.log(`electronegativity ${electronVersion}: ${findings.length} findings, ${findings.length - open.length} reviewed, ${open.length} open`)
writeFileSync(join(out, 'electronegativity.json'), JSON.stringify({ passed: findings.length - open.length + (open.length ? 0 : 1), failed: open.length, findings }, null, 2))
process.exit(open.length ? 1 : 0)
