/** Kernel backends by id. Add a backend by adding one export line to all-backends.ts. */
import type { KernelBackend } from './backend'
import * as all from './all-backends'

function byId(list: KernelBackend[]): Map<string, KernelBackend> {
  const map = new Map<string, KernelBackend>()
  for (const b of list) {
    if (map.has(b.id)) throw new Error(`two kernel backends share the id "${b.id}"`)
    map.set(b.id, b)
  }
  return map
}

export const kernelBackends: ReadonlyMap<string, KernelBackend> = byId(Object.values(all))

export function getKernelBackend(id = 'typescript'): KernelBackend {
  const b = kernelBackends.get(id)
  if (!b) throw new RangeError(`unknown kernel backend "${id}"; known: ${[...kernelBackends.keys()].join(', ')}`)
  return b
}
