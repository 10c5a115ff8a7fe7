/**
 * What every phase of a postgres-cdc task shares once it is connected (source.ts): the config with
 * its url pinned to the address the sandbox checked, the admin connection and its catalogue, the
 * change events, the records handed out and not yet durable, and which connection was lost
 * (connection-loss.ts).
 */
import type pg from 'pg'
import type { Logger, SourceTaskContext } from '../../../core/runtime/plugin.ts'
import { Catalog, textClient } from './source-catalog.ts'
import { ChangeEvents, type ChangeEventSettings } from './change-events.ts'
import { parseKeyColumns, type PostgresSourceConfig } from './config.ts'
import { dropReplicationSlot } from './slot.ts'
import type { ConnectionLoss } from './connection-loss.ts'

export class SourceConnection {
  readonly context: SourceTaskContext<PostgresSourceConfig>
  readonly config: PostgresSourceConfig
  readonly loss: ConnectionLoss
  readonly admin: pg.Client
  readonly catalog: Catalog
  /** What the change events are built with: a snapshot thread builds its own from them. */
  readonly eventSettings: ChangeEventSettings
  readonly events: ChangeEvents
  /** Records handed out and not yet durable. */
  inFlight = 0

  constructor(
    context: SourceTaskContext<PostgresSourceConfig>,
    config: PostgresSourceConfig,
    loss: ConnectionLoss,
    admin: pg.Client,
    eventSettings: ChangeEventSettings,
  ) {
    this.context = context
    this.config = config
    this.loss = loss
    this.admin = admin
    this.catalog = new Catalog(admin, parseKeyColumns(config['message.key.columns']))
    this.eventSettings = eventSettings
    this.events = new ChangeEvents(eventSettings)
  }

  /** A connection of its own for reading tables (a snapshot), watched. */
  async readingClient(): Promise<pg.Client> {
    const client = this.loss.watched(textClient(this.config.url), 'snapshot')
    await client.connect()
    return client
  }

  /** A catalogue over another connection, with the same key columns. */
  catalogOf(client: pg.Client): Catalog {
    return new Catalog(client, parseKeyColumns(this.config['message.key.columns']))
  }

  async close(): Promise<void> {
    await closeAdmin(this.admin, this.config, this.context.logger)
  }
}

/** Drops the slot when the config says so, and ends the admin connection. */
export async function closeAdmin(admin: pg.Client, config: PostgresSourceConfig, logger: Logger): Promise<void> {
  if (config['slot.drop.on.stop'])
    await dropReplicationSlot(admin, config.slot).catch((err: unknown) =>
      logger.debug({ err, slot: config.slot }, 'dropping the replication slot on stop failed'),
    )
  await admin.end().catch((err: unknown) => logger.debug({ err }, 'ending the admin connection failed'))
}
