/**
 * kafkajs's admin client runs one call at a time here. Concurrent calls race in its metadata
 * refresh: a call that names a new topic while another call's refresh is in flight may see that
 * refresh's result, which lacks the topic, and fail with an empty partition list. The runtime
 * creates and describes its internal topics concurrently, so it would hit this at every start.
 */
import type { Admin } from 'kafkajs'

const LIFECYCLE = new Set<PropertyKey>(['connect', 'disconnect', 'on', 'logger', 'events'])

export function serialAdmin(admin: Admin): Admin {
  let chain: Promise<unknown> = Promise.resolve()
  return new Proxy(admin, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver)
      if (typeof value !== 'function' || LIFECYCLE.has(property)) return value
      return (...args: unknown[]) => {
        const run = chain.then(() => (value as (...a: unknown[]) => unknown).apply(target, args))
        chain = run.catch(() => undefined) // the caller gets the failure from `run`; the chain only orders the next call
        return run
      }
    },
  })
}
