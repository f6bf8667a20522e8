// The loss landscape study as a worker method. Environment-neutral (no Node, no DOM) like run-api.ts.
import { landscapeStudy, type LandscapeStudy, type LandscapeStudyInput, type StudyProgress } from '../simulators/experiment/landscape-study'

export interface LandscapeApi {
  /** Re-runs both runs with weight snapshots, computes the slice and the projected trajectories. */
  landscape(input: LandscapeStudyInput, onProgress: (p: StudyProgress) => void): Promise<LandscapeStudy>
}

export function createLandscapeApi(): LandscapeApi {
  return {
    async landscape(input, onProgress) {
      // at most one progress message per grid row (≤ 51) plus one per re-run
      return landscapeStudy(input, onProgress)
    },
  }
}
