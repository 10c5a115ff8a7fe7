/**
 * A Debezium-shaped change event with schemas, as a PostgreSQL source emits one for a table
 * `public.users`: key and row schemas named `<prefix>.<schema>.<table>.Key/Value`, a `source` block,
 * an optional `transaction` block and the envelope `<prefix>.<schema>.<table>.Envelope`.
 */
import type { ConnectRecord } from '../../core/runtime/plugin.ts'
import { Debezium, asOptional } from '../../core/runtime/schema/debezium.ts'
import { Logical } from '../../core/runtime/schema/logical.ts'
import { Schemas } from '../../core/runtime/schema/schema.ts'

export const keySchema = Schemas.struct([['id', Schemas.int32()]], { name: 'pg.public.users.Key' })

export const rowSchema = Schemas.struct(
  [
    ['id', Schemas.int32()],
    ['name', Schemas.string({ optional: true })],
    ['price', Logical.decimal(2, 10, { optional: true })],
    ['created', asOptional(Debezium.microTimestamp)],
  ],
  { name: 'pg.public.users.Value', optional: true },
)

export const sourceSchema = Schemas.struct(
  [
    ['version', Schemas.string()],
    ['connector', Schemas.string()],
    ['name', Schemas.string()],
    ['ts_ms', Schemas.int64()],
    [
      'snapshot',
      Schemas.string({
        optional: true,
        name: 'io.debezium.data.Enum',
        version: 1,
        parameters: { allowed: 'true,last,false,incremental' },
        defaultValue: 'false',
      }),
    ],
    ['db', Schemas.string()],
    ['schema', Schemas.string()],
    ['table', Schemas.string()],
    ['txId', Schemas.int64({ optional: true })],
    ['lsn', Schemas.int64({ optional: true })],
  ],
  { name: 'io.debezium.connector.postgresql.Source' },
)

export const transactionSchema = Schemas.struct(
  [
    ['id', Schemas.string()],
    ['total_order', Schemas.int64()],
    ['data_collection_order', Schemas.int64()],
  ],
  { name: 'event.block', version: 1, optional: true },
)

export const envelopeSchema = Schemas.struct(
  [
    ['before', rowSchema],
    ['after', rowSchema],
    ['source', sourceSchema],
    ['transaction', transactionSchema],
    ['op', Schemas.string()],
    ['ts_ms', Schemas.int64({ optional: true })],
  ],
  { name: 'pg.public.users.Envelope', version: 2 },
)

export type Row = { id: number; name: string | null; price: string | null; created: number | null }

export const source = {
  version: '3.0.0',
  connector: 'postgresql',
  name: 'pg',
  ts_ms: 1_700_000_000_000,
  snapshot: 'false',
  db: 'shop',
  schema: 'public',
  table: 'users',
  txId: 77,
  lsn: 4242,
}

export function changeEvent(
  op: 'c' | 'u' | 'd' | 'r' | 't',
  before: Row | null,
  after: Row | null,
  extra: Record<string, unknown> = {},
): ConnectRecord {
  const id = (after ?? before)?.id ?? 0
  return {
    topic: 'pg.public.users',
    key: { id },
    keySchema,
    value: { before, after, source, transaction: null, op, ts_ms: 1_700_000_000_500, ...extra },
    valueSchema: envelopeSchema,
  }
}
