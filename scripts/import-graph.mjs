#!/usr/bin/env node
// The import graph of the shipping sources (tests, benchmarks and test support left out), measured the
// way the architecture review measured it: every relative import between files, type-only ones
// included (a cycle made of `import type` still says two files hold one idea). Prints the file and edge
// counts, every cycle (strongly connected component of more than one file) and the arrows between
// folders; `--json` prints the same as JSON. scripts/import-graph.test.ts asserts there are no cycles.
//
//   node scripts/import-graph.mjs [--json] [--depth N]   (N: folder depth of the arrows, default 2)
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { pathToFileURL } from 'node:url'

const ROOTS = ['simulators', 'workers', 'src-main', 'src-renderer', 'cli']
/** Test support and harnesses are not shipping code (the review counted "non-test sources"). */
const isTestFile = (f) =>
  /\.(test|prop\.test|bench)\.ts$/.test(f) || /\.testing\.ts$/.test(f) || f.includes('/__tests__/') ||
  f.startsWith('simulators/testing/') || f.startsWith('simulators/bench/')

const IMPORT = /(?:^|[\n;])\s*(import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s*)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g

function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name)
    if (name === 'node_modules' || name.startsWith('.')) continue
    if (statSync(p).isDirectory()) walk(p, out)
    else if (/\.(ts|vue|mjs)$/.test(name) && !name.endsWith('.d.ts')) out.push(p)
  }
  return out
}

function resolveImport(fromAbs, spec) {
  if (!spec.startsWith('.')) return undefined
  const base = resolve(dirname(fromAbs), spec.replace(/\?.*$/, ''))
  for (const c of [base, `${base}.ts`, `${base}.vue`, `${base}.mjs`, join(base, 'index.ts')]) {
    if (existsSync(c) && statSync(c).isFile()) return c
  }
  return undefined
}

/** { files, edges: [{ from, to, typeOnly }] } with repo-relative paths (forward slashes). */
export function importGraph(root = resolve(import.meta.dirname, '..')) {
  const rel = (p) => relative(root, p).split(sep).join('/')
  const files = ROOTS.flatMap((r) => (existsSync(join(root, r)) ? walk(join(root, r), []) : []))
    .filter((f) => !isTestFile(rel(f)))
  const edges = []
  for (const f of files) {
    let text = readFileSync(f, 'utf8')
    if (f.endsWith('.vue')) text = [...text.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join('\n')
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[3] ?? m[4]
      const to = resolveImport(f, spec)
      if (!to || to.endsWith('.json') || isTestFile(rel(to))) continue
      edges.push({ from: rel(f), to: rel(to), typeOnly: Boolean(m[2]) })
    }
  }
  return { files: files.map(rel).sort(), edges }
}

/** Strongly connected components with more than one file (Tarjan), each sorted. */
export function cycles({ files, edges }) {
  const out = new Map(files.map((f) => [f, []]))
  for (const e of edges) out.get(e.from)?.push(e.to)
  let index = 0
  const idx = new Map(), low = new Map(), onStack = new Set(), stack = [], sccs = []
  const strong = (v) => {
    idx.set(v, index); low.set(v, index); index++
    stack.push(v); onStack.add(v)
    for (const w of out.get(v) ?? []) {
      if (!idx.has(w)) { strong(w); low.set(v, Math.min(low.get(v), low.get(w))) }
      else if (onStack.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)))
    }
    if (low.get(v) === idx.get(v)) {
      const c = []
      let w
      do { w = stack.pop(); onStack.delete(w); c.push(w) } while (w !== v)
      if (c.length > 1) sccs.push(c.sort())
    }
  }
  for (const f of files) if (!idx.has(f)) strong(f)
  return sccs
}

/** Arrows between folders at `depth` (simulators/training/network at 3), with their edge counts. */
export function folderArrows({ edges }, depth = 2) {
  const folder = (f) => f.split('/').slice(0, -1).slice(0, depth).join('/')
  const counts = new Map()
  for (const e of edges) {
    const a = folder(e.from), b = folder(e.to)
    if (a === b) continue
    counts.set(`${a} -> ${b}`, (counts.get(`${a} -> ${b}`) ?? 0) + 1)
  }
  return [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([arrow, n]) => ({ arrow, imports: n }))
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2)
  const depth = Number(args[args.indexOf('--depth') + 1]) || 2
  const g = importGraph()
  const report = { files: g.files.length, edges: g.edges.length, typeOnlyEdges: g.edges.filter((e) => e.typeOnly).length, cycles: cycles(g), arrows: folderArrows(g, depth) }
  if (args.includes('--json')) console.log(JSON.stringify(report, null, 2))
  else {
    console.log(`${report.files} files, ${report.edges} imports (${report.typeOnlyEdges} type-only), ${report.cycles.length} cycles`)
    for (const c of report.cycles) console.log(`  cycle: ${c.join(' <-> ')}`)
    console.log(`folder arrows (depth ${depth}):`)
    for (const a of report.arrows) console.log(`  ${a.arrow}  (${a.imports})`)
  }
}
