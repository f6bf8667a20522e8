// Trial rows for the sweep views' tests: every field a view reads, overridable.
import type { TrialRow } from '../../api/bridge'

export function row(o: Partial<TrialRow> & Pick<TrialRow, 'trial' | 'device'>): TrialRow {
  return {
    training: o.trial, deviceName: `${o.device} chip`, deviceClass: 'mcu', label: 'backprop', algorithm: 'backprop', seed: 1,
    requested: { weightBits: 8, activationBits: 8 } as TrialRow['requested'], formats: { weightBits: 8, activationBits: 8 } as TrialRow['formats'], changes: [],
    feasible: true, reasons: [], zeroShotAccuracy: 0.5, finalAccuracy: 0.6, bestAccuracy: 0.6, gain: 0.1, spread: 0.02, verdict: 'learned' as TrialRow['verdict'], warnings: [],
    steps: 10, sramDemandBytes: 100 * 1024, sramCapacityBytes: 256 * 1024,
    secondsPerStep: 0.01, energyUjPerStep: 50, secondsPerAdaptation: 0.1, energyUjPerAdaptation: 500,
    ...o,
  }
}
