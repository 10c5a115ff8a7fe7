/**
 * Retries an operation that failed with a retriable error, with exponential backoff (100 ms doubling
 * up to `maxDelayMs`) for at most `timeoutMs` (-1: until stopped; 0: no retry), as Kafka Connect's
 * `errors.retry.timeout` and `errors.retry.delay.max.ms` do. Non-retriable errors pass through at once.
 */
import type { Clock } from '../clock.ts'
import { isTributaryError, type TributaryError } from '../errors.ts'
import type { Logger } from '../logger.ts'
import type { ConnectorSettings } from './connector-settings.ts'

export interface RetryPolicy {
  readonly timeoutMs: number
  readonly maxDelayMs: number
  readonly clock: Clock
  readonly signal: AbortSignal
  readonly onRetry?: (error: unknown, attempt: number, delayMs: number) => void
}

/**
 * A task's policy from its connector's `errors.retry.*` settings; every retry is logged at warn, so
 * that what a task rides out (a broker failover, a database restart) is seen.
 */
export function retryPolicyOf(
  run: {
    readonly settings: Pick<ConnectorSettings, 'errors.retry.timeout' | 'errors.retry.delay.max.ms'>
    readonly clock: Clock
    readonly logger: Logger
  },
  signal: AbortSignal,
): RetryPolicy {
  return {
    timeoutMs: run.settings['errors.retry.timeout'],
    maxDelayMs: run.settings['errors.retry.delay.max.ms'],
    clock: run.clock,
    signal,
    onRetry: (error, attempt, delayMs) =>
      run.logger.warn(
        { err: error, attempt, delayMs },
        `retrying in ${delayMs} ms after a retriable error: ${error instanceof Error ? error.message : String(error)}`,
      ),
  }
}

export function isRetriable(error: unknown): error is TributaryError {
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
