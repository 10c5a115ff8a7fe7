import { describe, expect, it } from 'vitest'
import { BufferBudget, type BudgetHolder } from '../../../../../core/kafka/server/buffer-budget.ts'

function holder(budget: BufferBudget, name: string, closed: string[]): BudgetHolder {
  const h: BudgetHolder = {
    evictForBuffer: () => {
      closed.push(name)
      budget.set(h, 0)
    },
  }
  return h
}

describe("the listener's buffer budget", () => {
  it('over budget, closes the holders whose frame has waited longest until the rest fits', () => {
    const budget = new BufferBudget(100)
    const closed: string[] = []
    const [a, b, c] = ['a', 'b', 'c'].map((name) => holder(budget, name, closed))
    budget.set(a!, 40)
    budget.set(b!, 40)
    // a starts a new frame: it now counts as the newest.
    budget.set(a!, 45, true)
    budget.set(c!, 30)
    expect(closed).toEqual(['b'])
    expect(budget.bufferedBytes).toBe(75)
    expect(budget.peakBytes).toBe(115)
  })

  it('forgets a holder that does not give its bytes back, so it never loops', () => {
    const budget = new BufferBudget(10)
    const stubborn: BudgetHolder = { evictForBuffer: () => undefined }
    budget.set(stubborn, 50)
    expect(budget.bufferedBytes).toBe(0)
  })
})
