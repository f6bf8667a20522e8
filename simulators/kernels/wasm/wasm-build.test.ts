/** The committed kernels.wasm and kernels-wasm.ts are exactly what kernels.wat assembles to (scripts/build-wasm.mjs). */
import { describe, expect, it } from 'vitest'
import { checkWasm } from '../../../scripts/build-wasm.mjs'

describe('kernels.wasm is reproducible from kernels.wat', () => {
  it('a rebuild equals the committed files byte for byte', async () => {
    expect(await checkWasm()).toEqual([])
  })
})
