// A sweep folder on disk, the same for the CLI (`--out DIR`, one per shard) and the studio
// (<userData>/sweeps/<id>):
//
//   DIR/sweep.json       the sweep spec as given; a folder belongs to one sweep (its fingerprint)
//   DIR/trainings.jsonl  one line per finished training: { key, index, summary }, appended as each ends,
//                        so a killed sweep keeps every training it finished and resumes with the rest
//
// Only a torn last line (the write a kill interrupted) is tolerated; any other bad line is corruption.
import { appendFileSync, existsSync, mkdirSync, readFileSync, truncateSync } from 'node:fs'
import { join } from 'node:path'
import { writeJsonAtomic } from '../fs-atomic'
import { stableJson, type ParsedSweep } from '../../simulators/sweep/trials'
import type { RunSummary } from '../../simulators/experiment/runner'

export interface StoredTraining {
  /** the training's key (trials.ts): what decides its trajectory */
  key: string
  index: number
  summary: RunSummary
}

/** The spec's fingerprint: two folders of one sweep (its shards) hold equal ones. */
export const sweepFingerprint = (spec: unknown): string => stableJson(spec)

export function readSweepSpec(dir: string): unknown {
  const file = join(dir, 'sweep.json')
  if (!existsSync(file)) throw new Error(`${dir} is not a sweep folder (no sweep.json)`)
  return JSON.parse(readFileSync(file, 'utf8'))
}

/** Finished trainings in a folder, in file order; only a torn last line is skipped. */
export function readTrainings(dir: string): StoredTraining[] {
  const file = join(dir, 'trainings.jsonl')
  if (!existsSync(file)) return []
  const lines = readFileSync(file, 'utf8').split('\n')
  if (lines[lines.length - 1] === '') lines.pop()
  const out: StoredTraining[] = []
  lines.forEach((line, i) => {
    try {
      out.push(JSON.parse(line) as StoredTraining)
    } catch {
      if (i !== lines.length - 1) throw new Error(`${file}:${i + 1}: unparsable line (only a torn last line is expected after a kill)`)
    }
  })
  return out
}

/**
 * Opens (or creates) the folder for `raw` (the spec as given): a new folder gets sweep.json; an existing
 * one must hold the same sweep, and its finished trainings are returned so a resumed run skips them.
 */
export function openSweepFolder(dir: string, raw: unknown): { done: Map<string, StoredTraining>; append: (t: StoredTraining) => void } {
  mkdirSync(dir, { recursive: true })
  const file = join(dir, 'sweep.json')
  if (existsSync(file)) {
    if (sweepFingerprint(readSweepSpec(dir)) !== sweepFingerprint(raw)) throw new Error(`${dir} holds a different sweep; use another --out folder`)
  } else writeJsonAtomic(file, raw)
  dropTornTail(join(dir, 'trainings.jsonl'))
  const done = new Map(readTrainings(dir).map((t) => [t.key, t]))
  return {
    done,
    append: (t) => appendFileSync(join(dir, 'trainings.jsonl'), JSON.stringify(t) + '\n'),
  }
}

/** A kill during an append leaves a line without its newline: cut it, so the next append starts a clean line. */
function dropTornTail(file: string): void {
  if (!existsSync(file)) return
  const text = readFileSync(file, 'utf8')
  if (text === '' || text.endsWith('\n')) return
  truncateSync(file, Buffer.byteLength(text.slice(0, text.lastIndexOf('\n') + 1)))
}

/** Every training's summary found in `dirs` (shards of one sweep), by training index of `sweep`. */
export function mergeTrainings(sweep: ParsedSweep, dirs: readonly string[]): Map<number, RunSummary> {
  const byKey = new Map(sweep.trainings.map((t) => [t.key, t.index]))
  const out = new Map<number, RunSummary>()
  for (const dir of dirs) {
    for (const t of readTrainings(dir)) {
      const index = byKey.get(t.key)
      if (index === undefined) throw new Error(`${dir}: a training this sweep does not have (a folder of another sweep?)`)
      out.set(index, t.summary)
    }
  }
  return out
}
