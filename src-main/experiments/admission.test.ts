// The admission gate alone: fast-check drives random start/withdraw/release sequences (fixed seed) against a
// plain model (a list in start order, the first `slots` not withdrawn or released are admitted).
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { createAdmission } from './admission'

describe('admission', () => {
  it('admits at most `slots` keys, first come first served; withdrawn keys are never admitted', async () => {
    const op = fc.oneof(fc.constant({ t: 'wait' as const }), fc.record({ t: fc.constantFrom('withdraw' as const, 'release' as const), k: fc.nat(30) }))
    await fc.assert(fc.asyncProperty(fc.integer({ min: 1, max: 4 }), fc.array(op, { maxLength: 40 }), async (slots, ops) => {
      const gate = createAdmission(slots)
      const outcome = new Map<string, boolean>()
      const order: string[] = []
      // the model: keys waiting in order, keys holding a slot
      let line: string[] = []
      const holding = new Set<string>()
      const modelOrder: string[] = []
      const admitModel = () => { while (holding.size < slots && line.length) { const k = line.shift()!; holding.add(k); modelOrder.push(k) } }
      let n = 0
      for (const o of ops) {
        if (o.t === 'wait') {
          const k = `k${n++}`
          void gate.wait(k).then((ok) => { outcome.set(k, ok); if (ok) order.push(k) })
          line.push(k); admitModel()
        } else if (o.t === 'withdraw') {
          const k = `k${o.k}`
          expect(gate.withdraw(k)).toBe(line.includes(k))
          line = line.filter((x) => x !== k)
        } else {
          const k = `k${o.k}`
          gate.release(k)
          if (holding.delete(k)) admitModel()
        }
        await Promise.resolve()
        expect(gate.admitted()).toBe(holding.size)
        expect(gate.waiting()).toBe(line.length)
        expect(gate.admitted()).toBeLessThanOrEqual(slots)
      }
      await Promise.resolve()
      expect(order).toEqual(modelOrder)
    }), { seed: 14, numRuns: 200 })
  })

  it('refuses a slot count that is not a positive integer, naming it', () => {
    expect(() => createAdmission(0)).toThrow('admission slots must be a positive integer, got 0')
    expect(() => createAdmission(1.5)).toThrow(/got 1.5/)
  })
})
