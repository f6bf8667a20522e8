#!/usr/bin/env node
// Compares two benchmark results written by scripts/bench-report.mjs (`npm run bench`):
//   node scripts/bench-compare.mjs OLD.json [NEW.json]      (NEW defaults to bench-results/latest.json)
// Prints every metric both files have, new / old, and whether that is better or worse. Figures of two runs on
// a shared machine vary by ±25 % without any change: only ratios well outside that band mean something, and
// ratios within one run (our kernel / onnxruntime) are steadier than absolute figures across runs.
import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'

const NOISE = 0.25

function load(path) {
  if (!existsSync(path)) throw new Error(`${path}: no such file (a result written by npm run bench, e.g. bench-results/latest.json)`)
  let j
  try { j = JSON.parse(readFileSync(path, 'utf8')) } catch (e) { throw new Error(`${path}: not JSON (${e.message})`, { cause: e }) }
  if (j === null || typeof j !== 'object' || j.schemaVersion !== 1 || !Array.isArray(j.metrics)) throw new Error(`${path}: not a benchmark result (schemaVersion 1 with metrics[]) of scripts/bench-report.mjs`)
  return j
}

export function compareResults(oldR, newR, log = console.log) {
  const before = new Map(oldR.metrics.map((m) => [m.id, m]))
  const who = (r) => `${r.date.slice(0, 16)}Z, ${r.machine.git.commit.slice(0, 8)}${r.machine.git.dirty ? '+dirty' : ''}, ${r.machine.cpu} ×${r.machine.cores}, load ${r.machine.loadavg.map((x) => x.toFixed(1)).join('/')}`
  log(`\ncompare: old ${who(oldR)}\n         new ${who(newR)}`)
  log(`  ${'metric'.padEnd(62)} ${'old'.padStart(10)} ${'new'.padStart(10)}  new/old`)
  let shown = 0
  for (const m of newR.metrics) {
    const o = before.get(m.id)
    if (!o || !(o.value > 0) || !(m.value > 0)) continue
    const r = m.value / o.value
    const gain = m.better === 'lower' ? 1 / r : r
    const verdict = gain > 1 + NOISE ? 'better' : gain < 1 - NOISE ? 'WORSE' : 'within noise'
    const fmt = (v) => (v >= 100 ? v.toFixed(0) : v >= 1 ? v.toFixed(2) : v.toPrecision(3))
    log(`  ${`${m.label} (${m.unit})`.slice(0, 62).padEnd(62)} ${fmt(o.value).padStart(10)} ${fmt(m.value).padStart(10)}  ${r.toFixed(2).padStart(6)}×  ${verdict}`)
    shown++
  }
  const missing = oldR.metrics.filter((m) => !newR.metrics.some((n) => n.id === m.id)).length
  log(`  ${shown} metrics compared${missing ? `, ${missing} only in the old file` : ''}; "better"/"WORSE" only beyond ±${NOISE * 100} % (the spread of one machine between runs)`)
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [oldPath, newPath = resolve(import.meta.dirname, '..', 'bench-results', 'latest.json')] = process.argv.slice(2)
  if (!oldPath) { console.error('usage: node scripts/bench-compare.mjs OLD.json [NEW.json]'); process.exit(2) }
  try {
    compareResults(load(oldPath), load(newPath))
  } catch (e) {
    console.error(`bench-compare: ${e.message}`)
    process.exit(1)
  }
}

export { load as loadResults }
