/**
 * The arithmetic of the trade-off views, shared by the studio's charts and the report's: Pareto fronts
 * and heat-map cells. Pure and without registries (the window imports it at run time), so the two
 * renderings of one sweep cannot disagree.
 */

/** Indices of the points no other point dominates: better or equal in both, strictly better in one. */
export function paretoFront(points: readonly { x: number; y: number }[], maximizeX: boolean, maximizeY: boolean): Set<number> {
  const sx = maximizeX ? -1 : 1
  const sy = maximizeY ? -1 : 1
  // sort by x (best first), then sweep keeping the best y so far
  const order = points.map((_, i) => i).filter((i) => Number.isFinite(points[i].x) && Number.isFinite(points[i].y))
    .sort((a, b) => sx * (points[a].x - points[b].x) || sy * (points[a].y - points[b].y))
  const front = new Set<number>()
  let bestY = Infinity
  let lastX = NaN, lastY = NaN
  for (const i of order) {
    const y = sy * points[i].y
    if (y < bestY) {
      front.add(i)
      bestY = y
    } else if (points[i].x === lastX && points[i].y === lastY) front.add(i) // duplicates of a front point
    if (front.has(i)) { lastX = points[i].x; lastY = points[i].y }
  }
  return front
}

export interface HeatCell {
  x: number
  y: number
  /** mean of the values falling in the cell, and how many */
  value: number
  count: number
}

/** Means of `value` over (x, y) cells, e.g. accuracy over weight × activation widths. */
export function heatCells<T>(items: readonly T[], x: (t: T) => number, y: (t: T) => number, value: (t: T) => number): HeatCell[] {
  const cells = new Map<string, HeatCell>()
  for (const t of items) {
    const v = value(t)
    if (!Number.isFinite(v)) continue
    const k = `${x(t)}:${y(t)}`
    const c = cells.get(k) ?? { x: x(t), y: y(t), value: 0, count: 0 }
    c.value += v
    c.count++
    cells.set(k, c)
  }
  return [...cells.values()].map((c) => ({ ...c, value: c.value / c.count })).sort((a, b) => a.x - b.x || a.y - b.y)
}
