/**
 * `postgres-cdc`: change data capture over logical replication (pgoutput; nothing to install on the
 * server). On first start it creates the publication and the slot, reads the tables on the slot's
 * exported snapshot, then streams from the slot's consistent point. The slot is confirmed only up
 * to transactions the log holds durably, so the server keeps every change Tributary still needs.
 */
import {
  TributaryError,
  definePlugin,
  type CommittedRecord,
  type SourceRecord,
  type SourceTaskContext,
} from '../../../core/runtime/plugin.ts'
import { textClient } from './source-catalog.ts'
import { postgresSourceConfig, type PostgresSourceConfig } from './config.ts'
import type { IncrementalSnapshot } from '../snapshot/incremental-snapshot.ts'
import { dropReplicationSlot } from './slot.ts'
import { Connecting } from './source-connecting.ts'
import type { SourceConnection } from './source-connection.ts'
import { Snapshotting } from './source-snapshotting.ts'
import { Streaming, type StreamStart } from './source-streaming.ts'
import { databaseHosts } from '../shared/pinned-url.ts'

/** With snapshot.mode initial_only, once the snapshot is read: nothing more to read. */
class SnapshotOnlyDone {
  readonly kind = 'snapshot-only-done'
  readonly connection: SourceConnection
  /** An incremental snapshot a stored offset left unfinished: opened, never read. */
  private readonly incremental: IncrementalSnapshot | undefined

  constructor(connection: SourceConnection, incremental: IncrementalSnapshot | undefined) {
    this.connection = connection
    this.incremental = incremental
  }

  async stop(): Promise<void> {
    await this.incremental?.close()
    await this.connection.close()
  }
}

/** Before start() and after stop(): nothing open. */
class Stopped {
  readonly kind = 'stopped'

  async stop(): Promise<void> {}
}

/**
 * The task's phases, in order: connecting; snapshotting when a snapshot is to be read; streaming
 * (or, with snapshot.mode initial_only, done); stopped. Each phase holds what it needs and closes
 * it when the task stops.
 */
type PostgresSourcePhase = Connecting | Snapshotting | Streaming | SnapshotOnlyDone | Stopped

class PostgresSourceTask {
  private readonly context: SourceTaskContext<PostgresSourceConfig>
  private phase: PostgresSourcePhase = new Stopped()

  constructor(context: SourceTaskContext<PostgresSourceConfig>) {
    this.context = context
  }

  async start(): Promise<void> {
    const connecting = new Connecting(this.context, postgresSource.version)
    this.phase = connecting
    const { connection, snapshot, streamStart } = await connecting.connect()
    const next =
      snapshot === undefined
        ? afterSnapshot(connection, streamStart)
        : new Snapshotting(connection, snapshot.source, snapshot.release, streamStart)
    // Stopped meanwhile: what connecting opened since is closed too.
    if (this.phase !== connecting) return next.stop()
    this.phase = next
  }

  async poll(signal: AbortSignal): Promise<SourceRecord[]> {
    const { phase } = this
    if (phase.kind === 'connecting' || phase.kind === 'stopped')
      throw new TributaryError('TRB_SOURCE_READ', `polled while ${phase.kind}`, { retriable: false }) // a runtime bug, not the database's
    phase.connection.loss.check(phase.kind === 'streaming' && phase.isStreaming)
    switch (phase.kind) {
      case 'snapshotting': {
        const records = await phase.poll()
        phase.connection.inFlight += records.length
        if (phase.isDone) this.phase = afterSnapshot(phase.connection, phase.streamStart)
        return records
      }
      case 'streaming':
        return phase.poll(signal)
      case 'snapshot-only-done':
        await this.context.clock.sleep(phase.connection.config['poll.max.ms'], signal).catch(() => undefined) // only an abort rejects: the poll ends early, as asked
        return []
    }
  }

  async commit(durable: readonly CommittedRecord[]): Promise<void> {
    const { phase } = this
    if (phase.kind === 'connecting' || phase.kind === 'stopped') return
    phase.connection.inFlight -= durable.length
    if (phase.kind === 'streaming') phase.commit(durable)
  }

  async stop(): Promise<void> {
    const { phase } = this
    this.phase = new Stopped()
    await phase.stop()
  }
}

/** What follows the snapshot (or connecting, when there is none): streaming, or nothing with snapshot.mode initial_only. */
function afterSnapshot(connection: SourceConnection, start: StreamStart): Streaming | SnapshotOnlyDone {
  return connection.config['snapshot.mode'] === 'initial_only'
    ? new SnapshotOnlyDone(connection, start.incremental)
    : new Streaming(connection, start)
}

export const postgresSource = definePlugin({
  kind: 'source',
  name: 'postgres-cdc',
  aliases: ['io.debezium.connector.postgresql.PostgresConnector', 'PostgresConnector'],
  version: '0.1.0',
  description: 'Captures row changes from PostgreSQL by logical replication (pgoutput), with a consistent initial snapshot',
  config: postgresSourceConfig,
  taskConfigs: (config) => [config],
  targets: (config) => ({ hosts: databaseHosts(config.url) }),
  createTask: (context) => new PostgresSourceTask(context),
  async onDeleted(config) {
    const admin = textClient(config.url)
    admin.on('error', () => undefined)
    try {
      await admin.connect()
      await dropReplicationSlot(admin, config.slot)
    } finally {
      await admin.end().catch(() => undefined) // the slot is dropped or the error above says why not; the connection is done either way
    }
  },
})
