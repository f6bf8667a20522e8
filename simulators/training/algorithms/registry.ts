/** Training algorithms by id. Add an algorithm by adding one export line to all-algorithms.ts. */
import type { TrainingAlgorithm } from './algorithm'
import * as all from './all-algorithms'

function byId(list: TrainingAlgorithm<object>[]): Map<string, TrainingAlgorithm<object>> {
  const map = new Map<string, TrainingAlgorithm<object>>()
  for (const a of list) {
    if (map.has(a.id)) throw new Error(`two training algorithms share the id "${a.id}"`)
    map.set(a.id, a)
  }
  return map
}

export const trainingAlgorithms: ReadonlyMap<string, TrainingAlgorithm<object>> = byId(Object.values(all) as TrainingAlgorithm<object>[])

export function getAlgorithm(id: string): TrainingAlgorithm<object> {
  const a = trainingAlgorithms.get(id)
  if (!a) throw new RangeError(`unknown training algorithm "${id}"; known: ${[...trainingAlgorithms.keys()].join(', ')}`)
  return a
}
