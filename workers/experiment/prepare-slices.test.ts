// `lastmile run --workers 0` prepares on the CLI's own thread (host.ts: inSlices(prepareSteps(...))). A
// SIGINT/SIGTERM reaches its JS handler only when the event loop gets a turn, so pretraining must pause
// between batches: a version that pretrains in one go would handle a Ctrl+C only after the whole of it
// (minutes for MNIST), and the run folder would keep "running" meanwhile. This test sends a real signal
// to this process at the end of the first pretraining epoch and checks that its handler runs before the
// second epoch ends. (vitest runs test files in child processes, so the signal stays in this one.)
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseExperiment } from '../../simulators/experiment/validate'
import { prepareSteps, type PretrainEvent } from './prepare'
import { inSlices, SLICE_MS } from './in-process'

const EPOCHS = 3
const parsed = parseExperiment({
  name: 'pretrain-slices', seed: 11, model: 'mlp-mnist', init: 'pretrained',
  // a few tiny synthetic source images per class, batch 8: several pretraining batches (pauses) per epoch
  data: { dataset: 'synthetic', pretrainPerClass: 16, shots: 2, testPerClass: 2 },
  pretrain: { epochs: EPOCHS, batch: 8, lr: 0.05, momentum: 0.9 },
  steps: 1, runs: [{ algorithm: 'backprop' }],
})

let cache = ''
const before = process.env.LASTMILE_CACHE
// an empty pretraining cache: a cached model would skip pretraining and prove nothing
beforeAll(() => { cache = mkdtempSync(join(tmpdir(), 'lastmile-pretrain-')); process.env.LASTMILE_CACHE = cache })
afterAll(() => { if (before === undefined) delete process.env.LASTMILE_CACHE; else process.env.LASTMILE_CACHE = before; rmSync(cache, { recursive: true, force: true }) })

describe('--workers 0 preparation yields to signals', () => {
  it('a signal sent during pretraining is handled before pretraining ends', async () => {
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors))
    const events: PretrainEvent[] = []
    const epochsDone = () => events.filter((e) => e.progress).length
    let handledAt: { epochs: number; outcome: boolean } | undefined
    const onSignal = () => { handledAt = { epochs: epochsDone(), outcome: events.some((e) => e.sourceAccuracy !== undefined) } }
    process.on('SIGUSR2', onSignal)
    try {
      const emit = (e: PretrainEvent) => {
        events.push(e)
        if (e.progress?.epoch === 0) process.kill(process.pid, 'SIGUSR2')
      }
      // a clock that passes a slice per reading: every pretraining batch ends a slice (as a slow batch would)
      let t = 0
      const prepared = await inSlices(prepareSteps(parsed.spec, emit), () => (t += SLICE_MS + 1))
      expect(prepared.pretrain.cached).toBe(false)
      expect(epochsDone()).toBe(EPOCHS)
      // a version without pauses gets here first: let a pending signal through, then judge when it ran
      await new Promise<void>((resolve) => setTimeout(resolve, 50))
      expect(handledAt, 'the signal handler never ran').toBeDefined()
      expect(handledAt).toEqual({ epochs: 1, outcome: false })
    } finally {
      process.removeListener('SIGUSR2', onSignal)
    }
  })
})
