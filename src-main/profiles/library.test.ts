import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { presets } from '../../simulators/hardware/profiles/library'
import { createProfileLibrary, type ProfileLibrary } from './library'

let root: string
let dir: string
let lib: ProfileLibrary

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'lastmile-profiles-'))
  dir = join(root, 'nested', 'profiles') // created by the library (mkdir -p)
  lib = createProfileLibrary(dir)
})
afterEach(() => rmSync(root, { recursive: true, force: true }))

const PRESET_ID = 'generic-mcu-m4-256k'

/** A valid user profile: a preset under another id and name (a fresh copy each call). */
function userProfile(id: string, name: string): Record<string, unknown> {
  const p = JSON.parse(JSON.stringify(presets().get(PRESET_ID))) as Record<string, unknown>
  return { ...p, id, name }
}

const files = () => readdirSync(dir).sort()

describe('profile library', () => {
  it('lists the presets in preset order, then user profiles sorted by name', () => {
    const presetIds = [...presets().keys()]
    expect(lib.list().map((e) => e.profile.id)).toEqual(presetIds)
    expect(lib.list().every((e) => e.origin === 'preset')).toBe(true)

    expect(lib.save(userProfile('zeta', 'Beta board')).ok).toBe(true)
    expect(lib.save(userProfile('alpha', 'Gamma board')).ok).toBe(true)
    expect(lib.save(userProfile('mid', 'alpha board')).ok).toBe(true)
    const users = lib.list().slice(presetIds.length)
    expect(users.map((e) => [e.profile.id, e.origin])).toEqual([['mid', 'user'], ['zeta', 'user'], ['alpha', 'user']])
    expect(lib.list().length).toBe(presetIds.length + 3)
  })

  it('round trip: save, get, list, overwrite, remove', () => {
    const p = userProfile('my-board.v2', 'My board')
    const r = lib.save(p)
    expect(r).toEqual({ ok: true, profile: p })
    expect(files()).toEqual(['my-board.v2.json']) // no temp file left behind
    expect(JSON.parse(readFileSync(join(dir, 'my-board.v2.json'), 'utf8'))).toEqual(p)
    // figures from the engine: this board's mcu-simd block does 1 MAC per cycle at 8 bits
    expect(lib.get('my-board.v2')).toEqual({ profile: p, origin: 'user', figures: expect.objectContaining({ clockMHz: 80, peakMacs8: 1, sramKiB: 256 }) })

    const changed = { ...p, clockMHz: 123 }
    expect(lib.save(changed).ok).toBe(true)
    expect(lib.get('my-board.v2')?.profile.clockMHz).toBe(123)
    expect(lib.list().filter((e) => e.origin === 'user')).toHaveLength(1)

    lib.remove('my-board.v2')
    expect(files()).toEqual([])
    expect(lib.get('my-board.v2')).toBeUndefined()
  })

  it('stores the document as saved, without parse defaults (so it re-checks cleanly)', () => {
    const p = userProfile('no-latency', 'No latency')
    const memory = p.memory as { sram: Record<string, unknown> }
    delete memory.sram.latencyCycles // optional, defaults to 0, and then needs no source
    expect(lib.save(p).ok).toBe(true)
    const stored = lib.get('no-latency')!.profile
    expect('latencyCycles' in stored.memory.sram).toBe(false)
    expect(lib.check(stored).ok).toBe(true)
  })

  it('does not save an invalid profile, and reports the field path', () => {
    const p = userProfile('bad-sram', 'Bad SRAM')
    ;(p.memory as { sram: { sizeKiB: number } }).sram.sizeKiB = -1
    const r = lib.save(p)
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.errors.map((e) => e.path)).toEqual(['memory.sram.sizeKiB'])
    expect(r.errors[0].message).toMatch(/at least 0/)
    expect(files()).toEqual([])
    expect(lib.get('bad-sram')).toBeUndefined()
  })

  it('an invalid edit leaves the stored profile unchanged', () => {
    const p = userProfile('keep', 'Keep')
    lib.save(p)
    expect(lib.save({ ...p, clockMHz: 'fast' }).ok).toBe(false)
    expect(lib.get('keep')?.profile.clockMHz).toBe(p.clockMHz)
  })

  it('refuses to save under a preset id', () => {
    const r = lib.save(userProfile(PRESET_ID, 'Shadow'))
    expect(r).toEqual({ ok: false, errors: [{ path: 'id', message: `"${PRESET_ID}" is a preset; duplicate it under a new id` }] })
    expect(files()).toEqual([])
    expect(lib.get(PRESET_ID)?.origin).toBe('preset')
  })

  it.each(['../x', 'a/b', 'A-upper', '-lead', '.hidden', 'x'.repeat(65), 'sp ace'])('refuses the id %j in check and save', (id) => {
    const r = lib.save(userProfile(id, 'Bad id'))
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.errors.filter((e) => e.path === 'id')).toHaveLength(1)
    expect(lib.check(userProfile(id, 'Bad id')).ok).toBe(false)
    expect(files()).toEqual([])
    expect(existsSync(join(root, 'nested', 'x.json'))).toBe(false)
  })

  it('accepts a 64-character id, and reports an id error once alongside other errors', () => {
    expect(lib.check(userProfile('a'.repeat(64), 'Long')).ok).toBe(true)
    const r = lib.check({ ...userProfile('../x', 'Two errors'), clockMHz: -5 })
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.errors.map((e) => e.path).sort()).toEqual(['clockMHz', 'id'])
    const empty = lib.check(userProfile('', 'Empty id'))
    if (!empty.ok) expect(empty.errors.filter((e) => e.path === 'id')).toHaveLength(1)
    else expect.unreachable('an empty id must be refused')
  })

  it('user profiles get the physical-limits check: impossible values refused, implausible ones warned', () => {
    const p = userProfile('limits', 'Limits')
    const hot = lib.check({ ...p, energy: { ...(p.energy as object), staticMw: 1e99 } })
    if (hot.ok) expect.unreachable('1e99 mW static power must be refused')
    else expect(hot.errors.map((e) => e.path)).toEqual(['energy.staticMw'])
    const fast = lib.check({ ...p, clockMHz: 3000 })
    if (!fast.ok) expect.unreachable('3 GHz is implausible for an MCU, not impossible')
    else expect(fast.warnings?.map((w) => [w.path, w.limit])).toEqual([['clockMHz', 1000]])
  })

  it('remove refuses presets, unknown and malformed ids without touching the file system', () => {
    writeFileSync(join(root, 'nested', 'x.json'), '{}') // what "../x" would point at
    expect(() => lib.remove('../x')).toThrow(/invalid profile id/)
    expect(() => lib.remove('a/b')).toThrow(/invalid profile id/)
    expect(existsSync(join(root, 'nested', 'x.json'))).toBe(true)
    expect(() => lib.remove(PRESET_ID)).toThrow(`"${PRESET_ID}" is a preset; presets cannot be deleted`)
    expect(() => lib.remove('nobody')).toThrow('there is no user profile "nobody"')
    expect(lib.get('../x')).toBeUndefined()
  })

  it('skips corrupt or invalid files and reports them in problems()', () => {
    lib.save(userProfile('good', 'Good'))
    writeFileSync(join(dir, 'torn.json'), '{"schemaVersion": 1, "id": "to')
    writeFileSync(join(dir, 'invalid.json'), JSON.stringify({ ...userProfile('invalid', 'Invalid'), clockMHz: 0 }))
    writeFileSync(join(dir, 'renamed.json'), JSON.stringify(userProfile('other-id', 'Renamed')))
    writeFileSync(join(dir, `${PRESET_ID}.json`), JSON.stringify(userProfile(PRESET_ID, 'Shadow')))
    writeFileSync(join(dir, 'notes.txt'), 'not a profile')

    expect(lib.list().filter((e) => e.origin === 'user').map((e) => e.profile.id)).toEqual(['good'])
    const problems = lib.problems()
    expect(problems.map((p) => p.file)).toEqual([`${PRESET_ID}.json`, 'invalid.json', 'renamed.json', 'torn.json'])
    expect(problems[0].message).toMatch(/preset/)
    expect(problems[1].message).toMatch(/^invalid profile: clockMHz: must be at least/)
    expect(problems[2].message).toBe('the file name must be "other-id.json", the profile\'s id')
    expect(problems[3].message).toMatch(/^not readable JSON/)
    expect(lib.get('torn')).toBeUndefined()
    // a broken file can still be deleted, which is how it is cleaned up
    lib.remove('torn')
    expect(lib.problems().map((p) => p.file)).not.toContain('torn.json')
  })

  it('resolveRef: presets stay ids, user profiles become whole documents, objects pass through', () => {
    const p = userProfile('mine', 'Mine')
    lib.save(p)
    expect(lib.resolveRef(PRESET_ID)).toBe(PRESET_ID)
    expect(lib.resolveRef('mine')).toEqual(p)
    const inline = { id: 'inline', anything: 1 }
    expect(lib.resolveRef(inline)).toBe(inline)
    expect(() => lib.resolveRef('ghost')).toThrow('unknown hardware profile "ghost"')
    expect(() => lib.resolveRef('../etc/passwd')).toThrow(/unknown hardware profile/)
    writeFileSync(join(dir, 'broken.json'), 'nope')
    expect(() => lib.resolveRef('broken')).toThrow(/user profile "broken" cannot be used: not readable JSON/)
  })
})
