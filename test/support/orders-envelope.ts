/**
 * A small Debezium change event's schemas for the converter codecs' tests: a row struct named as a
 * table's Value (a decimal, a µs timestamp), and its Envelope with the row twice (before and after),
 * so each codec shows how it writes a named type met a second time.
 */
import { Debezium, asOptional } from '../../core/runtime/schema/debezium.ts'
import { Logical } from '../../core/runtime/schema/logical.ts'
import { Schemas } from '../../core/runtime/schema/schema.ts'

const ordersValue = Schemas.struct(
  [
    ['id', Schemas.int32()],
    ['price', Logical.decimal(2, 10, { optional: true })],
    ['seen', asOptional(Debezium.microTimestamp)],
  ],
  { name: 'shop.public.orders.Value' },
)

const source = Schemas.struct(
  [
    ['db', Schemas.string()],
    ['ts_ms', Schemas.int64()],
  ],
  { name: 'io.debezium.connector.postgresql.Source' },
)

export const ordersEnvelope = Schemas.struct(
  [
    ['before', asOptional(ordersValue)],
    ['after', asOptional(ordersValue)],
    ['source', source],
    ['op', Schemas.string()],
    ['ts_ms', Schemas.int64({ optional: true })],
  ],
  { name: 'shop.public.orders.Envelope', version: 1 },
)
