import { describe, expect, it } from 'vitest'
import { IngressRegistry } from '../../../../core/runtime/ingress-registry.ts'

const handler = async () => ({ status: 200, body: { accepted: 0 } })

describe('IngressRegistry.waitFor', () => {
  it('hands over the registration that comes while a request waits, and nothing after it unregisters', async () => {
    const registry = new IngressRegistry()
    const waiting = registry.waitFor('hook', 60_000)
    const unregister = registry.forConnector('hook').register(handler, { maxBodyBytes: 10 })
    expect((await waiting)?.handler).toBe(handler)
    unregister()
    expect(registry.next('hook')).toBeUndefined()
  })

  it('gives up after its timeout, or at once when the caller goes away, leaving no waiter behind', async () => {
    const registry = new IngressRegistry()
    expect(await registry.waitFor('hook', 20)).toBeUndefined()
    const gone = new AbortController()
    const waiting = registry.waitFor('hook', 60_000, gone.signal)
    gone.abort()
    expect(await waiting).toBeUndefined()
    // A registration for another connector wakes no one here.
    const other = registry.waitFor('hook', 30)
    registry.forConnector('elsewhere').register(handler, { maxBodyBytes: 10 })
    expect(await other).toBeUndefined()
  })
})
