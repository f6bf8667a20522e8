#!/usr/bin/env node
// `npx lastmile …`: builds the CLI bundle when it is missing or older than its sources (electron-vite,
// about two seconds), then runs it. Plain JavaScript so it needs no build itself.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'

const root = resolve(import.meta.dirname, '..')
const bundle = join(root, 'out', 'main', 'cli.js')

function newest(dir) {
  let t = 0
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name)
    if (e.isDirectory()) t = Math.max(t, newest(p))
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts')) t = Math.max(t, statSync(p).mtimeMs)
  }
  return t
}

const sources = ['cli', 'workers', 'simulators'].map((d) => newest(join(root, d)))
if (!existsSync(bundle) || statSync(bundle).mtimeMs < Math.max(...sources)) {
  process.stderr.write('lastmile: building the CLI bundle (electron-vite build)…\n')
  const r = spawnSync(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] })
  if (r.status !== 0) process.exit(r.status ?? 1)
}
const { main } = await import(pathToFileURL(bundle).href)
process.exitCode = await main(process.argv.slice(2))
