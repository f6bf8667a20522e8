// The headless CLI's front door: `lastmile <command> …` (run, sweep, report, results, profiles, calibrate, help),
// each command with --help. Built by electron-vite as an extra main entry (out/main/cli.js); cli/bin.mjs launches it.
import { formatProfiles } from './report'
import { oneLine } from './errors'

const USAGE = `usage:
  lastmile run [spec.json] [--out DIR] [--seed N] [--profile ID[,ID…]] [--workers N] [--save-weights] [--quiet]
      runs an experiment (the built-in default experiment without spec.json) and writes
      DIR/spec.json, DIR/metrics.jsonl and DIR/summary.json (DIR defaults to experiments/<time>-<name>)
      --workers N      runs at once, each in its own worker thread (default: one per core; 0 = in-process)
      --save-weights   also write each run's trained integer weights to DIR/weights/
      --profile ID     price every step on these hardware profiles (see: lastmile profiles)
  lastmile results [--out docs/results.md] [--seeds N] [--workers N] [--quick]
      runs the experiments behind the research notes' four findings (fixed seeds, several minutes)
      and writes what the studio measured, with a verdict per finding
  lastmile profiles
      lists the hardware presets with their key figures
  lastmile sweep [spec.json] [--out DIR] [--workers N] [--shard i/n]
      runs a sweep (the built-in default sweep without spec.json): devices × format settings × runs × seeds;
      --shard i/n runs every n-th training, for batch schedulers (docs/batch/)
  lastmile report DIR... [--out DIR]
      merges sweep folders (shards) and writes the device-selection report: report.html, report.pdf,
      trials.csv, report.json
  lastmile calibrate [--out docs/calibration.md]
      predicts MLPerf Tiny inference on the presets and compares with public measurements
  lastmile help
  every command takes --help`

/** Usage of the commands whose own parser has no --help (run, sweep and report print theirs). */
const HELP: Record<string, string> = {
  results: 'usage: lastmile results [--out docs/results.md] [--seeds N] [--workers N] [--quick]\n  runs the experiments behind the research notes\' four findings on cnn-mnist-pooled for seeds 1..N (default 3; about half an hour) and writes what the studio measured, mean ± sd over seeds; --quick divides every step count by 30 (a smoke test, marked as such)',
  profiles: 'usage: lastmile profiles\n  lists the hardware presets with their key figures and the number formats each device runs',
  calibrate: 'usage: lastmile calibrate [--out docs/calibration.md]\n  predicts MLPerf Tiny inference on the presets and compares with public measurements',
}

export async function main(argv: string[]): Promise<number> {
  try {
    return await dispatch(argv)
  } catch (e) {
    // anything no command caught: one line, never a stack trace
    console.error(`lastmile: ${oneLine(e)}`)
    if (process.env.LASTMILE_DEBUG) console.error((e as Error).stack)
    return 1
  }
}

async function dispatch(argv: string[]): Promise<number> {
  const [command, ...rest] = argv
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    console.log(USAGE)
    return command ? 0 : 2
  }
  if (Object.hasOwn(HELP, command) && (rest.includes('--help') || rest.includes('-h'))) { console.log(HELP[command]); return 0 }
  if (command === 'results') return (await import('./results')).results(rest)
  if (command === 'profiles') {
    if (rest.length) { console.error(`lastmile profiles: takes no arguments, got ${rest.map((a) => JSON.stringify(a)).join(' ')}\n${HELP.profiles}`); return 2 }
    console.log(formatProfiles())
    return 0
  }
  if (command === 'calibrate') return (await import('./calibrate')).calibrate(rest)
  if (command === 'sweep') return (await import('./sweep')).sweep(rest)
  if (command === 'report') return (await import('./sweep-report')).report(rest)
  if (command !== 'run') {
    console.error(`lastmile: unknown command "${command}"\n${USAGE}`)
    return 2
  }
  return (await import('./run')).run(rest)
}
