// The Devices store against a fake window.api (node env, no DOM): validation goes through checkProfile,
// and an invalid draft never reaches saveProfile.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import type { FieldError, ProfileCheck, ProfileEntry, StudioApi } from '../../api/bridge'
import { CHECK_DEBOUNCE_MS, useProfilesStore } from './store'
import { keyFigures, profileEnums } from '../../../../simulators/hardware/profiles/figures'

const preset = {
  schemaVersion: 1, id: 'chip', name: 'Chip', class: 'mcu', costModel: 'mcu-simd', clockMHz: 80,
  formats: { weightBits: [8], activationBits: [8], gradientBits: [8], accumulatorBits: [32], rounding: ['half-away'] },
  compute: { macsPerCycleByBits: { '8': 1 } },
  memory: { sram: { sizeKiB: 256, bytesPerCycle: 4, latencyCycles: 0, readPjPerByte: 1, writePjPerByte: 1 }, weightsIn: 'sram' },
  operations: { backwardInput: 'native', backwardWeight: 'native', update: 'native', rng: 'native' },
  energy: { macPjByBits: { '8': 0.2 }, elementOpPj: 0.1, staticMw: 1 },
  sources: { clockMHz: 'a', formats: 'b', compute: 'c', memory: 'd', energy: 'e' },
}

/** A main process in miniature: clockMHz must be positive; structuredClone, as IPC, refuses Vue proxies. */
function fakeApi() {
  const users = new Map<string, Record<string, unknown>>()
  const check = (raw: Record<string, unknown>): ProfileCheck => {
    const errors: FieldError[] = []
    if (!(typeof raw.clockMHz === 'number' && raw.clockMHz > 0)) errors.push({ path: 'clockMHz', message: `must be at least 0.001, got ${JSON.stringify(raw.clockMHz)}` })
    if (!('energy' in raw)) errors.push({ path: 'energy', message: 'is required' })
    return errors.length ? { ok: false, errors } : { ok: true, profile: raw as never }
  }
  const api = {
    listProfiles: vi.fn(async (): Promise<ProfileEntry[]> => structuredClone([
      { profile: preset as never, origin: 'preset' as const, figures: keyFigures(preset as never) },
      ...[...users.values()].map((p) => ({ profile: p as never, origin: 'user' as const, figures: keyFigures(p as never) })),
    ])),
    getProfileCatalog: vi.fn(async () => profileEnums()),
    checkProfile: vi.fn(async (raw: unknown) => check(structuredClone(raw) as Record<string, unknown>)),
    saveProfile: vi.fn(async (raw: unknown) => {
      const doc = structuredClone(raw) as Record<string, unknown>
      const r = check(doc)
      if (r.ok) users.set(String(doc.id), doc)
      return r
    }),
    deleteProfile: vi.fn(async (id: string) => void users.delete(id)),
  }
  return { api, users }
}

let fake: ReturnType<typeof fakeApi>

beforeEach(() => {
  fake = fakeApi()
  vi.stubGlobal('window', { api: fake.api as unknown as StudioApi })
  setActivePinia(createPinia())
})
afterEach(() => {
  vi.unstubAllGlobals()
  vi.useRealTimers()
})

const field = (path: string) => useProfilesStore().fields.find((f) => f.path === path)!

async function duplicatedDraft() {
  const store = useProfilesStore()
  await store.load()
  store.open('chip')
  store.duplicate()
  await store.runCheck()
  return store
}

describe('profiles store', () => {
  it('opens a preset read-only: no checks, no save', async () => {
    const store = useProfilesStore()
    await store.load()
    expect(store.entries.map((e) => e.profile.id)).toEqual(['chip'])
    store.open('chip')
    expect(store.readOnly).toBe(true)
    expect(await store.save()).toBe(false)
    store.editField(field('clockMHz'), '1')
    expect(store.draft?.clockMHz).toBe(80)
    expect(fake.api.checkProfile).not.toHaveBeenCalled()
  })

  it('duplicates under <id>-copy as an unsaved draft, and -copy-2 when that is taken', async () => {
    const store = await duplicatedDraft()
    expect(store.session).toMatchObject({ origin: 'draft', savedId: null })
    expect(store.draft).toMatchObject({ id: 'chip-copy', name: 'Chip (copy)' })
    expect(store.dirty).toBe(true)
    expect(await store.save()).toBe(true)
    store.duplicate() // of the saved copy
    expect(store.draftId).toBe('chip-copy-copy')
    store.open('chip')
    store.duplicate()
    expect(store.draftId).toBe('chip-copy-2')
  })

  it('shows errors at their field and never saves an invalid draft', async () => {
    const store = await duplicatedDraft()
    store.editField(field('clockMHz'), '-1')
    await store.runCheck()
    expect(store.assignment.byField.get('clockMHz')).toEqual(['must be at least 0.001, got -1'])
    expect(await store.save()).toBe(false)
    expect(store.status).toEqual({ text: 'Not saved: 1 error', kind: 'error' })
    expect(store.showAllErrors).toBe(true)
    expect(fake.api.saveProfile).not.toHaveBeenCalled()
    expect(fake.users.size).toBe(0)

    store.editField(field('clockMHz'), '120')
    expect(store.status).toBeNull()
    expect(await store.save()).toBe(true)
    expect(fake.api.saveProfile).toHaveBeenCalledTimes(1)
    expect(fake.users.get('chip-copy')?.clockMHz).toBe(120)
    expect(store.status).toEqual({ text: 'Saved', kind: 'ok' })
    expect(store.session).toMatchObject({ origin: 'user', savedId: 'chip-copy' })
    expect(store.dirty).toBe(false)
    expect(store.entries.map((e) => [e.profile.id, e.origin])).toEqual([['chip', 'preset'], ['chip-copy', 'user']])
  })

  it('refuses a preset id before asking the main process to save', async () => {
    const store = await duplicatedDraft()
    store.editField(field('id'), 'chip')
    await store.runCheck()
    expect(store.assignment.byField.get('id')).toEqual(['"chip" is a preset; duplicate it under a new id'])
    expect(await store.save()).toBe(false)
    expect(fake.api.saveProfile).not.toHaveBeenCalled()
  })

  it('blocks saving on text the main process cannot see: a bad number, a JSON syntax error', async () => {
    const store = await duplicatedDraft()
    store.editField(field('clockMHz'), '', true)
    expect(store.localErrors).toEqual({ clockMHz: 'enter a number' })
    expect(store.draft?.clockMHz).toBe(80) // the last readable value stays
    expect(await store.save()).toBe(false)
    expect(store.status?.text).toBe('Not saved: 1 error')

    store.editField(field('clockMHz'), '90')
    store.setJsonMode(true)
    store.setJsonText('{ "id": ')
    expect(store.jsonError).not.toBeNull()
    expect(await store.save()).toBe(false)
    expect(store.status?.text).toBe('Not saved: the JSON has a syntax error')
    expect(fake.api.saveProfile).not.toHaveBeenCalled()
  })

  it('applies valid JSON text and re-derives the form from it', async () => {
    const store = await duplicatedDraft()
    const doc = { ...JSON.parse(store.jsonText), clockMHz: 99, extra: { knob: 1 } }
    store.setJsonText(JSON.stringify(doc))
    expect(store.jsonError).toBeNull()
    expect(store.draft?.clockMHz).toBe(99)
    expect(store.fields.some((f) => f.path === 'extra.knob')).toBe(true)
  })

  it('reverts to the document as opened', async () => {
    const store = await duplicatedDraft()
    store.editField(field('memory.sram.sizeKiB'), '512')
    expect(store.changed).toBe(true)
    store.revert()
    expect(store.changed).toBe(false)
    expect((store.draft?.memory as { sram: { sizeKiB: number } }).sram.sizeKiB).toBe(256)
    expect(store.buffers).toEqual({})
  })

  it('debounces checks while typing', async () => {
    vi.useFakeTimers()
    const store = await duplicatedDraft()
    fake.api.checkProfile.mockClear()
    for (const v of ['1', '12', '120']) store.editField(field('clockMHz'), v)
    expect(fake.api.checkProfile).not.toHaveBeenCalled()
    await vi.advanceTimersByTimeAsync(CHECK_DEBOUNCE_MS + 1)
    expect(fake.api.checkProfile).toHaveBeenCalledTimes(1)
    expect((fake.api.checkProfile.mock.calls[0][0] as { clockMHz: number }).clockMHz).toBe(120)
  })

  it('imports a JSON file as a draft, or says why not', async () => {
    const store = useProfilesStore()
    await store.load()
    expect(store.importText('{oops', 'bad.json')).toMatch(/^bad\.json is not valid JSON/)
    expect(store.importText('[1]', 'list.json')).toBe('list.json does not hold a profile (a JSON object)')
    expect(store.session).toBeNull()
    expect(store.importText(JSON.stringify({ ...preset, id: 'mine', energy: undefined }), 'mine.json')).toBeNull()
    await store.runCheck()
    expect(store.session?.origin).toBe('draft')
    expect(store.assignment.unmatched).toEqual([{ path: 'energy', message: 'is required' }])
  })

  it('deletes a user profile and closes it', async () => {
    const store = await duplicatedDraft()
    await store.save()
    await store.remove('chip-copy')
    expect(fake.api.deleteProfile).toHaveBeenCalledWith('chip-copy')
    expect(store.session).toBeNull()
    expect(store.entries).toHaveLength(1)
  })
})
