// The import graph of the shipping sources has no cycles, and no arrow runs from hardware into training
// (the two findings of the architecture review, kept from coming back). The measurement is
// scripts/import-graph.mjs; the first test shows it can find a cycle.
import { describe, expect, it } from 'vitest'
import { cycles, folderArrows, importGraph } from './import-graph.mjs'

describe('import graph', () => {
  it('finds a cycle when there is one (type-only edges count)', () => {
    const g = { files: ['a.ts', 'b.ts', 'c.ts'], edges: [{ from: 'a.ts', to: 'b.ts', typeOnly: false }, { from: 'b.ts', to: 'a.ts', typeOnly: true }, { from: 'b.ts', to: 'c.ts', typeOnly: false }] }
    expect(cycles(g)).toEqual([['a.ts', 'b.ts']])
  })

  const g = importGraph()

  it('reads the real sources', () => {
    expect(g.files.length).toBeGreaterThan(100)
    expect(g.edges.some((e) => e.from === 'simulators/hardware/pricing/run-pricer.ts' && e.to === 'simulators/core/op.ts')).toBe(true)
  })

  it('has no cycles', () => {
    expect(cycles(g)).toEqual([])
  })

  it('has no arrow from hardware into training', () => {
    expect(folderArrows(g, 2).filter((a) => a.arrow.startsWith('simulators/hardware') && a.arrow.includes('-> simulators/training'))).toEqual([])
  })
})
