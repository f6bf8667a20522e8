// Writing a JSON file so that readers, and a later crash or power cut, see either the old content or the new,
// never a mix: write a uniquely named temp file next to it, fsync it, rename it over the target.
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs'
import { randomBytes } from 'node:crypto'

export function writeJsonAtomic(file: string, value: unknown): void {
  // a unique temp name: two writers of the same file at once must not write into one temp file
  const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`
  try {
    const fd = openSync(tmp, 'w')
    try {
      writeSync(fd, JSON.stringify(value, null, 2) + '\n')
      fsyncSync(fd) // without it a power cut can leave the renamed file empty on some file systems
    } finally {
      closeSync(fd)
    }
    renameSync(tmp, file)
  } finally {
    rmSync(tmp, { force: true }) // only left behind if something above threw
  }
}
