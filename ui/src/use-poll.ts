/**
 * Runs `poll` now and again after each answer: every `everyMs` while it succeeds, backing off
 * (doubling up to `maxMs`) while it fails, and not at all once the worker wants a token. One poll at
 * a time; `refresh()` polls at once (after an action) without starting a second loop.
 */
import { useEffect, useRef, useState } from 'preact/hooks'
import { ApiError } from './api.ts'

export interface Polling {
  readonly error: ApiError | undefined
  /** Milliseconds until the next try while failing. */
  readonly retryInMs: number | undefined
  refresh(): void
}

export interface PollOptions {
  /** Called once when the worker refuses the token; polling stops. */
  readonly onUnauthorized: () => void
  readonly everyMs?: number
  readonly maxMs?: number
}

export function usePoll(poll: () => Promise<void>, { onUnauthorized, everyMs = 1000, maxMs = 30_000 }: PollOptions): Polling {
  const [error, setError] = useState<ApiError | undefined>(undefined)
  const [retryInMs, setRetryInMs] = useState<number | undefined>(undefined)
  const latest = useRef({ poll, onUnauthorized })
  latest.current = { poll, onUnauthorized }
  const kick = useRef<() => void>(() => {})

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined
    let stopped = false
    let running = false
    let again = false
    let delay = everyMs
    const tick = async () => {
      running = true
      try {
        await latest.current.poll()
        delay = everyMs
        setError(undefined)
        setRetryInMs(undefined)
      } catch (caught) {
        const failure = caught instanceof ApiError ? caught : new ApiError('refused', (caught as Error).message)
        setError(failure)
        if (failure.code === 'unauthorized') {
          stopped = true
          latest.current.onUnauthorized()
        }
        delay = Math.min(delay * 2, maxMs)
        setRetryInMs(delay)
      }
      running = false
      if (stopped) return
      if (again) {
        again = false
        void tick()
      } else timer = setTimeout(() => void tick(), delay)
    }
    kick.current = () => {
      if (stopped) return
      if (running) {
        again = true
        return
      }
      clearTimeout(timer)
      void tick()
    }
    void tick()
    return () => {
      stopped = true
      clearTimeout(timer)
    }
  }, [everyMs, maxMs])

  return { error, retryInMs, refresh: () => kick.current() }
}
