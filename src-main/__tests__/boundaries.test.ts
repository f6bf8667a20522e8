// Proves the dependency-direction lint rules in eslint.config.js can fail: lint snippets as if they lived
// at a given path and check whether no-restricted-imports fires.
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { ESLint } from 'eslint'

const root = fileURLToPath(new URL('../../', import.meta.url))
const eslint = new ESLint({ cwd: root })

async function restrictedImports(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath })
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message)
}

describe('dependency direction (no-restricted-imports)', () => {
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
    expect(await restrictedImports("import { k } from '../kernels/dense'\nexport const x = k\n", engineFile)).toEqual([])
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
