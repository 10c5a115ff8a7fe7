import { describe, expect, it } from 'vitest'
import { ChangeEnvelope, ChangeRowsShared } from '../../../../connectors/cdc-envelope/change-envelope.ts'
import { envelopeSchema } from '../../../../connectors/cdc-envelope/envelope-schema.ts'
import { MARIADB_SOURCE_SCHEMA, sourceBlock, type SharedSource } from '../../../../connectors/mysql/source/source-block.ts'
import { payloadWriter, Schemas, toPayloadText } from '../../../../core/runtime/plugin.ts'

const row = Schemas.struct(
  [
    ['id', Schemas.int32()],
    ['name', Schemas.string({ optional: true })],
  ],
  { name: 'shop.orders.Value', optional: true },
)
const envelope = envelopeSchema('shop.orders.Envelope', row, MARIADB_SOURCE_SCHEMA)
const shared: SharedSource = {
  version: '0.1.0',
  connector: 'mariadb',
  name: 'shop',
  ts_ms: 1_700_000_000_000,
  snapshot: 'false',
  db: 'shop',
  sequence: null,
  ts_us: 1_700_000_000_000_000,
  ts_ns: 1_700_000_000_000_000_000n,
  table: 'orders',
  server_id: 1,
  gtid: '0-1-7',
  file: 'binlog.000002 "pos":0,"row":0,',
  thread: null,
  query: null,
}

describe('ChangeEnvelope', () => {
  it("writes the very text the envelope schema's writer writes for the same data", () => {
    const now = { ms: 1_700_000_000_123, ns: 1_700_000_000_123_000_000n }
    for (const [op, before, after] of [
      ['c', null, { id: 1, name: 'a"b' }],
      ['u', { id: 1, name: null }, { id: 1, name: '✓' }],
      ['d', { id: 2, name: 'x' }, null],
    ] as const) {
      const rows = new ChangeRowsShared(envelope, row, shared, sourceBlock(shared, 0, 0), ['pos', 'row'], op, now)
      for (const [pos, index] of [
        [4, 0],
        [123_456_789, 17],
        [0, 0],
      ] as const) {
        const value = new ChangeEnvelope(before, after, sourceBlock(shared, pos, index), rows)
        expect(value[toPayloadText]()).toBe(payloadWriter(envelope)({ ...value }))
      }
    }
  })
})
