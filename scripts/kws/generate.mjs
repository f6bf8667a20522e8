#!/usr/bin/env node
// Entry of the kws-espeak generator: runs build-features.ts through Vite's module runner (the repo has no
// TS loader for plain Node 20). Usage: node scripts/kws/generate.mjs [outDir] [--subset]
import { fileURLToPath } from 'node:url'
import { runnerImport } from 'vite'

const { module } = await runnerImport(fileURLToPath(new URL('./build-features.ts', import.meta.url)))
module.main(process.argv.slice(2))
