// Studio-level info (name, version, engine, data folder).
import { api, BridgeMissingError, type StudioInfo } from './bridge'

export type { StudioInfo }
export { BridgeMissingError }

export function getStudioInfo(): Promise<StudioInfo> {
  try {
    return api().getStudioInfo()
  } catch (e) {
    return Promise.reject(e)
  }
}
