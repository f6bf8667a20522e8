/**
 * Kernel backends by id. Add a backend by adding one export line to all-backends.ts.
 * The default is the WebAssembly SIMD backend where the runtime has WebAssembly SIMD (it runs the
 * TypeScript kernels itself for whatever it does not cover, bit-identically), the TypeScript one elsewhere.
 */
import type { KernelBackend } from './backend'
import * as all from './all-backends'
import { wasmAvailable } from './wasm-backend'

function byId(list: KernelBackend[]): Map<string, KernelBackend> {
  const map = new Map<string, KernelBackend>()
  for (const b of list) {
    if (map.has(b.id)) throw new Error(`two kernel backends share the id "${b.id}"`)
    map.set(b.id, b)
  }
  return map
}

export const kernelBackends: ReadonlyMap<string, KernelBackend> = byId(Object.values(all))

/** Id of the backend used when none is named: 'wasm-simd' where it loads, else 'typescript'. */
export function defaultKernelBackendId(): string {
  return wasmAvailable() ? 'wasm-simd' : 'typescript'
}

export function getKernelBackend(id = defaultKernelBackendId()): KernelBackend {
  const b = kernelBackends.get(id)
  if (!b) throw new RangeError(`unknown kernel backend "${id}"; known: ${[...kernelBackends.keys()].join(', ')}`)
  return b
}
