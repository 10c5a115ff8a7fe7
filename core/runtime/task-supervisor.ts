/**
 * Runs one task and keeps it running: a failure restarts it after an exponential backoff
 * (`restart.backoff.ms` doubling to `restart.backoff.max.ms`), up to `restart.max.attempts` times in a
 * row, then leaves it FAILED with the error's trace until an operator restarts it. Kafka Connect leaves
 * every failed task to an operator; most failures (a database restart, a network blip) heal alone.
 * A source whose stored position is gone from its system (TRB_SOURCE_POSITION_LOST) is left FAILED
 * at once: no restart can bring the changes back. So is a task that fails with TRB_TASK_FAILED (a
 * record refused under `errors.tolerance: none`, a non-retriable error from a sink's put()): the same
 * records would come again after a restart and fail the same way, as Kafka Connect kills such a task.
 */
import type { Clock } from '../clock.ts'
import { TributaryError, isTributaryError } from '../errors.ts'
import type { Logger } from '../logger.ts'
import { PauseGate } from './pause-gate.ts'
import { restartDelayMs } from './retry.ts'
import { maskText } from '../secrets.ts'
import type { ConnectorState } from './status-store.ts'

export interface RestartPolicy {
  readonly maxAttempts: number
  readonly initialMs: number
  readonly maxMs: number
}

export interface TaskStatus {
  readonly id: number
  readonly state: ConnectorState
  readonly trace: string | undefined
  /** Automatic restarts since the task last ran healthy. */
  readonly restarts: number
}

/** Runs the task until the signal aborts (resolve) or it fails (reject); pauses at the gate. */
export type TaskBody = (signal: AbortSignal, gate: PauseGate, markRunning: () => void) => Promise<void>

export class TaskSupervisor {
  readonly id: number
  private readonly body: TaskBody
  private readonly policy: RestartPolicy
  private readonly clock: Clock
  private readonly logger: Logger
  private readonly onChange: (status: TaskStatus) => void
  readonly gate = new PauseGate()
  private state: ConnectorState = 'UNASSIGNED'
  private trace: string | undefined
  private restarts = 0
  private stopController: AbortController | undefined
  private loop: Promise<void> | undefined

  constructor(options: {
    id: number
    body: TaskBody
    policy: RestartPolicy
    clock: Clock
    logger: Logger
    onChange: (status: TaskStatus) => void
  }) {
    this.id = options.id
    this.body = options.body
    this.policy = options.policy
    this.clock = options.clock
    this.logger = options.logger
    this.onChange = options.onChange
  }

  status(): TaskStatus {
    return { id: this.id, state: this.state, trace: this.trace, restarts: this.restarts }
  }

  start(paused: boolean): void {
    if (this.loop !== undefined) return
    if (paused) this.gate.pause()
    else this.gate.resume()
    this.restarts = 0
    const controller = new AbortController()
    this.stopController = controller
    this.loop = this.supervise(controller.signal)
  }

  pause(): void {
    this.gate.pause()
    if (this.state === 'RUNNING') this.setState('PAUSED')
  }

  resume(): void {
    this.gate.resume()
    if (this.state === 'PAUSED') this.setState('RUNNING')
  }

  /** Stops the task and waits until it has flushed and closed. */
  async stop(): Promise<void> {
    this.stopController?.abort(new Error('task stopping'))
    await this.loop
    this.loop = undefined
    this.stopController = undefined
  }

  /** An operator's restart: stops, clears the failure and the attempt count, starts again. */
  async restart(): Promise<void> {
    const paused = this.gate.isPaused
    this.setState('RESTARTING')
    await this.stop()
    this.trace = undefined
    this.start(paused)
  }

  private async supervise(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const startedAt = this.clock.now()
      try {
        await this.body(signal, this.gate, () => this.setState(this.gate.isPaused ? 'PAUSED' : 'RUNNING'))
        return
      } catch (error) {
        if (signal.aborted) return
        // A task that ran healthy for a while before failing starts its restart count afresh.
        if (this.clock.now() - startedAt > this.policy.maxMs) this.restarts = 0
        this.trace = errorTrace(error)
        // A source whose position is gone, or a task the same records would fail again, fails for good.
        if (
          this.restarts >= this.policy.maxAttempts ||
          isTributaryError(error, 'TRB_SOURCE_POSITION_LOST') ||
          isTributaryError(error, 'TRB_TASK_FAILED')
        ) {
          this.logger.error({ err: error, task: this.id, restarts: this.restarts }, 'task failed; not restarting it')
          this.setState('FAILED')
          return
        }
        this.restarts++
        const delayMs = restartDelayMs(this.restarts, this.policy.initialMs, this.policy.maxMs)
        this.logger.warn({ err: error, task: this.id, attempt: this.restarts, delayMs }, 'task failed; restarting after backoff')
        this.setState('RESTARTING')
        try {
          await this.clock.sleep(delayMs, signal)
        } catch {
          return
        }
      }
    }
  }

  private setState(state: ConnectorState): void {
    // A task that runs again shows no trace, as in Kafka Connect; the log keeps the old failure.
    if (state === 'RUNNING' || state === 'PAUSED') this.trace = undefined
    this.state = state
    this.onChange(this.status())
  }
}

/** An error that leaves the task FAILED at once, without automatic restarts; `cause` keeps the reason. */
export function unrecoverable(message: string, cause: unknown): TributaryError {
  return new TributaryError('TRB_TASK_FAILED', message, { cause })
}

export function errorTrace(error: unknown): string {
  // A driver's message may quote its connection string: the trace is shown by REST and stored in a topic.
  return maskText(rawTrace(error))
}

function rawTrace(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  const code = (error as { code?: unknown }).code
  const head = typeof code === 'string' ? `${code}: ` : ''
  const cause = error.cause instanceof Error ? `\nCaused by: ${rawTrace(error.cause)}` : ''
  return `${head}${error.stack ?? error.message}${cause}`
}
