import { describe, expect, it } from 'vitest'
import type { CatalogColumn } from '../../../../../connectors/postgres/source/source-catalog.ts'
import { ChangeEvents, type EventContext } from '../../../../../connectors/postgres/source/change-events.ts'
import type { PgType } from '../../../../../connectors/postgres/source/pg-types.ts'
import { UNCHANGED } from '../../../../../connectors/postgres/source/pgoutput.ts'
import { DEFAULT_SCHEMA_SETTINGS } from '../../../../../connectors/postgres/source/schema-settings.ts'
import { payloadWriter, schemaJson, type Schema, type SourceRecord } from '../../../../../core/runtime/plugin.ts'

const NAMES: Readonly<Record<number, string>> = { 16: 'bool', 23: 'int4', 25: 'text', 1700: 'numeric' }
/** The catalogue's types, as the source loads them before it builds a table's schemas. */
const builtins = (oid: number): PgType | undefined =>
  NAMES[oid] === undefined
    ? undefined
    : {
        oid,
        name: NAMES[oid] as string,
        namespace: 'pg_catalog',
        kind: 'b',
        category: 'N',
        element: 0,
        base: 0,
        typmod: -1,
        notNull: false,
      }
const events = new ChangeEvents({
  prefix: 'shop',
  database: 'db',
  topic: undefined,
  tombstones: true,
  skipped: new Set(),
  version: '1.2.3',
  schemas: DEFAULT_SCHEMA_SETTINGS,
})

const NUMERIC_10_2 = ((10 << 16) | 2) + 4
const columns: CatalogColumn[] = [
  { name: 'id', typeOid: 23, typmod: -1, notNull: true, defaultExpression: "nextval('orders_id_seq'::regclass)", generated: false },
  { name: 'price', typeOid: 1700, typmod: NUMERIC_10_2, notNull: false, defaultExpression: '0', generated: false },
  { name: 'note', typeOid: 25, typmod: -1, notNull: true, defaultExpression: "'none'::text", generated: false },
  { name: 'qty', typeOid: 23, typmod: -1, notNull: true, defaultExpression: null, generated: false },
]
const orders = events.queriedTable('public', 'orders', columns, ['id'], builtins)

function context(xid: number | null, lsn: bigint, snapshot: EventContext['snapshot'] = 'false'): EventContext {
  return { xid, commitTimeUs: 1_700_000_000_000_000 + (xid ?? 0), lsn, lastCommitLsn: 0x16b3748n, snapshot, offset: { lsn: '0/16B3748' } }
}

const payload = (record: SourceRecord | undefined) =>
  JSON.parse(payloadWriter(record?.valueSchema as Schema)(record?.value)) as {
    before: Record<string, unknown> | null
    after: Record<string, unknown> | null
    source: Record<string, unknown>
    op: string
  }

describe("a table's schemas", () => {
  it('are built once per version of the table, and anew when a column changes', () => {
    expect(
      events.queriedTable(
        'public',
        'orders',
        columns.map((column) => ({ ...column })),
        ['id'],
        builtins,
      ),
    ).toBe(orders)
    const widened = events.queriedTable(
      'public',
      'orders',
      [...columns, { name: 'extra', typeOid: 16, typmod: -1, notNull: false, defaultExpression: null, generated: false }],
      ['id'],
      builtins,
    )
    expect(widened).not.toBe(orders)
    expect(widened.rowSchema.fields?.map((field) => field.name)).toEqual(['id', 'price', 'note', 'qty', 'extra'])
  })

  it("name the key, the row and the envelope after the topic, with Debezium's parsed defaults", () => {
    expect(schemaJson(orders.keySchema as Schema)).toBe(
      '{"type":"struct","fields":[{"type":"int32","optional":false,"default":0,"field":"id"}],"optional":false,"name":"shop.public.orders.Key"}',
    )
    expect(orders.rowSchema.name).toBe('shop.public.orders.Value')
    expect(orders.rowSchema.optional).toBe(true)
    expect(orders.envelopeSchema.name).toBe('shop.public.orders.Envelope')
    expect(orders.envelopeSchema.version).toBe(2)
    expect(orders.envelopeSchema.fields?.map((field) => field.name)).toEqual([
      'before',
      'after',
      'source',
      'transaction',
      'op',
      'ts_ms',
      'ts_us',
      'ts_ns',
    ])
    const price = orders.rowSchema.fields?.[1]?.schema
    expect(schemaJson(price as Schema)).toBe(
      '{"type":"bytes","optional":true,"name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"2","connect.decimal.precision":"10"},"default":"AA=="}',
    )
  })

  it("read rows by the schema: NOT NULL columns a key-only tuple leaves NULL take their default or Debezium's fallback", () => {
    expect(events.row(orders, ['7', '12.50', 'hello', '3'])).toEqual({ id: 7, price: '12.50', note: 'hello', qty: 3 })
    expect(events.row(orders, ['7', null, null, null])).toEqual({ id: 7, price: null, note: 'none', qty: 0 })
    expect(events.row(orders, ['7', null, UNCHANGED, '1'])).toEqual({ id: 7, price: null, note: '__debezium_unavailable_value', qty: 1 })
  })
})

describe('change events', () => {
  it("carry the key and envelope schemas, Debezium's source block and a tombstone without a value schema", () => {
    const [deleted, tombstone] = events.change(orders, 'd', events.row(orders, ['1', '2.00', 'x', '4']), null, context(8, 0x16b3800n))
    expect(deleted?.keySchema).toBe(orders.keySchema)
    expect(deleted?.valueSchema).toBe(orders.envelopeSchema)
    expect(deleted?.key).toEqual({ id: 1 })
    expect(payload(deleted)).toMatchObject({ op: 'd', after: null, before: { id: 1, price: 'AMg=', note: 'x', qty: 4 } })
    expect(payload(deleted).source).toMatchObject({
      version: '1.2.3',
      connector: 'postgresql',
      name: 'shop',
      ts_ms: 1_700_000_000_000,
      ts_us: 1_700_000_000_000_008,
      snapshot: 'false',
      db: 'db',
      sequence: `["${0x16b3748}","${0x16b3800}"]`,
      schema: 'public',
      table: 'orders',
      txId: 8,
      lsn: 0x16b3800,
      xmin: null,
      origin: null,
      origin_lsn: null,
    })
    expect(tombstone).toMatchObject({ key: { id: 1 }, value: null, valueSchema: undefined, keySchema: orders.keySchema })
  })

  it('share one source block among rows at one position, and give another position or snapshot marker its own', () => {
    const first = events.snapshotRow(orders, events.row(orders, ['1', null, 'a', '1']), context(null, 0x100n, 'true'))
    const second = events.snapshotRow(orders, events.row(orders, ['2', null, 'b', '1']), context(null, 0x100n, 'true'))
    const last = events.snapshotRow(orders, events.row(orders, ['3', null, 'c', '1']), context(null, 0x100n, 'last'))
    const source = (record: SourceRecord) => (record.value as { source: object }).source
    expect(source(first)).toBe(source(second))
    expect(source(last)).not.toBe(source(second))
    expect(payload(last).source).toMatchObject({ snapshot: 'last', lsn: 0x100 })
  })

  it("write a snapshot row's value as its plain copy is written, the text its chunk shares made once", () => {
    const write = payloadWriter(orders.envelopeSchema)
    const rows = [
      ['1', '2.50', 'a', '1'],
      ['2', null, 'quote " and \u0001', '2'],
    ].map((values) => events.snapshotRow(orders, events.row(orders, values), context(null, 0x200n, 'true')))
    for (const record of rows) expect(write(record.value)).toBe(write({ ...(record.value as object) }))
  })

  it("name a streamed table's key only by the columns its relation message has", () => {
    const streamed = events.streamedTable(
      'public',
      'orders',
      [
        { name: 'id', typeOid: 23, typeModifier: -1, isKey: true },
        { name: 'note', typeOid: 25, typeModifier: -1, isKey: false },
      ],
      columns,
      ['id', 'gone'],
      builtins,
    )
    expect(streamed.keyColumns).toEqual(['id'])
    expect(streamed.rowSchema.fields?.map((field) => [field.name, field.schema.optional, field.schema.defaultValue])).toEqual([
      ['id', false, 0],
      ['note', false, 'none'],
    ])
  })
})
