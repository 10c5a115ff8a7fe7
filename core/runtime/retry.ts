/**
 * Retries an operation that failed with a retriable error, with exponential backoff (100 ms doubling
 * up to `maxDelayMs`) for at most `timeoutMs` (-1: until stopped; 0: no retry), as Kafka Connect's
 * `errors.retry.timeout` and `errors.retry.delay.max.ms` do. Non-retriable errors pass through at once.
 */
import type { Clock } from '../clock.ts'
import { isTributaryError } from '../errors.ts'

export interface RetryPolicy {
  readonly timeoutMs: number
  readonly maxDelayMs: number
  readonly clock: Clock
  readonly signal: AbortSignal
  readonly onRetry?: (error: unknown, attempt: number, delayMs: number) => void
}

export function isRetriable(error: unknown): boolean {
  return isTributaryError(error) && error.retriable && error.code !== 'TRB_ABORTED'
}

export async function withRetry<T>(operation: () => Promise<T>, policy: RetryPolicy): Promise<T> {
  const deadline = policy.timeoutMs < 0 ? Number.POSITIVE_INFINITY : policy.clock.now() + policy.timeoutMs
  let delayMs = 100
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation()
    } catch (error) {
      if (!isRetriable(error) || policy.signal.aborted) throw error
      const remaining = deadline - policy.clock.now()
      if (remaining <= 0) throw error
      const wait = Math.min(delayMs, policy.maxDelayMs, remaining)
      policy.onRetry?.(error, attempt, wait)
      await policy.clock.sleep(wait, policy.signal)
      delayMs *= 2
    }
  }
}

/** Backoff for the n-th automatic restart (1-based): initial × 2^(n-1), capped. */
export function restartDelayMs(attempt: number, initialMs: number, maxMs: number): number {
  return Math.min(maxMs, initialMs * 2 ** Math.min(attempt - 1, 30))
}
