import { describe, expect, it } from 'vitest'
import { folderName, oneLine } from './errors'

describe('CLI errors and folder names', () => {
  it('keeps a run folder named after a spec inside its parent', () => {
    for (const name of ['x/../../..', '..', '.', '../etc', 'a\\b', 'con/..', '\0', '', '...hidden', 'a/b/c']) {
      const f = folderName(name)
      expect(f, name).toMatch(/^[\w][\w.-]*$/)
      expect(f, name).not.toContain('..')
      expect(f, name).not.toMatch(/[/\\]/)
    }
    expect(folderName('default-last-mile')).toBe('default-last-mile')
    expect(folderName('x'.repeat(200))).toHaveLength(80)
  })

  it('says an error in one line without its stack', () => {
    const e = new Error('ENOSPC: no space left on device\n    at write (fs.js:1:1)')
    expect(oneLine(e)).toBe('ENOSPC: no space left on device at write (fs.js:1:1)')
    expect(oneLine('plain')).toBe('plain')
    expect(oneLine(new Error('x'.repeat(900)))).toHaveLength(498)
  })
})
