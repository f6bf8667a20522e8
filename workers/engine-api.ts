// The API the engine worker exposes over comlink. Environment-neutral on purpose (no Node, no DOM): the same
// object can be exposed from a Node worker_thread, a Web Worker, or called in-process by tests.
// It forwards to the engine in simulators/; for now it describes the engine (later issues add runs).
import { ENGINE_VERSION } from '../simulators'
import { kernelBackends } from '../simulators/kernels/registry'

/** Where the API object is running. Reported by the host that created it, not guessed. */
export type EngineRuntime = 'worker' | 'main-thread'

export interface EngineInfo {
  runtime: EngineRuntime
  /** Version of the engine behind this API. Bump when simulation results may change. */
  engineVersion: string
  /** Version of this API's shape (methods, payloads). Bump on breaking changes. */
  apiVersion: number
  /** Kernel backends registered in the engine, by id (see simulators/kernels/all-backends.ts). */
  kernelBackends: { id: string; label: string }[]
}

export { ENGINE_VERSION }
export const ENGINE_API_VERSION = 1

export interface EngineApi {
  info(): EngineInfo
}

export function createEngineApi(env: { runtime: EngineRuntime }): EngineApi {
  return {
    info: () => ({
      runtime: env.runtime,
      engineVersion: ENGINE_VERSION,
      apiVersion: ENGINE_API_VERSION,
      kernelBackends: [...kernelBackends.values()].map((b) => ({ id: b.id, label: b.label })),
    }),
  }
}
