// `lastmile sweep [spec.json] [--out DIR] [--workers N] [--shard i/n] [--quiet]`: runs a sweep (the built-in
// default sweep without a spec) through the worker pool into a sweep folder, resuming a folder that holds
// the same sweep; `--shard i/n` runs every n-th training (1-based i), for batch schedulers. Merge shard
// folders and write the report with `lastmile report DIR…`.
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { performance } from 'node:perf_hooks'
import { parseSweep } from '../simulators/sweep/trials'
import { DEFAULT_SWEEP } from '../simulators/sweep/spec'
import { runSweep } from '../workers/sweep/host'
import { poolFor } from '../workers/experiment/host'
import { duration } from './duration'
import { folderName } from './errors'

const USAGE = `usage: lastmile sweep [spec.json] [--out DIR] [--workers N] [--shard i/n] [--quiet]
  runs the sweep (the built-in default sweep without spec.json) into DIR (default sweeps/<name>), resuming
  DIR if it holds the same sweep; --shard i/n runs every n-th training (i = 1..n); merge with lastmile report`

/** "2/4" → { index: 1, count: 4 } (0-based index), or an error message. */
export function parseShard(text: string): { index: number; count: number } | string {
  const m = /^(\d+)\/(\d+)$/.exec(text)
  if (!m) return `--shard must look like i/n (e.g. 1/4), got ${JSON.stringify(text)}`
  const i = Number(m[1]), n = Number(m[2])
  if (!(n >= 1 && i >= 1 && i <= n)) return `--shard ${text}: need 1 ≤ i ≤ n`
  return { index: i - 1, count: n }
}

export async function sweep(argv: string[]): Promise<number> {
  let args
  try {
    args = parseArgs({ args: argv, allowPositionals: true, options: { out: { type: 'string' }, workers: { type: 'string' }, shard: { type: 'string' }, quiet: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } })
  } catch (e) {
    console.error(`lastmile sweep: ${(e as Error).message}\n${USAGE}`)
    return 2
  }
  if (args.values.help) { console.log(USAGE); return 0 }
  const [specPath] = args.positionals
  let raw: unknown = DEFAULT_SWEEP
  if (specPath) {
    try {
      raw = JSON.parse(readFileSync(specPath, 'utf8'))
    } catch (e) {
      console.error(`lastmile sweep: cannot read ${specPath}: ${(e as Error).message}`)
      return 2
    }
  }
  const parsed = parseSweep(raw)
  if (!parsed.ok) {
    console.error(`lastmile sweep: ${specPath ?? 'the sweep'} is not valid:`)
    for (const e of parsed.errors) console.error(`  ${e.path || '(document)'}: ${e.message}`)
    return 2
  }
  const shard = args.values.shard === undefined ? undefined : parseShard(args.values.shard)
  if (typeof shard === 'string') { console.error(`lastmile sweep: ${shard}`); return 2 }
  const workers = args.values.workers === undefined ? undefined : Number(args.values.workers)
  if (workers !== undefined && !(Number.isInteger(workers) && workers >= 0)) {
    console.error(`lastmile sweep: --workers must be a non-negative integer, got ${args.values.workers}`)
    return 2
  }
  const name = folderName(parsed.spec.name)
  const out = resolve(args.values.out ?? join('sweeps', shard ? `${name}-shard-${shard.index + 1}-of-${shard.count}` : name))
  const quiet = args.values.quiet === true
  const mine = shard ? Math.ceil((parsed.trainings.length - shard.index) / shard.count) : parsed.trainings.length
  if (!quiet) {
    console.error(`sweep ${parsed.spec.name}: ${parsed.trials.length} trials × ${parsed.profiles.length} devices, ${parsed.trainings.length} distinct trainings${shard ? `; shard ${shard.index + 1}/${shard.count}: ${mine} of them` : ''}`)
  }
  const pool = await poolFor(workers ?? 2)
  try {
    const r = await runSweep(parsed, {
      pool, dir: out, raw, shard, now: () => performance.now(),
      onEvent: (e) => {
        if (quiet || e.type !== 'sweep-progress') return
        const left = e.etaSeconds !== undefined ? `, about ${duration(e.etaSeconds)} left` : ''
        console.error(`  ${e.done}/${e.total} trainings${e.skipped ? ` (${e.skipped} from an earlier run)` : ''}, ${duration(e.elapsedSeconds)}${left}${e.last ? ` — ${e.last}` : ''}`)
      },
    })
    for (const f of r.failed) console.error(`  failed: ${f.training.run.label}: ${f.error}`)
    console.log(`sweep folder: ${out} (${r.trainings.length}/${mine} trainings)`)
    if (!shard) console.log(`report: lastmile report ${out} --out ${out}/report`)
    else console.log(`merge the shards: lastmile report <the ${shard.count} shard folders> --out DIR`)
    return r.failed.length ? 1 : 0
  } catch (e) {
    console.error(`lastmile sweep: ${(e as Error).message}`)
    return 1
  } finally {
    await pool.dispose()
  }
}
