// `--workers 0` runs on the CLI's own thread: every event must reach the caller as it happens (a step's
// events before the next step starts, so a killed run keeps them), the event loop must get turns mid-run
// (so SIGTERM is handled), and the results must be runOne's. The kill itself is checked end to end on the
// built CLI by scripts/cli-determinism.mjs.
import { describe, expect, it } from 'vitest'
import { runOne, runSteps, type RunEvent } from '../../simulators/experiment/runner'
import { prepareTinyExperiment } from '../../simulators/testing/tiny-prepared'
import { runInProcess, SLICE_MS } from './in-process'

const tiny = prepareTinyExperiment()
const spec = tiny.spec
const input = tiny.input(0)

describe('in-process runs (lastmile run --workers 0)', () => {
  it("each step's event is emitted before the next step starts", () => {
    const events: RunEvent[] = []
    const steps = runSteps(input, (e) => events.push(e), () => 0)
    for (let s = 1; s <= spec.steps; s++) {
      const r = steps.next()
      expect(r).toEqual({ done: false, value: s })
      // the generator is paused after step s: its step event is already out, no later one is
      expect(events.filter((e) => e.type === 'step').map((e) => (e as { step: number }).step)).toEqual(Array.from({ length: s }, (_, i) => i + 1))
    }
    expect(steps.next().done).toBe(true)
  })

  it('delivers the same events and summary as runOne, in the same order', async () => {
    const direct: RunEvent[] = []
    const want = runOne(input, (e) => direct.push(e), () => 0)
    const got: RunEvent[] = []
    const summary = await runInProcess(input, (e) => got.push(e), () => 0)
    expect(summary).toEqual(want)
    expect(got).toEqual(direct)
  })

  it('gives the event loop a turn mid-run, so a signal handler can run before the run ends', async () => {
    // a clock that advances more than a slice per reading: every step ends a slice
    let t = 0
    const now = () => (t += SLICE_MS + 1)
    let stepsSeen = 0
    let stepsWhenLoopRan = -1
    setImmediate(() => { stepsWhenLoopRan = stepsSeen })
    await runInProcess(input, (e) => { if (e.type === 'step') stepsSeen++ }, now)
    expect(stepsWhenLoopRan).toBeGreaterThan(0)
    expect(stepsWhenLoopRan).toBeLessThan(spec.steps)
  })
})
