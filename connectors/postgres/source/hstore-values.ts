/**
 * hstore columns as Debezium maps them (`hstore.handling.mode`): `json`, the pairs as a JSON object's
 * text (io.debezium.data.Json); `map`, a map of string to optional string. Either way the pairs come
 * in the order of the Java HashMap Debezium reads them into (hstore-text.ts).
 */
import { Debezium, Schemas, type Schema } from '../../../core/runtime/plugin.ts'
import type { Reader } from './column-readers.ts'
import { javaHashMapOrder, parseHstore } from './hstore-text.ts'

const MAP_SCHEMA = Schemas.map(Schemas.string(), Schemas.string({ optional: true }))

/** The column's schema, reader and NOT NULL fallback (column-schema.ts makes them its ColumnMapping). */
export function hstoreReader(mode: 'json' | 'map'): { schema: Schema; read: Reader; fallback: unknown } {
  if (mode === 'map') {
    return { schema: MAP_SCHEMA, read: (text) => new Map(javaHashMapOrder(parseHstore(text))), fallback: new Map() }
  }
  return {
    schema: Debezium.json,
    read: (text) =>
      `{${javaHashMapOrder(parseHstore(text))
        .map(([key, value]) => `${JSON.stringify(key)}:${value === null ? 'null' : JSON.stringify(value)}`)
        .join(',')}}`,
    fallback: '{}',
  }
}
