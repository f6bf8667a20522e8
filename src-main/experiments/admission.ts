// First-come first-served admission of experiments into prepare-and-run (issue 14).
//
// Why: the worker pool is itself FIFO, so if every started experiment submits its prepare job at once, all
// of them prepare (data set, task, graph, pretrained weights: tens of MB each) before any of them trains,
// because an experiment's training jobs are only submitted after its own prepare ends. Twenty queued
// experiments measured 87 → 503 MB resident. With this gate a waiting experiment holds only its parsed
// spec and plan; it is admitted when an admitted one ends, in the order they were started.
export interface Admission {
  /** Resolves true once `key` holds a slot, or false if it was withdrawn while waiting. */
  wait(key: string): Promise<boolean>
  /** Takes a waiting key out of the line (its wait resolves false); false if it was not waiting. */
  withdraw(key: string): boolean
  /** Frees the slot of an admitted key and admits the next in line; a key not admitted is ignored. */
  release(key: string): void
  admitted(): number
  waiting(): number
}

export function createAdmission(slots: number): Admission {
  if (!Number.isInteger(slots) || slots < 1) throw new Error(`admission slots must be a positive integer, got ${slots}`)
  const holders = new Set<string>()
  const line: { key: string; admit: (ok: boolean) => void }[] = []
  const next = () => {
    while (holders.size < slots && line.length) {
      const w = line.shift()!
      holders.add(w.key)
      w.admit(true)
    }
  }
  return {
    wait: (key) => new Promise<boolean>((admit) => { line.push({ key, admit }); next() }),
    withdraw(key) {
      const i = line.findIndex((w) => w.key === key)
      if (i < 0) return false
      line.splice(i, 1)[0].admit(false)
      return true
    },
    release(key) { if (holders.delete(key)) next() },
    admitted: () => holders.size,
    waiting: () => line.length,
  }
}
