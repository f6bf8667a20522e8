// The sweep service end to end in-process: real folder, real pool over in-process comlink channels, real
// trainings of a tiny sweep; the report, the ranking under other constraints, the export (PDF by headless
// Chromium), cancel and resume, and recovery after a kill.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { createWorkerPool } from '../../workers/pool'
import { inProcessSpawn } from '../../workers/in-process-worker'
import { createWorkerApi } from '../../workers/worker-api'
import { readTrainings } from '../../workers/sweep/folder'
import { createSweepService, recoverSweeps } from './service'
import { printToPdfWithChromium } from './pdf'
import { TINY_EXPERIMENT } from '../../simulators/experiment/tiny-experiment'
import type { SweepUpdate } from '../preload/api'

const SWEEP = { name: 'tiny', experiment: TINY_EXPERIMENT, devices: ['nrf52840', 'alif-e7-hp', 'generic-dsp-128'], formats: [{ weightBits: 8 }, { weightBits: 16 }] }
const dirs: string[] = []
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }) })

function setup(opts: { printToPdf?: (html: string) => Promise<Uint8Array> } = {}) {
  const root = mkdtempSync(join(tmpdir(), 'lastmile-sweeps-'))
  dirs.push(root)
  const pool = createWorkerPool({ size: 1, spawn: inProcessSpawn(() => createWorkerApi(() => performance.now())).spawn })
  const updates: SweepUpdate[] = []
  const service = createSweepService({ root, pool, push: (u) => updates.push(u), printToPdf: opts.printToPdf ?? printToPdfWithChromium, studioVersion: 'test' })
  return { root, pool, updates, service, close: async () => { await service.dispose(); await pool.dispose() } }
}

describe('sweep service', () => {
  it('runs a sweep, reports it, re-ranks under other constraints and exports it', async () => {
    const s = setup()
    const check = s.service.check(SWEEP)
    expect(check).toEqual({ ok: true, trials: 4, trainings: expect.any(Number), devices: ['nrf52840', 'alif-e7-hp', 'generic-dsp-128'] })
    const started = s.service.start(SWEEP)
    if (!started.ok) throw new Error(JSON.stringify(started.errors))
    await s.service.settled(started.id)
    const rec = s.service.get(started.id)
    expect(rec.meta.status).toBe('finished')
    expect(rec.report.rows).toHaveLength(4 * 3)
    expect(rec.report.missing).toEqual([])
    expect(s.updates.at(-1)).toMatchObject({ id: started.id, meta: { status: 'finished' }, progress: { done: rec.meta.trainings, total: rec.meta.trainings } })
    // the stored constraints rank by accuracy; asking for energy with a floor re-ranks, the stored spec stays
    const strict = s.service.select(started.id, { minAccuracy: 1, rankBy: 'energy' })
    expect(strict.selection.ranked).toEqual([])
    expect(strict.selection.rejected.every((v) => v.failures.some((f) => f.constraint === 'minAccuracy'))).toBe(true)
    expect(() => s.service.select(started.id, { minAccuracy: 2 })).toThrow(/constraints.minAccuracy/)
    expect(s.service.get(started.id).report.question.constraints.rankBy).toBe('accuracy')
    const out = await s.service.export(started.id, { rankBy: 'energy' })
    expect(out.html).toContain('ranked by energy per adaptation')
    expect(out.csv.split('\r\n')[0]).toMatch(/^trial,training,device/)
    expect(JSON.parse(out.json).rows).toHaveLength(12)
    expect(Buffer.from(out.pdf.subarray(0, 5)).toString('latin1')).toBe('%PDF-')
    expect(s.service.list().map((x) => x.meta.id)).toEqual([started.id])
    s.service.remove(started.id)
    expect(s.service.list()).toEqual([])
    await s.close()
  }, 180_000)

  it('cancel keeps the finished trainings and resume runs only the rest', async () => {
    const s = setup()
    const started = s.service.start(SWEEP)
    if (!started.ok) throw new Error('start')
    // cancel as soon as the first training is in
    await vi.waitFor(() => expect(s.updates.some((u) => u.id === started.id && (u.progress?.done ?? 0) >= 1)).toBe(true), { timeout: 60_000 })
    expect(s.service.cancel(started.id)).toBe(true)
    await s.service.settled(started.id)
    const cancelled = s.service.get(started.id)
    expect(cancelled.meta.status).toBe('cancelled')
    const kept = readTrainings(join(s.root, started.id)).length
    expect(kept).toBeGreaterThanOrEqual(1)
    expect(cancelled.report.missing.length).toBe(cancelled.meta.trainings - kept)
    expect(s.service.resume(started.id)).toBe(true)
    await s.service.settled(started.id)
    const resumed = s.service.get(started.id)
    expect(resumed.meta.status).toBe('finished')
    expect(resumed.report.missing).toEqual([])
    expect(s.updates.filter((u) => u.id === started.id && u.progress).at(-1)!.progress!.skipped).toBe(kept)
    expect(s.service.resume(started.id)).toBe(false) // finished: nothing to do
    await s.close()
  }, 180_000)

  it('a sweep left running by another process is interrupted at startup; bad specs name the field', async () => {
    const s = setup()
    const started = s.service.start({ ...SWEEP, formats: [{ weightBits: 8 }] })
    if (!started.ok) throw new Error('start')
    await s.service.settled(started.id)
    const meta = join(s.root, started.id, 'meta.json')
    writeFileSync(meta, JSON.stringify({ ...JSON.parse(readFileSync(meta, 'utf8')), status: 'running', pid: 999_999_999 }))
    expect(recoverSweeps(s.root)).toEqual([started.id])
    expect(s.service.get(started.id).meta.status).toBe('interrupted')
    expect(s.service.check({ ...SWEEP, devices: ['nope'] })).toMatchObject({ ok: false, errors: [{ path: 'devices[0]' }] })
    expect(s.service.start({ ...SWEEP, formats: [{ weightBits: 1 }] })).toMatchObject({ ok: false, errors: [{ path: 'formats[0].weightBits' }] })
    expect(() => s.service.get('../../etc')).toThrow(/invalid sweep id/)
    await s.close()
  }, 180_000)
})
