/**
 * Repeats a request while it fails in a retriable way: exponential backoff from `initialMs` doubling
 * up to `maxMs`, except that a Retry-After from the endpoint is waited as given. Returns the last
 * outcome (ok, refused, or retriable with the retries used up) for the caller to judge.
 */
import type { Clock, Logger } from '../../core/runtime/plugin.ts'
import type { RequestOutcome } from './http-request.ts'

export interface RetryPolicy {
  /** Retries after the first attempt. */
  readonly retries: number
  readonly initialMs: number
  readonly maxMs: number
  readonly clock: Clock
  readonly signal: AbortSignal
  readonly logger: Logger
  /** Whether a failure deserves another try; by default the ones the request marked retriable. */
  readonly shouldRetry?: (status: number, retriable: boolean) => boolean
}

export async function withRequestRetry(attempt: () => Promise<RequestOutcome>, policy: RetryPolicy): Promise<RequestOutcome> {
  let delayMs = policy.initialMs
  for (let retry = 0; ; retry++) {
    const outcome = await attempt()
    if (outcome.ok) return outcome
    const { failure } = outcome
    const worthRetrying = policy.shouldRetry?.(failure.status, failure.retriable) ?? failure.retriable
    if (!worthRetrying || retry >= policy.retries) return outcome
    const waitMs = failure.retryAfterMs ?? delayMs
    policy.logger.warn(
      { status: failure.status, retry: retry + 1, of: policy.retries, waitMs, reason: failure.message },
      'http request failed; retrying',
    )
    await policy.clock.sleep(waitMs, policy.signal)
    delayMs = Math.min(delayMs * 2, policy.maxMs)
  }
}
