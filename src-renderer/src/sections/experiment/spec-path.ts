// Field paths as the validator spells them (`data.shots`, `runs[1].hyperparameters.lr`): every form field is
// addressed by the path its errors carry, so an error finds its field by string equality.

export type PathKey = string | number

/** `runs[1].scope.layers` → ['runs', 1, 'scope', 'layers']. */
export function parsePath(path: string): PathKey[] {
  const keys: PathKey[] = []
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) keys.push(m[2] !== undefined ? Number(m[2]) : m[1])
  return keys
}

export function getAt(root: unknown, path: string): unknown {
  let cur = root
  for (const k of parsePath(path)) {
    if (typeof cur !== 'object' || cur === null) return undefined
    cur = (cur as Record<PathKey, unknown>)[k]
  }
  return cur
}

/**
 * Sets `path` in `root` in place, creating missing objects (or arrays before a numeric key) on the way;
 * `undefined` deletes the field, so an optional field cleared in the form leaves the spec (and its
 * default applies) instead of being sent as an invalid empty value.
 */
export function setAt(root: Record<string, unknown>, path: string, value: unknown): void {
  const keys = parsePath(path)
  if (keys.length === 0) throw new RangeError('setAt needs a non-empty path')
  let cur: Record<PathKey, unknown> = root
  keys.slice(0, -1).forEach((k, i) => {
    const next = cur[k]
    if (typeof next !== 'object' || next === null) cur[k] = typeof keys[i + 1] === 'number' ? [] : {}
    cur = cur[k] as Record<PathKey, unknown>
  })
  const last = keys[keys.length - 1]
  if (value === undefined) delete cur[last]
  else cur[last] = value
}

/** A DOM id for a field path (`runs[1].lr` → `exp-runs-1-lr`); the testid keeps the path as it is. */
export function fieldId(path: string): string {
  return `exp-${path.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/-+$/, '')}`
}
