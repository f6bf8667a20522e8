#!/usr/bin/env node
// `npm start`: builds the app (electron-vite build) and opens it (electron-vite preview). Electron ≥ 42 ships
// without its binary and downloads it on the first start; where that cannot happen (offline, a firewall)
// Electron's own error is a stack trace ending in "Electron uninstall". This says instead, in one message,
// what is missing and what to do.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'

const root = resolve(import.meta.dirname, '..')
const electronDir = join(root, 'node_modules', 'electron')
const run = (args, stdio = 'inherit') => spawnSync(process.execPath, args, { cwd: root, stdio })

const build = run([join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'])
if (build.status !== 0) process.exit(build.status ?? 1)

/** the Electron binary's path if it is on disk (or given by ELECTRON_OVERRIDE_DIST_PATH) */
function electronBinary() {
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) return process.env.ELECTRON_OVERRIDE_DIST_PATH
  const pathFile = join(electronDir, 'path.txt')
  if (!existsSync(pathFile)) return undefined
  const bin = join(electronDir, 'dist', readFileSync(pathFile, 'utf8'))
  return existsSync(bin) ? bin : undefined
}

const enginesNode = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).engines.node

/** true when this Node is at least the version of `engines.node` (">=major.minor") */
function nodeMeetsEngines() {
  const wanted = enginesNode.match(/(\d+)\.(\d+)/)
  const [major, minor] = process.versions.node.split('.').map(Number)
  return major > Number(wanted[1]) || (major === Number(wanted[1]) && minor >= Number(wanted[2]))
}

if (!electronBinary()) {
  // Electron 45's installer (@electron/get 5) declares Node >= 22.12, the strictest of our dependencies; the build,
  // the tests and the CLI need only 20.19. Say so before a download that may fail for that reason.
  if (!nodeMeetsEngines()) {
    process.stderr.write(`npm start: Node ${process.versions.node} is older than package.json's engines (${enginesNode}), which Electron's installer needs; it may fail.
  The headless CLI, the build and the tests run on Node 20.19 or newer: \`npx lastmile run\`.
`)
  }
  // Electron's installer fetches the binary for this platform (from GitHub, or ELECTRON_MIRROR)
  process.stderr.write('npm start: the Electron binary is not installed yet; downloading it (once)…\n')
  const got = run([join(electronDir, 'install.js')], ['ignore', 'ignore', 'pipe'])
  if (got.status !== 0 || !electronBinary()) {
    process.stderr.write(`
npm start: cannot open the studio window: no Electron binary on this machine, and downloading it failed
(Electron ${JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8')).version} fetches it from GitHub on first start; this machine could not).
What to do, any of:
  - connect to the internet (or set ELECTRON_MIRROR to a mirror you can reach) and run \`npm start\` again;
  - point ELECTRON_OVERRIDE_DIST_PATH at the folder of an Electron you have installed, then \`npm start\`;
  - use the headless CLI, the same engine without a window: \`npx lastmile run\` (see \`npx lastmile help\`).
The app itself is built in out/ (electron-vite build succeeded).
`)
    process.exit(1)
  }
}
const preview = run([join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'preview', '--skipBuild'])
process.exit(preview.status ?? 1)
