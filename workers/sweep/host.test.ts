// A sweep through the real pool (in-process workers): sharded equals unsharded, trial for trial and bit for
// bit; a killed sweep resumes without recomputing what it finished; a folder of another sweep is refused.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { afterAll, describe, expect, it } from 'vitest'
import { createWorkerPool } from '../pool'
import { inProcessSpawn } from '../in-process-worker'
import { createWorkerApi } from '../worker-api'
import { runSweep } from './host'
import { mergeTrainings, readTrainings } from './folder'
import { parseSweep } from '../../simulators/sweep/trials'
import { sweepRows } from '../../simulators/sweep/results'
import { TINY_EXPERIMENT, deterministicPart } from '../../simulators/experiment/tiny-experiment'

const RAW = {
  name: 'tiny-sweep', experiment: TINY_EXPERIMENT, devices: ['nrf52840', 'alif-e7-hp'],
  formats: [{ weightBits: 8 }, { weightBits: 16 }], seeds: [7],
}
const root = mkdtempSync(join(tmpdir(), 'lastmile-sweep-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

const parsed = (() => { const r = parseSweep(RAW); if (!r.ok) throw new Error(JSON.stringify(r.errors)); return r })()
const pool = () => createWorkerPool({ size: 1, spawn: inProcessSpawn(() => createWorkerApi(() => performance.now())).spawn })
const run = async (dir: string, shard?: { index: number; count: number }) => {
  const p = pool()
  try {
    return await runSweep(parsed, { pool: p, dir, raw: RAW, shard, now: () => performance.now() })
  } finally {
    await p.dispose()
  }
}
const det = (m: Map<number, unknown>) => [...m].sort(([a], [b]) => a - b).map(([i, s]) => [i, deterministicPart(s as Record<string, unknown>)])

describe('sweep host', () => {
  it('the union of two shards equals the unsharded sweep, bit for bit', async () => {
    // per algorithm: W8 (both devices; the NPU's W16 setting is this training too) and W16 (the MCU only)
    expect(parsed.trainings.length).toBe(4)
    const whole = join(root, 'whole'), a = join(root, 'a'), b = join(root, 'b')
    await run(whole)
    await run(a, { index: 0, count: 2 })
    await run(b, { index: 1, count: 2 })
    expect(readTrainings(a).length + readTrainings(b).length).toBe(parsed.trainings.length)
    const merged = mergeTrainings(parsed, [a, b])
    expect(det(merged)).toEqual(det(mergeTrainings(parsed, [whole])))
    expect(sweepRows(parsed, merged).rows.map((r) => [r.trial, r.device, r.finalAccuracy, r.energyUjPerStep])).toEqual(sweepRows(parsed, mergeTrainings(parsed, [whole])).rows.map((r) => [r.trial, r.device, r.finalAccuracy, r.energyUjPerStep]))
  }, 120_000)

  it('resumes a killed sweep with only what it lacks, and refuses a folder of another sweep', async () => {
    const dir = join(root, 'resume')
    await run(dir)
    const file = join(dir, 'trainings.jsonl')
    const lines = readFileSync(file, 'utf8').trim().split('\n')
    // a kill during the last append: its line torn in half
    writeFileSync(file, lines.slice(0, -1).join('\n') + '\n' + lines.at(-1)!.slice(0, 40))
    const again = await run(dir)
    expect(again.skipped).toBe(lines.length - 1)
    expect(det(mergeTrainings(parsed, [dir]))).toEqual(det(mergeTrainings(parsed, [join(root, 'whole')])))
    const p = pool()
    await expect(runSweep(parsed, { pool: p, dir, raw: { ...RAW, name: 'other' }, now: () => 0 })).rejects.toThrow(/holds a different sweep/)
    await p.dispose()
  }, 120_000)
})
