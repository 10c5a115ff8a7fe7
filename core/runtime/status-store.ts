/**
 * Connector and task states in `_tributary-status`, with Kafka Connect's keys and values:
 * `status-connector-<name>` / `status-task-<name>-<id>` → `{ state, trace, worker_id, generation }`.
 * The worker's live view is in memory; this topic is the record an operator (or a later worker) reads.
 */
import { z } from 'zod'
import type { Log } from '../log/log.ts'
import { CompactedStore, schemaProblem } from '../log/compacted-store.ts'

export type ConnectorState = 'UNASSIGNED' | 'RUNNING' | 'PAUSED' | 'STOPPED' | 'FAILED' | 'RESTARTING'

export interface StatusValue {
  readonly state: ConnectorState
  readonly trace: string | null
  readonly worker_id: string
  readonly generation: number
}

const statusShape = z.object({
  state: z.enum(['UNASSIGNED', 'RUNNING', 'PAUSED', 'STOPPED', 'FAILED', 'RESTARTING']),
  trace: z.string().nullable(),
  worker_id: z.string(),
  generation: z.number(),
})

/** A status record of another key, or of another shape, is skipped. */
function checkStatusRecord(key: string, value: unknown): string | undefined {
  if (!key.startsWith('status-connector-') && !key.startsWith('status-task-'))
    return 'the key is neither status-connector-<name> nor status-task-<name>-<task>'
  return schemaProblem(statusShape, value)
}

export class StatusStore {
  private readonly store: CompactedStore<StatusValue>

  private constructor(store: CompactedStore<StatusValue>) {
    this.store = store
  }

  static async open(log: Log, topic: string): Promise<StatusStore> {
    return new StatusStore(await CompactedStore.open<StatusValue>(log, topic, { check: checkStatusRecord }))
  }

  /** Reads what other workers wrote since the last read; the changed keys. */
  catchUp(options: { maxWaitMs?: number; signal?: AbortSignal } = {}): Promise<string[]> {
    return this.store.catchUp(options)
  }

  connector(name: string): StatusValue | undefined {
    return this.store.get(`status-connector-${name}`)
  }

  task(name: string, id: number): StatusValue | undefined {
    return this.store.get(`status-task-${name}-${id}`)
  }

  putConnector(name: string, status: StatusValue): Promise<void> {
    return this.store.set(`status-connector-${name}`, status)
  }

  putTask(name: string, id: number, status: StatusValue): Promise<void> {
    return this.store.set(`status-task-${name}-${id}`, status)
  }

  /** Forgets a connector and the given tasks (after a delete, or tasks that no longer exist). */
  remove(name: string, taskIds: readonly number[], includeConnector = true): Promise<void> {
    const keys = taskIds.map((id) => [`status-task-${name}-${id}`, undefined] as const)
    return this.store.write(includeConnector ? [[`status-connector-${name}`, undefined], ...keys] : keys)
  }
}
