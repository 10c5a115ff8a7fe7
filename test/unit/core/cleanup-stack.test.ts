import { describe, expect, it } from 'vitest'
import { CleanupStack } from '../../../core/cleanup-stack.ts'

describe('CleanupStack', () => {
  it('undoes in reverse order, once, however often it is closed', async () => {
    const stack = new CleanupStack()
    const undone: string[] = []
    stack.defer(() => {
      undone.push('log')
    })
    stack.defer(async () => {
      undone.push('worker')
    })
    stack.defer(() => {
      undone.push('api')
    })
    await Promise.all([stack.close(), stack.close()])
    await stack.close()
    expect(undone).toEqual(['api', 'worker', 'log'])
  })

  it("closes what was opened so far when a step fails, and throws the step's error", async () => {
    const stack = new CleanupStack()
    const undone: string[] = []
    stack.defer(() => {
      undone.push('log')
    })
    const failure = await stack
      .unwindOnError(async () => {
        stack.defer(() => {
          undone.push('worker')
        })
        throw new Error('the port is taken')
      })
      .catch((error: unknown) => error)
    expect((failure as Error).message).toBe('the port is taken')
    expect(undone).toEqual(['worker', 'log'])
  })

  it("returns the step's value and closes nothing when it succeeds", async () => {
    const stack = new CleanupStack()
    let closed = false
    stack.defer(() => {
      closed = true
    })
    expect(await stack.unwindOnError(async () => 42)).toBe(42)
    expect(closed).toBe(false)
  })
})
