/**
 * The Node version this project declares must be what its dependencies need (issue 14: npm warned that Electron
 * needs Node >= 22.12 while package.json declared >= 20.19). Two figures, read from the lockfile rather than typed:
 * - `engines.node` in package.json (and the lockfile's root entry) is the strictest lower bound over every installed
 *   package: the Node that `npm ci && npm start` needs;
 * - `.ci/run`'s TEST_NODE_MIN is the strictest lower bound over the packages the tests run, i.e. all but Electron's
 *   launcher and its downloader, which only `npm start` loads.
 * The README states both.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = join(import.meta.dirname, '..')
const read = (file: string) => readFileSync(join(root, file), 'utf8')

type Version = [number, number, number]
const compare = (a: Version, b: Version) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]

/** The lowest Node version a semver range admits ("^20.19.0 || >=22.12.0" → 20.19.0; "*" → 0.0.0). */
export function lowerBound(range: string): Version {
  const alternatives = range.split('||').map((alt) => {
    const m = alt.trim().match(/^(?:>=|\^|~|>)?\s*(\d+)(?:\.(\d+|x|\*))?(?:\.(\d+|x|\*))?/)
    if (!m) return [0, 0, 0] as Version
    const n = (s: string | undefined) => (s === undefined || s === 'x' || s === '*' ? 0 : Number(s))
    return [Number(m[1]), n(m[2]), n(m[3])] as Version
  })
  return alternatives.sort(compare)[0]
}

/** packages only `npm start` loads: Electron's launcher and the downloader it calls on first start */
const START_ONLY = new Set(['electron', '@electron/get', '@electron-internal/extract-zip'])

interface LockPackage {
  engines?: { node?: string }
  optional?: boolean
}
const lock = JSON.parse(read('package-lock.json')) as { packages: Record<string, LockPackage> }
const installed = Object.entries(lock.packages)
  .filter(([path, p]) => path !== '' && !p.optional && typeof p.engines?.node === 'string')
  .map(([path, p]) => ({ name: path.replace(/^.*node_modules\//, ''), bound: lowerBound(p.engines!.node!) }))
const strictest = (list: typeof installed) => list.map((p) => p.bound).sort(compare).at(-1)!
const show = (v: Version) => `${v[0]}.${v[1]}`

describe('declared Node versions', () => {
  it('reads semver ranges the way npm does for their lower bound', () => {
    expect(lowerBound('^20.19.0 || >=22.12.0')).toEqual([20, 19, 0])
    expect(lowerBound('>= 22.12.0')).toEqual([22, 12, 0])
    expect(lowerBound('20 || >=22')).toEqual([20, 0, 0])
    expect(lowerBound('*')).toEqual([0, 0, 0])
  })

  it('engines.node is the strictest lower bound of every installed package, in package.json and the lockfile', () => {
    const need = show(strictest(installed))
    const declared = JSON.parse(read('package.json')).engines.node as string
    expect(show(lowerBound(declared))).toBe(need)
    expect(show(lowerBound(lock.packages[''].engines!.node!))).toBe(need)
    expect(read('README.md')).toContain(`Node: **${need} or newer**`)
  })

  it(".ci/run's test floor is the strictest lower bound of what the tests load (all but Electron's launcher)", () => {
    const need = show(strictest(installed.filter((p) => !START_ONLY.has(p.name))))
    expect(read('.ci/run')).toMatch(new RegExp(`^TEST_NODE_MIN=${need.replace('.', '\\.')}$`, 'm'))
    expect(read('README.md')).toContain(`**Node ${need} or newer**`)
    // and the launcher really is the stricter part: otherwise the two figures would be one
    expect(compare(strictest(installed), strictest(installed.filter((p) => !START_ONLY.has(p.name))))).toBeGreaterThan(0)
  })
})
