/**
 * `mysql-cdc`: change data capture from the row binlog of MySQL or MariaDB, read as a replica reads
 * it (zongji on mysql2). On first start it reads the captured tables in a consistent snapshot whose
 * binlog position is known, then streams from exactly there. Offsets are binlog file + position of
 * the last complete transaction (plus the records of the next one already stored), so a restart
 * resumes without loss or duplicates. Nothing is kept on the server: the binlog's own retention
 * decides how long a stopped connector can stay away.
 */
import { TributaryError, definePlugin, type SourceRecord, type SourceTaskContext } from '../../../core/runtime/plugin.ts'
import { connectionTargets } from '../shared/connection-target.ts'
import { mysqlSourceConfig, type MysqlSourceConfig } from './config.ts'
import { Heartbeat } from './heartbeat.ts'
import { Connecting } from './source-connecting.ts'
import type { SourceConnection } from './source-connection.ts'
import { sourceError } from './source-errors.ts'
import { Snapshotting } from './source-snapshotting.ts'
import { Streaming, type StreamStart } from './source-streaming.ts'

const VERSION = '0.1.0'

/** With snapshot.mode initial_only, once the snapshot is read (or with none to read): nothing more to read. */
class SnapshotOnlyDone {
  readonly kind = 'snapshot-only-done'
  readonly connection: SourceConnection
  /** The first poll answers at once; later ones wait poll.max.ms. */
  private polled = false

  constructor(connection: SourceConnection) {
    this.connection = connection
  }

  async poll(signal: AbortSignal): Promise<SourceRecord[]> {
    if (!this.polled) {
      this.polled = true
      return []
    }
    const { context, config } = this.connection
    await context.clock.sleep(config['poll.max.ms'], signal).catch(() => undefined) // only an abort rejects: the poll ends early, as asked
    return []
  }

  async stop(): Promise<void> {
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
type MysqlSourcePhase = Connecting | Snapshotting | Streaming | SnapshotOnlyDone | Stopped

class MysqlSourceTask {
  private readonly context: SourceTaskContext<MysqlSourceConfig>
  /** Made with the task, so the first heartbeat is due an interval after it was created. */
  private readonly heartbeat: Heartbeat
  private phase: MysqlSourcePhase = new Stopped()

  constructor(context: SourceTaskContext<MysqlSourceConfig>) {
    this.context = context
    this.heartbeat = new Heartbeat({
      topicPrefix: context.config['topic.heartbeat.prefix'],
      serverName: context.config['topic.prefix'],
      intervalMs: context.config['heartbeat.interval.ms'],
    })
  }

  async start(): Promise<void> {
    const connecting = new Connecting(this.context, VERSION)
    this.phase = connecting
    const { where } = connecting
    let next: Snapshotting | Streaming | SnapshotOnlyDone | undefined
    let streamStart: StreamStart
    try {
      const connected = await connecting.connect()
      streamStart = connected.streamStart
      next =
        connected.snapshot === undefined
          ? this.afterSnapshot(connected.connection, streamStart)
          : new Snapshotting(connected.connection, connected.snapshot, streamStart)
      // Streaming right away: connect now, so a running task is one that reads the binlog.
      if (next.kind === 'streaming') await next.open()
    } catch (error) {
      await connecting.stop()
      await next?.stop()
      throw sourceError(`cannot start capturing from ${where}`, error, { server: where })
    }
    // Stopped meanwhile: what connecting opened since is closed too.
    if (this.phase !== connecting) return next.stop()
    this.phase = next
    this.context.logger.info(
      { server: where, file: streamStart.from.file, pos: streamStart.from.pos, snapshot: next.kind === 'snapshotting' },
      'mysql source started',
    )
  }

  async poll(signal: AbortSignal): Promise<SourceRecord[]> {
    const { phase } = this
    switch (phase.kind) {
      case 'connecting':
      case 'stopped':
        throw new TributaryError('TRB_SOURCE_READ', `polled while ${phase.kind}`, { retriable: false })
      case 'snapshotting': {
        const records = await phase.poll()
        if (phase.isDone && this.phase === phase) this.phase = this.afterSnapshot(phase.connection, phase.streamStart)
        return records
      }
      case 'streaming':
      case 'snapshot-only-done':
        return phase.poll(signal)
    }
  }

  async stop(): Promise<void> {
    const { phase } = this
    this.phase = new Stopped()
    await phase.stop()
  }

  /** What follows the snapshot (or connecting, when there is none): streaming, or nothing with snapshot.mode initial_only. */
  private afterSnapshot(connection: SourceConnection, start: StreamStart): Streaming | SnapshotOnlyDone {
    return connection.config['snapshot.mode'] === 'initial_only'
      ? new SnapshotOnlyDone(connection)
      : new Streaming(connection, start, this.heartbeat)
  }
}

export const mysqlSource = definePlugin({
  kind: 'source',
  name: 'mysql-cdc',
  aliases: ['io.debezium.connector.mysql.MySqlConnector', 'io.debezium.connector.mariadb.MariaDbConnector', 'MySqlConnector'],
  version: VERSION,
  description: 'Captures row changes from MySQL or MariaDB by reading the row binlog as a replica, with a consistent initial snapshot',
  config: mysqlSourceConfig,
  taskConfigs: (config) => [config],
  targets: (config) => ({ hosts: connectionTargets(config) }),
  createTask: (context) => new MysqlSourceTask(context),
})
