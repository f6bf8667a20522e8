// Proves the dependency-direction lint rules can fail: lint snippets as if they lived at a given path and
// check whether a wall fires. Folder walls are the layer table (scripts/eslint-layers.mjs, rule
// layers/direction); packages are no-restricted-imports (eslint.config.js).
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { ESLint } from 'eslint'

const root = fileURLToPath(new URL('../../', import.meta.url))
const eslint = new ESLint({ cwd: root })

async function restrictedImports(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath })
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'layers/direction').map((m) => m.message)
}

describe('dependency direction (no-restricted-imports and layers/direction)', () => {
  const engineFile = 'simulators/core/x.ts'

  it.each([
    ["import fs from 'node:fs'", 'node: builtin'],
    ["import { readFileSync } from 'fs'", 'bare builtin'],
    ["import { a } from '../../workers/x'", 'workers/'],
    ["import { b } from '../../src-main/ipc-handlers'", 'src-main/'],
    ["import { ref } from 'vue'", 'vue'],
    ["import { wrap } from 'comlink'", 'comlink'],
    ["import * as ort from 'onnxruntime-web'", 'onnxruntime-*'],
  ])('engine code may not import %s (%s)', async (code) => {
    expect(await restrictedImports(`${code}\nexport const x = 1\n`, engineFile)).toHaveLength(1)
  })

  it('engine code may import within the engine', async () => {
    expect(await restrictedImports("import { k } from '../../kernels/dense'\nexport const x = k\n", 'simulators/training/network/x.ts')).toEqual([])
  })

  it('engine tests may use Node but not the app', async () => {
    const test = 'simulators/core/x.test.ts'
    expect(await restrictedImports("import fs from 'node:fs'\nexport const x = fs\n", test)).toEqual([])
    expect(await restrictedImports("import { a } from '../../workers/x'\nexport const x = a\n", test)).toHaveLength(1)
  })

  it('workers may not import from src-main', async () => {
    expect(await restrictedImports("import { a } from '../src-main/x'\nexport const x = a\n", 'workers/y.ts')).toHaveLength(1)
  })

  it('the renderer may only type-import the preload API from src-main', async () => {
    const file = 'src-renderer/src/api/y.ts'
    const typeOnly = "import type { StudioApi } from '../../../src-main/preload/api'\nexport type X = StudioApi\n"
    const value = "import { StudioApi } from '../../../src-main/preload/api'\nexport const x = StudioApi\n"
    const other = "import type { X } from '../../../src-main/ipc-handlers'\nexport type Y = X\n"
    expect(await restrictedImports(typeOnly, file)).toEqual([])
    expect(await restrictedImports(value, file)).toHaveLength(1)
    expect(await restrictedImports(other, file)).toHaveLength(1)
  })

  it('src-main may not import from src-renderer', async () => {
    const code = "import { a } from '../src-renderer/src/x'\nexport const x = a\n"
    expect(await restrictedImports(code, 'src-main/y.ts')).toHaveLength(1)
  })
})

describe("the engine's inner layers (layers/direction)", () => {
  const imp = (from: string) => `import { v } from '${from}'\nexport const x = v\n`
  const impType = (from: string) => `import type { V } from '${from}'\nexport type X = V\n`

  it.each([
    ['simulators/core/x.ts', '../kernels/dense', 'core imports nothing of the engine'],
    ['simulators/kernels/x.ts', '../model/spec', 'kernels stand on core only'],
    ['simulators/data/x.ts', '../kernels/dense', 'data stands on core only'],
    ['simulators/reference/x.ts', '../model/graph', 'references stand on core and kernels'],
    ['simulators/model/x.ts', '../training/network/qnetwork', 'the model never imports training'],
    ['simulators/training/float/x.ts', '../network/qnetwork', 'the float model never imports the integer network'],
    ['simulators/training/network/x.ts', '../algorithms/backprop', 'the network never imports the algorithms'],
    ['simulators/training/algorithms/x.ts', '../../experiment/runner', 'algorithms never import experiments'],
    ['simulators/hardware/compute/x.ts', '../profiles/profile', 'cost models never import profiles'],
    ['simulators/hardware/compute/x.ts', '../../training/network/memory', 'hardware never imports training'],
    ['simulators/hardware/profiles/x.ts', '../pricing/pricing', 'profiles never import pricing'],
    ['simulators/hardware/pricing/x.ts', '../../training/network/memory', 'hardware never imports training'],
    ['simulators/hardware/pricing/x.ts', '../../hardware/../training/algorithms/algorithm', 'however the path is spelled'],
    ['simulators/experiment/x.ts', '../testing/oracles', 'shipping engine code never imports test support'],
    ['simulators/index.ts', './core/op', 'the version file imports nothing'],
    ['workers/x.ts', '../simulators/testing/oracles', 'workers never import test support'],
    ['cli/x.ts', '../src-main/ipc-handlers', 'the CLI never imports the app'],
    ['src-renderer/src/x.ts', '../../simulators/training/network/memory', "the window's run-time code takes only the vocabulary"],
    ['src-renderer/src/x.ts', '../../workers/run-stream', 'the window never runs worker code'],
  ])('%s may not import %s (%s)', async (file, from) => {
    expect(await restrictedImports(imp(from), file)).toHaveLength(1)
  })

  it('hardware may not import training even for types', async () => {
    expect(await restrictedImports(impType('../../training/network/memory'), 'simulators/hardware/pricing/x.ts')).toHaveLength(1)
  })

  it.each([
    ['simulators/kernels/x.ts', '../core/op'],
    ['simulators/model/x.ts', '../kernels/geometry'],
    ['simulators/training/algorithms/x.ts', '../network/qnetwork'],
    ['simulators/hardware/pricing/x.ts', '../profiles/profile'],
    ['simulators/hardware/pricing/x.ts', '../../core/memory-categories'],
    ['simulators/experiment/x.ts', '../hardware/pricing/run-pricer'],
    ['src-renderer/src/x.ts', '../../simulators/core/op'],
    ['src-renderer/src/x.ts', '../../simulators/experiment/labels'],
  ])('%s may import %s', async (file, from) => {
    expect(await restrictedImports(imp(from), file)).toEqual([])
  })

  it('the window may import types from anywhere in the engine and workers', async () => {
    expect(await restrictedImports(impType('../../simulators/training/network/memory'), 'src-renderer/src/x.ts')).toEqual([])
    expect(await restrictedImports(impType('../../workers/run-stream'), 'src-renderer/src/x.ts')).toEqual([])
  })

  it('tests may import any engine layer and its test support, but never the app', async () => {
    expect(await restrictedImports(imp('../../testing/oracles'), 'simulators/hardware/compute/x.test.ts')).toEqual([])
    expect(await restrictedImports(imp('../../../training/network/memory'), 'simulators/hardware/pricing/x.test.ts')).toEqual([])
    expect(await restrictedImports(imp('../../../workers/run-stream'), 'simulators/hardware/pricing/x.test.ts')).toHaveLength(1)
  })
})
