import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { nextTick } from 'vue'
import { createPinia, setActivePinia } from 'pinia'
import type { ExperimentCheck, ExperimentEstimateResult, StudioApi } from '../../api/bridge'
import { catalogFixture, defaultSpecFixture } from './catalog.testing'
import { CHECK_DELAY_MS, DRAFT_KEY, useExperimentStore } from './store'
import { ESTIMATE_DELAY_MS } from './estimator'

const NPU_W8 = { field: 'weightBits' as const, requested: 16, used: 8, text: '16-bit weights → 8-bit: NPU runs 8' }

/** Stand-in for the main process's checker: data.shots must be ≥ 1, a run's lr ≥ 0. */
function fakeCheck(raw: unknown): ExperimentCheck {
  const spec = structuredClone(raw) as ReturnType<typeof defaultSpecFixture> // IPC clones: proxies would throw here
  const errors = []
  if (!(spec.data.shots >= 1)) errors.push({ path: 'data.shots', message: 'must be at least 1' })
  spec.runs.forEach((r, i) => {
    if ((r.hyperparameters.lr as number) < 0) errors.push({ path: `runs[${i}].hyperparameters.lr`, message: 'must be ≥ 0' })
  })
  if ('bogus' in spec) errors.push({ path: 'bogus', message: 'unknown field' })
  if (errors.length) return { ok: false, errors }
  const plan = spec.runs.map((r, i) => ({ index: i, specRun: i, label: r.label ?? r.algorithm, algorithm: r.algorithm, steps: r.steps ?? spec.steps, formats: spec.formats, devices: spec.profiles.map((p) => ({ profile: String(p), changes: p === 'npu' && spec.deviceFormats === 'nearest' ? [NPU_W8] : [] })) }))
  return { ok: true, spec, plan }
}

/** Stand-in for the main process's estimate: 0.1 s per step and run, two workers. */
function fakeEstimate(raw: unknown): ExperimentEstimateResult {
  const c = fakeCheck(raw)
  if (!c.ok) return c
  const runs = c.plan.map((r) => ({ run: r.index, label: r.label, steps: r.steps, secondsPerStep: 0.1, secondsPerEvalBatch: 0.01, seconds: r.steps * 0.1 }))
  return { ok: true, runs, workers: 2, seconds: Math.max(...runs.map((r) => r.seconds)) }
}

let check: ReturnType<typeof vi.fn<(raw: unknown) => Promise<ExperimentCheck>>>
let estimate: ReturnType<typeof vi.fn<(raw: unknown) => Promise<ExperimentEstimateResult>>>
let stored: Map<string, string>

beforeEach(() => {
  vi.useFakeTimers()
  setActivePinia(createPinia())
  check = vi.fn(async (raw: unknown) => fakeCheck(raw))
  estimate = vi.fn(async (raw: unknown) => fakeEstimate(raw))
  const api: Partial<StudioApi> = {
    getExperimentCatalog: async () => catalogFixture(),
    listProfiles: async () => [],
    checkExperiment: check,
    estimateExperiment: estimate,
  }
  stored = new Map()
  vi.stubGlobal('window', { api })
  vi.stubGlobal('localStorage', { getItem: (k: string) => stored.get(k) ?? null, setItem: (k: string, v: string) => void stored.set(k, v) })
})

afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
})

async function settle(ms = CHECK_DELAY_MS): Promise<void> {
  await nextTick()
  await vi.advanceTimersByTimeAsync(ms)
}

describe('experiment store', () => {
  it('starts from the built-in default experiment and checks it', async () => {
    const s = useExperimentStore()
    await s.load()
    expect(s.state).toBe('ready')
    expect(s.draft).toEqual(defaultSpecFixture())
    expect(s.valid).toBe(true)
    expect(check).toHaveBeenCalled()
  })

  it('switching the data set brings that data set’s task (model, shift, splits, pretraining) and keeps the runs', async () => {
    const s = useExperimentStore()
    await s.load()
    s.edit('steps', 40)
    s.edit('data.dataset', 'kws-espeak')
    expect(s.draft!.model).toBe('dscnn-kws')
    expect(s.draft!.data).toEqual(catalogFixture().datasets[2].defaults.data)
    expect(s.draft!.pretrain.epochs).toBe(30)
    expect(s.draft!.steps).toBe(40)
    expect(s.draft!.runs).toEqual(defaultSpecFixture().runs)
    s.edit('data.shots', 5) // an edit of the same data set's fields stays
    s.edit('data.dataset', 'kws-espeak')
    expect(s.draft!.data.shots).toBe(5)
    s.edit('data.dataset', 'mnist')
    expect(s.draft!.data).toEqual(defaultSpecFixture().data)
    expect('shift' in s.draft!.data).toBe(false)
    expect(s.draft!.model).toBe('cnn-mnist')
  })

  it('checks edits after a pause and exposes errors by path', async () => {
    const s = useExperimentStore()
    await s.load()
    await settle()
    check.mockClear()
    s.edit('data.shots', 0)
    await nextTick()
    await vi.advanceTimersByTimeAsync(CHECK_DELAY_MS - 1)
    expect(check).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(1)
    expect(check).toHaveBeenCalledTimes(1)
    expect(s.valid).toBe(false)
    expect(s.errorsAt({ path: 'data.shots' })).toEqual(['must be at least 1'])
    expect(s.checking).toBe(false)
  })

  it('lists the errors no field on screen claims', async () => {
    const s = useExperimentStore()
    await s.load()
    s.edit('bogus', 1)
    s.edit('data.shots', 0)
    await settle()
    const off = s.registerField({ path: 'data.shots' })
    expect(s.unclaimedErrors.map((e) => e.path)).toEqual(['bogus'])
    off()
    expect(s.unclaimedErrors.map((e) => e.path).sort()).toEqual(['bogus', 'data.shots'])
  })

  it('keeps only the newest verdict when answers arrive out of order', async () => {
    const s = useExperimentStore()
    await s.load()
    let release!: () => void
    check.mockImplementationOnce((raw) => new Promise((r) => (release = () => r(fakeCheck(raw)))))
    s.edit('data.shots', 0)
    await settle() // first check in flight (slow), sees shots 0
    s.edit('data.shots', 5)
    await settle() // second check answers at once: valid
    release()
    await vi.advanceTimersByTimeAsync(0)
    expect(s.valid).toBe(true)
  })

  it('persists the draft and restores it after a restart', async () => {
    const s = useExperimentStore()
    await s.load()
    s.edit('steps', 42)
    await settle()
    expect(JSON.parse(stored.get(DRAFT_KEY)!).steps).toBe(42)
    setActivePinia(createPinia())
    const again = useExperimentStore()
    await again.load()
    expect(again.draft!.steps).toBe(42)
    again.reset()
    expect(again.draft).toEqual(defaultSpecFixture())
  })

  it('falls back to the defaults when the stored draft is not JSON', async () => {
    stored.set(DRAFT_KEY, '{oops')
    const s = useExperimentStore()
    await s.load()
    expect(s.draft).toEqual(defaultSpecFixture())
  })

  it('edits runs and devices', async () => {
    const s = useExperimentStore()
    await s.load()
    s.addRun()
    expect(s.draft!.runs.map((r) => r.algorithm)).toEqual(['backprop', 'zo-spsa', 'forward-ad'])
    s.edit('runs[0].hyperparameters.lr', 0.1)
    s.copyRun(0)
    expect(s.draft!.runs[1]).toMatchObject({ algorithm: 'backprop', label: 'backprop (copy)', hyperparameters: { lr: 0.1 } })
    s.setAlgorithm(1, 'zo-spsa')
    expect(s.draft!.runs[1].hyperparameters).toEqual({})
    s.removeRun(1)
    expect(s.draft!.runs).toHaveLength(3)
    s.draft!.runs.splice(1)
    s.removeRun(0) // the last run stays
    expect(s.draft!.runs).toHaveLength(1)
    s.toggleProfile('stm32', true)
    s.toggleProfile('alif', true)
    s.toggleProfile('stm32', false)
    expect(s.draft!.profiles).toEqual(['alif'])
    expect(s.hasProfile('alif')).toBe(true)
  })

  it('sets and clears a run’s own formats, leaving no empty formats behind', async () => {
    const s = useExperimentStore()
    await s.load()
    s.edit('runs[1].formats.weightBits', 8)
    s.edit('runs[1].formats.rounding', 'half-even')
    expect(s.draft!.runs[1].formats).toEqual({ weightBits: 8, rounding: 'half-even' })
    s.edit('runs[1].formats.weightBits', undefined)
    expect(s.draft!.runs[1].formats).toEqual({ rounding: 'half-even' })
    s.edit('runs[1].formats.rounding', undefined)
    expect('formats' in s.draft!.runs[1]).toBe(false)
  })

  it('imports a valid spec and refuses an invalid one, keeping the draft', async () => {
    const s = useExperimentStore()
    await s.load()
    expect(await s.importSpec({ ...defaultSpecFixture(), data: { ...defaultSpecFixture().data, shots: 0 } }, 'bad.json')).toBe(false)
    expect(s.importProblem).toEqual({ file: 'bad.json', errors: [{ path: 'data.shots', message: 'must be at least 1' }] })
    expect(s.draft!.data.shots).toBe(20)
    expect(await s.importSpec({ ...defaultSpecFixture(), steps: 7 }, 'good.json')).toBe(true)
    expect(s.importProblem).toBeNull()
    expect(s.draft!.steps).toBe(7)
  })

  it('hands out the spec to start only when the draft, checked now, is valid', async () => {
    const s = useExperimentStore()
    await s.load()
    s.edit('data.shots', 0)
    expect(await s.specToStart()).toBeNull()
    s.edit('data.shots', 3)
    expect((await s.specToStart())?.data.shots).toBe(3)
  })

  it('starts from the current verdict without asking again, and asks again after an edit', async () => {
    const s = useExperimentStore()
    await s.load()
    await settle()
    const calls = check.mock.calls.length
    expect((await s.specToStart())?.data.shots).toBe(20)
    expect(check.mock.calls.length).toBe(calls)
    s.edit('data.shots', 4)
    expect((await s.specToStart())?.data.shots).toBe(4) // edited, its check still pending: checked now
    expect(check.mock.calls.length).toBe(calls + 1)
  })

  it('reports a missing bridge as a load error', async () => {
    vi.stubGlobal('window', {})
    const s = useExperimentStore()
    await s.load()
    expect(s.state).toBe('error')
    expect(s.loadError).toMatch(/window\.api/)
  })
})

describe('the estimate', () => {
  const seconds = (s: ReturnType<typeof useExperimentStore>) => (s.estimate.state === 'done' ? s.estimate.estimate.seconds : s.estimate.state)

  it('is asked after a valid check and a pause, and says so while waiting', async () => {
    const s = useExperimentStore()
    await s.load()
    expect(s.estimate.state).toBe('waiting')
    await vi.advanceTimersByTimeAsync(ESTIMATE_DELAY_MS - 1)
    expect(estimate).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(1)
    expect(estimate).toHaveBeenCalledTimes(1)
    expect(seconds(s)).toBe(15) // 150 steps × 0.1 s, two runs on two workers
  })

  it('is asked again only when something that decides the time changed', async () => {
    const s = useExperimentStore()
    await s.load()
    await settle(ESTIMATE_DELAY_MS)
    s.edit('name', 'renamed')
    s.edit('seed', 7)
    s.edit('runs[0].label', 'bp')
    await settle(CHECK_DELAY_MS + ESTIMATE_DELAY_MS)
    expect(estimate).toHaveBeenCalledTimes(1)
    expect(s.estimate.state === 'done' && s.estimate.estimate.runs[0].label).toBe('bp') // the new name, the old timing
    s.edit('steps', 300)
    await settle()
    expect(s.estimate.state).toBe('waiting')
    await settle(ESTIMATE_DELAY_MS)
    expect(estimate).toHaveBeenCalledTimes(2)
    expect(seconds(s)).toBe(30)
    s.edit('steps', 150) // a configuration seen before: its estimate at once
    await settle()
    expect(seconds(s)).toBe(15)
    expect(estimate).toHaveBeenCalledTimes(2)
  })

  it('shows only the answer for the configuration on screen', async () => {
    const s = useExperimentStore()
    let release!: () => void
    estimate.mockImplementationOnce((raw) => new Promise((r) => (release = () => r(fakeEstimate(raw)))))
    await s.load()
    await settle(ESTIMATE_DELAY_MS) // asked for 150 steps, slow
    s.edit('steps', 40)
    await settle(CHECK_DELAY_MS + ESTIMATE_DELAY_MS) // asked for 40 steps, answered at once
    release()
    await vi.advanceTimersByTimeAsync(0)
    expect(seconds(s)).toBe(4)
  })

  it('says why it failed, and nothing for an invalid draft', async () => {
    estimate.mockRejectedValueOnce(new Error("Error invoking remote method 'experiments:estimate': Error: worker died"))
    const s = useExperimentStore()
    await s.load()
    await settle(ESTIMATE_DELAY_MS)
    expect(s.estimate).toEqual({ state: 'failed', errors: [{ path: '', message: 'worker died' }] })
    s.edit('data.shots', 0)
    await settle()
    expect(s.estimate.state).toBe('none')
  })

  it('with requested formats, names the devices that lack them (from the nearest plan)', async () => {
    const s = useExperimentStore()
    await s.load()
    s.toggleProfile('mcu', true)
    s.toggleProfile('npu', true)
    await settle()
    expect(s.lacking).toBeNull() // nearest: the plan itself says what changes
    s.edit('deviceFormats', 'requested')
    await settle()
    expect(check.mock.calls.at(-1)![0]).toMatchObject({ deviceFormats: 'nearest', profiles: ['mcu', 'npu'] })
    expect([...s.lacking!.entries()].map(([run, groups]) => [run, groups.map((g) => g.devices)])).toEqual([[0, [['npu']]], [1, [['npu']]]])
    s.edit('data.shots', 0)
    await settle()
    expect(s.lacking).toBeNull()
  })
})
