/**
 * Which of a postgres-cdc task's connections were lost: a dropped connection (a server restart) is
 * noted as it drops and surfaces at the next poll, so the task restarts.
 */
import type pg from 'pg'
import type { SourceTaskContext } from '../../../core/runtime/plugin.ts'
import type { PostgresSourceConfig } from './config.ts'
import { sourceError } from './source-errors.ts'

/** Which connections were lost, noted as they drop. */
export class ConnectionLoss {
  private readonly context: SourceTaskContext<PostgresSourceConfig>
  private connectionLost: Error | undefined
  /** The admin connection only reports the slot: while the stream lives, losing it can wait. */
  private adminLost: Error | undefined

  constructor(context: SourceTaskContext<PostgresSourceConfig>) {
    this.context = context
  }

  get adminAlive(): boolean {
    return this.adminLost === undefined
  }

  /** The client, with its loss noted as the admin connection's or as a reading one's. */
  watched(client: pg.Client, role: 'admin' | 'snapshot'): pg.Client {
    client.on('error', (error) => {
      if (role === 'admin') this.adminLost ??= error
      else this.connectionLost ??= error
      this.context.logger.warn({ err: error }, 'postgres connection lost')
    })
    return client
  }

  /**
   * Throws for a lost connection. Streaming goes on without the admin connection (a server shutting
   * down ends ordinary sessions first and waits for the stream to confirm its last position);
   * anything else starts over.
   */
  check(streaming: boolean): void {
    if (this.connectionLost !== undefined) throw sourceError('lost the connection to the database', this.connectionLost)
    if (this.adminLost !== undefined && !streaming) throw sourceError('lost the connection to the database', this.adminLost)
  }
}
