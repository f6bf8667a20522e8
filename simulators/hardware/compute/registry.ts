/** Cost models by kind. Add an accelerator kind by adding one export line to all-models.ts. */
import type { CostModel } from './cost-model'
import * as all from './all-models'

function byKind(list: CostModel[]): Map<string, CostModel> {
  const map = new Map<string, CostModel>()
  for (const m of list) {
    if (map.has(m.kind)) throw new Error(`two cost models share the kind "${m.kind}"`)
    map.set(m.kind, m)
  }
  return map
}

export const costModels: ReadonlyMap<string, CostModel> = byKind(Object.values(all as unknown as Record<string, CostModel>))

export function getCostModel(kind: string): CostModel {
  const m = costModels.get(kind)
  if (!m) throw new RangeError(`unknown cost model "${kind}"; known: ${[...costModels.keys()].join(', ')}`)
  return m
}
