import { describe, expect, it } from 'vitest'
import { columnMapping } from '../../../../../connectors/postgres/source/column-schema.ts'
import { javaHashMapOrder, parseHstore } from '../../../../../connectors/postgres/source/hstore-text.ts'
import { Oid, type PgType } from '../../../../../connectors/postgres/source/pg-types.ts'
import { DEFAULT_SCHEMA_SETTINGS, type SchemaSettings } from '../../../../../connectors/postgres/source/schema-settings.ts'
import type { SourceColumn } from '../../../../../connectors/postgres/source/source-columns.ts'
import { payloadWriter, schemaJson } from '../../../../../core/runtime/plugin.ts'

const MOOD: PgType = {
  oid: 90001,
  name: 'mood',
  namespace: 'public',
  kind: 'e',
  category: 'E',
  element: 0,
  base: 0,
  typmod: -1,
  notNull: false,
  labels: ['sad', 'ok', 'happy'],
}
const MOODS: PgType = {
  oid: 90002,
  name: '_mood',
  namespace: 'public',
  kind: 'b',
  category: 'A',
  element: MOOD.oid,
  base: 0,
  typmod: -1,
  notNull: false,
}
const HSTORE: PgType = {
  oid: 90003,
  name: 'hstore',
  namespace: 'public',
  kind: 'b',
  category: 'U',
  element: 0,
  base: 0,
  typmod: -1,
  notNull: false,
}
const types = (oid: number) => [MOOD, MOODS, HSTORE].find((type) => type.oid === oid)

function column(rootOid: number, length: number, scale: number | null = 0): SourceColumn {
  return { name: 'c', typeOid: rootOid, rootOid, typeName: 'x', length, scale, optional: true, defaultExpression: null }
}

/** The column's schema and the payload JSON of each text, as JsonConverter writes them. */
function mapped(
  rootOid: number,
  length: number,
  scale: number | null,
  texts: readonly string[],
  settings: Partial<SchemaSettings> = {},
): { schema: string; payloads: string[] } {
  const mapping = columnMapping(column(rootOid, length, scale), types, { ...DEFAULT_SCHEMA_SETTINGS, ...settings })
  if (mapping === undefined) throw new Error('not mapped')
  return { schema: schemaJson(mapping.schema), payloads: texts.map((text) => payloadWriter(mapping.schema)(mapping.read(text))) }
}

describe('PostgreSQL columns as Debezium maps them', () => {
  it('maps numeric by its declared scale and decimal.handling.mode, NaN included', () => {
    expect(mapped(Oid.numeric, 20, 6, ['12345678901234.123456'])).toEqual({
      schema:
        '{"type":"bytes","optional":false,"name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"6","connect.decimal.precision":"20"}}',
      payloads: ['"AKtUqYzrGELA"'],
    })
    // NaN has no Decimal: null (Debezium warns), which a required column cannot hold.
    expect(() => mapped(Oid.numeric, 20, 6, ['NaN'])).toThrow(/null for a required/)
    expect(mapped(Oid.numeric, 131_089, 0, ['12.300', '1200', '-2', '0.000']).payloads).toEqual([
      '{"scale":1,"value":"ew=="}',
      '{"scale":0,"value":"BLA="}',
      '{"scale":0,"value":"/g=="}',
      '{"scale":0,"value":"AA=="}',
    ])
    expect(mapped(Oid.numeric, 0, null, ['1.50']).schema).toContain('io.debezium.data.VariableScaleDecimal')
    expect(mapped(Oid.numeric, 10, 2, ['12.30', 'NaN', 'Infinity'], { decimalMode: 'string' }).payloads).toEqual([
      '"12.30"',
      '"NAN"',
      '"POSITIVE_INFINITY"',
    ])
    expect(mapped(Oid.numeric, 10, 2, ['12.30', 'NaN', '-Infinity'], { decimalMode: 'double' }).payloads).toEqual([
      '12.3',
      '"NaN"',
      '"-Infinity"',
    ])
  })

  it('maps money as a Decimal of money.fraction.digits, from its currency text', () => {
    expect(mapped(Oid.money, 0, 0, ['$1,234.56', '-$0.01']).payloads).toEqual(['"AeJA"', '"/w=="'])
    expect(mapped(Oid.money, 0, 0, ['$1,234.56'], { moneyFractionDigits: 1 }).payloads).toEqual(['"MDo="'])
    expect(mapped(Oid.money, 0, 0, ['$1,234.56'], { decimalMode: 'string' }).payloads).toEqual(['"1234.56"'])
  })

  it('maps the temporal types by the column precision and time.precision.mode', () => {
    expect(mapped(Oid.timestamptz, 35, 6, ['2024-02-29 10:11:12.345678+02', 'infinity', '2024-02-29 00:00:00+00']).payloads).toEqual([
      '"2024-02-29T08:11:12.345678Z"',
      '"infinity"',
      '"2024-02-29T00:00:00.000000Z"',
    ])
    expect(mapped(Oid.timestamptz, 26, 3, ['2024-02-29 10:11:12.3+00']).payloads).toEqual(['"2024-02-29T10:11:12.300Z"'])
    expect(mapped(Oid.timetz, 21, 6, ['10:11:12.5+02', '23:30:00-02', '00:00:00+00']).payloads).toEqual([
      '"08:11:12.5Z"',
      '"01:30:00Z"',
      '"00:00:00Z"',
    ])
    expect(mapped(Oid.timestamp, 29, 6, ['2024-02-29 23:59:59.123456', '-infinity', 'infinity']).payloads).toEqual([
      '1709251199123456',
      '-9223372036832400000',
      '9223372036825200000',
    ])
    expect(mapped(Oid.timestamp, 26, 3, ['2024-02-29 23:59:59.123']).schema).toContain('io.debezium.time.Timestamp"')
    expect(mapped(Oid.time, 15, 6, ['13:45:10.123456', '24:00:00']).payloads).toEqual(['49510123456', '86400000000'])
    expect(mapped(Oid.time, 12, 3, ['13:45:10.123']).payloads).toEqual(['49510123'])
    expect(mapped(Oid.time, 12, 3, ['13:45:10.123'], { timePrecisionMode: 'adaptive_time_microseconds' }).payloads).toEqual(['49510123000'])
    expect(mapped(Oid.date, 13, 0, ['2024-02-29', '1970-01-01', '0044-03-15 BC']).payloads).toEqual(['19782', '0', '-735160'])
    expect(mapped(Oid.date, 13, 0, ['2024-02-29'], { timePrecisionMode: 'connect' }).schema).toContain('org.apache.kafka.connect.data.Date')
    expect(mapped(Oid.timestamp, 29, 6, ['2024-02-29 23:59:59.123456'], { timePrecisionMode: 'connect' }).payloads).toEqual([
      '1709251199123',
    ])
  })

  it('maps intervals as µs with a month of 365.25 / 12 days, or as ISO text', () => {
    expect(mapped(Oid.interval, 49, 6, ['P1Y2M3DT4H5M6.789S', 'P-1DT-1.5S', 'PT0S']).payloads).toEqual([
      '37091106789000',
      '-86401500000',
      '0',
    ])
    expect(mapped(Oid.interval, 49, 6, ['P1Y2M3DT4H5M6.789S', 'PT-1.5S', 'P1D'], { intervalMode: 'string' }).payloads).toEqual([
      '"P1Y2M3DT4H5M6.789S"',
      '"P0Y0M0DT0H0M-1.5S"',
      '"P0Y0M1DT0H0M0S"',
    ])
  })

  it('maps bits, points, bytes and the rest of the built-in types', () => {
    expect(mapped(Oid.bit, 8, 0, ['10100101', '00000000']).payloads).toEqual(['"pQ=="', '""'])
    expect(mapped(Oid.varbit, 16, 0, ['101']).payloads).toEqual(['"BQ=="'])
    expect(mapped(Oid.bit, 1, 0, ['1', '0'])).toEqual({ schema: '{"type":"boolean","optional":false}', payloads: ['true', 'false'] })
    expect(mapped(Oid.point, 2_147_483_647, 0, ['(1.5,-2.25)']).payloads).toEqual([
      '{"x":1.5,"y":-2.25,"wkb":"AQEAAAAAAAAAAAD4PwAAAAAAAALA","srid":null}',
    ])
    expect(mapped(Oid.bytea, 2_147_483_647, 0, ['\\x00ff10']).payloads).toEqual(['"AP8Q"'])
    expect(mapped(Oid.bytea, 2_147_483_647, 0, ['\\x00ff10'], { binaryMode: 'hex' }).payloads).toEqual(['"00ff10"'])
    expect(mapped(Oid.bytea, 2_147_483_647, 0, ['\\xfbff'], { binaryMode: 'base64-url-safe' }).payloads).toEqual(['"-_8="'])
    expect(mapped(Oid.float4, 8, 8, ['1.1', '-Infinity']).payloads).toEqual(['1.1', '"-Infinity"'])
    expect(mapped(Oid.int8, 19, 0, ['9223372036854775807']).payloads).toEqual(['9223372036854775807'])
    expect(mapped(Oid.bpchar, 3, 0, ['ab ']).payloads).toEqual(['"ab "'])
    expect(mapped(Oid.tsvector, 2_147_483_647, 0, ["'a' 'cat'"]).schema).toContain('io.debezium.data.Tsvector')
  })

  it('maps enums, arrays (of enums too) and hstore', () => {
    expect(mapped(MOOD.oid, 2_147_483_647, 0, ['happy']).schema).toBe(
      '{"type":"string","optional":false,"name":"io.debezium.data.Enum","version":1,"parameters":{"allowed":"sad,ok,happy"}}',
    )
    expect(mapped(MOODS.oid, 2_147_483_647, 0, ['{sad,happy}'])).toEqual({
      schema:
        '{"type":"array","items":{"type":"string","optional":false,"name":"io.debezium.data.Enum","version":1,"parameters":{"allowed":"sad,ok,happy"}},"optional":false}',
      payloads: ['["sad","happy"]'],
    })
    expect(mapped(1231, 131_089, 0, ['{1.50,NULL,-2}']).payloads).toEqual(['[{"scale":1,"value":"Dw=="},null,{"scale":0,"value":"/g=="}]'])
    expect(mapped(1009, 2_147_483_647, 0, ['{"x,y",z,NULL}']).payloads).toEqual(['["x,y","z",null]'])
    expect(mapped(HSTORE.oid, 2_147_483_647, 0, ['"k1"=>"v1", "k2"=>NULL, "a"=>"b"']).payloads).toEqual([
      '"{\\"a\\":\\"b\\",\\"k1\\":\\"v1\\",\\"k2\\":null}"',
    ])
    expect(mapped(HSTORE.oid, 2_147_483_647, 0, ['"k1"=>"v1", "a"=>"b"'], { hstoreMode: 'map' }).payloads).toEqual(['{"a":"b","k1":"v1"}'])
  })

  it('leaves out what Debezium cannot map, unless include.unknown.datatypes keeps its text as bytes', () => {
    expect(columnMapping(column(3220, 2_147_483_647), types, DEFAULT_SCHEMA_SETTINGS)).toBeUndefined()
    expect(columnMapping(column(791, 2_147_483_647), types, { ...DEFAULT_SCHEMA_SETTINGS, includeUnknownDatatypes: true })).toBeUndefined() // money[]
    expect(mapped(3220, 2_147_483_647, 0, ['16/B374D848'], { includeUnknownDatatypes: true }).payloads).toEqual([
      `"${Buffer.from('16/B374D848').toString('base64')}"`,
    ])
  })
})

describe('hstore pairs in Java HashMap order', () => {
  it('orders keys by their spread String.hashCode bucket, then by insertion', () => {
    expect(javaHashMapOrder(parseHstore('"k1"=>"v1", "k2"=>NULL, "a"=>"b"')).map(([key]) => key)).toEqual(['a', 'k1', 'k2'])
    expect(parseHstore('"a b"=>"c\\"d", e=>NULL')).toEqual([
      ['a b', 'c"d'],
      ['e', null],
    ])
    const many = Array.from({ length: 20 }, (_, index): [string, string] => [`key${index}`, 'v'])
    expect(javaHashMapOrder(many)).toHaveLength(20)
  })
})
