/**
 * The JSON Schema codec against the text Confluent's JsonSchemaConverter registers (one of them as a
 * Kafka Connect worker with Debezium registered it), the JSON it writes, and the way back.
 */
import { describe, expect, it } from 'vitest'
import { REGISTRY_CONVERTERS } from '../../../../../core/runtime/registry-converter-config.ts'
import { Debezium, asOptional } from '../../../../../core/runtime/schema/debezium.ts'
import { jsonSchemaCodec } from '../../../../../core/runtime/schema/json-schema-codec.ts'
import { javaHashMapOrder, javaStringHash } from '../../../../../core/runtime/schema/java-hash-order.ts'
import { Logical } from '../../../../../core/runtime/schema/logical.ts'
import { Schemas, sameSchema, type Schema } from '../../../../../core/runtime/schema/schema.ts'

const ONE_OF = 'io.confluent.connect.json.OneOf'
const ENUM = 'io.confluent.connect.json.Enum'
const shown = (value: unknown) => JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? `${item}n` : item))
const read = (text: string) => jsonSchemaCodec.reader({ schemaType: 'JSON', schema: text, references: [] })

// A Debezium PostgreSQL change event, as Debezium 2 builds it for a table (id int4, val text).
const row = Schemas.struct(
  [
    ['id', Schemas.int32()],
    ['val', Schemas.string({ optional: true })],
  ],
  { name: 'dbserver1.public.timmyb32r_favourite_table.Value' },
)
const source = Schemas.struct(
  [
    ['version', Schemas.string()],
    ['connector', Schemas.string()],
    ['name', Schemas.string()],
    ['ts_ms', Schemas.int64()],
    [
      'snapshot',
      Schemas.string({
        optional: true,
        defaultValue: 'false',
        name: 'io.debezium.data.Enum',
        version: 1,
        parameters: { allowed: 'true,last,false,incremental' },
      }),
    ],
    ['db', Schemas.string()],
    ['sequence', Schemas.string({ optional: true })],
    ['schema', Schemas.string()],
    ['table', Schemas.string()],
    ['txId', Schemas.int64({ optional: true })],
    ['lsn', Schemas.int64({ optional: true })],
    ['xmin', Schemas.int64({ optional: true })],
  ],
  { name: 'io.debezium.connector.postgresql.Source' },
)
const block = Schemas.struct(
  [
    ['id', Schemas.string()],
    ['total_order', Schemas.int64()],
    ['data_collection_order', Schemas.int64()],
  ],
  { name: 'event.block', version: 1, optional: true },
)
const envelope = Schemas.struct(
  [
    ['before', asOptional(row)],
    ['after', asOptional(row)],
    ['source', source],
    ['op', Schemas.string()],
    ['ts_ms', Schemas.int64({ optional: true })],
    ['transaction', block],
  ],
  { name: 'dbserver1.public.timmyb32r_favourite_table.Envelope', version: 1 },
)
/** What a Kafka Connect worker (Confluent 7, Debezium 2.1) registered for that envelope: properties in Java hash-map order. */
const ENVELOPE_TEXT =
  '{"type":"object","title":"dbserver1.public.timmyb32r_favourite_table.Envelope","connect.version":1,"properties":{"op":{"type":"string","connect.index":3},"before":{"connect.index":0,"oneOf":[{"type":"null"},{"type":"object","title":"dbserver1.public.timmyb32r_favourite_table.Value","properties":{"val":{"connect.index":1,"oneOf":[{"type":"null"},{"type":"string"}]},"id":{"type":"integer","connect.index":0,"connect.type":"int32"}}}]},"after":{"connect.index":1,"oneOf":[{"type":"null"},{"type":"object","title":"dbserver1.public.timmyb32r_favourite_table.Value","properties":{"val":{"connect.index":1,"oneOf":[{"type":"null"},{"type":"string"}]},"id":{"type":"integer","connect.index":0,"connect.type":"int32"}}}]},"source":{"type":"object","title":"io.debezium.connector.postgresql.Source","connect.index":2,"properties":{"schema":{"type":"string","connect.index":7},"sequence":{"connect.index":6,"oneOf":[{"type":"null"},{"type":"string"}]},"xmin":{"connect.index":11,"oneOf":[{"type":"null"},{"type":"integer","connect.type":"int64"}]},"connector":{"type":"string","connect.index":1},"lsn":{"connect.index":10,"oneOf":[{"type":"null"},{"type":"integer","connect.type":"int64"}]},"name":{"type":"string","connect.index":2},"txId":{"connect.index":9,"oneOf":[{"type":"null"},{"type":"integer","connect.type":"int64"}]},"version":{"type":"string","connect.index":0},"ts_ms":{"type":"integer","connect.index":3,"connect.type":"int64"},"snapshot":{"connect.index":4,"oneOf":[{"type":"null"},{"type":"string","title":"io.debezium.data.Enum","default":"false","connect.version":1,"connect.parameters":{"allowed":"true,last,false,incremental"}}]},"db":{"type":"string","connect.index":5},"table":{"type":"string","connect.index":8}}},"ts_ms":{"connect.index":4,"oneOf":[{"type":"null"},{"type":"integer","connect.type":"int64"}]},"transaction":{"connect.index":5,"oneOf":[{"type":"null"},{"type":"object","title":"event.block","connect.version":1,"properties":{"data_collection_order":{"type":"integer","connect.index":2,"connect.type":"int64"},"id":{"type":"string","connect.index":0},"total_order":{"type":"integer","connect.index":1,"connect.type":"int64"}}}]}}}'

const shop = Schemas.struct(
  [
    ['id', Schemas.int64()],
    ['price', Logical.decimal(2, 10, { optional: true })],
    ['day', Logical.date()],
    ['at', Logical.timestamp({ optional: true })],
    ['seen', asOptional(Debezium.microTimestamp)],
  ],
  { name: 'shop.public.orders.Value' },
)

/** [what, Connect schema, the JSON Schema text JsonSchemaData registers]. */
const cases: Array<[string, Schema, string]> = [
  ['int8', Schemas.int8(), '{"type":"integer","connect.type":"int8"}'],
  ['int16', Schemas.int16(), '{"type":"integer","connect.type":"int16"}'],
  ['int32', Schemas.int32(), '{"type":"integer","connect.type":"int32"}'],
  ['int64', Schemas.int64(), '{"type":"integer","connect.type":"int64"}'],
  ['float32', Schemas.float32(), '{"type":"number","connect.type":"float32"}'],
  ['float64', Schemas.float64(), '{"type":"number","connect.type":"float64"}'],
  [
    'boolean: "type" last, as everit prints it',
    Schemas.boolean({ name: 'flag', defaultValue: true }),
    '{"title":"flag","default":true,"type":"boolean"}',
  ],
  ['string', Schemas.string(), '{"type":"string"}'],
  ['bytes', Schemas.bytes(), '{"type":"string","connect.type":"bytes"}'],
  ['optional int32', Schemas.int32({ optional: true }), '{"oneOf":[{"type":"null"},{"type":"integer","connect.type":"int32"}]}'],
  [
    'doc, version, parameters',
    Schemas.string({ doc: 'a note', version: 3, parameters: { a: 'b' } }),
    '{"type":"string","description":"a note","connect.version":3,"connect.parameters":{"a":"b"}}',
  ],
  [
    'int64 default beyond 2^53',
    Schemas.int64({ defaultValue: 2n ** 63n - 1n }),
    '{"type":"integer","default":9223372036854775807,"connect.type":"int64"}',
  ],
  [
    'float default 1.0 printed by org.json as 1',
    Schemas.float64({ defaultValue: 1 }),
    '{"type":"number","default":1,"connect.type":"float64"}',
  ],
  [
    'Decimal (BASE64): a string',
    Logical.decimal(2, 10),
    '{"type":"string","title":"org.apache.kafka.connect.data.Decimal","connect.version":1,"connect.type":"bytes","connect.parameters":{"scale":"2","connect.decimal.precision":"10"}}',
  ],
  [
    'Decimal default as base64',
    Logical.decimal(2, undefined, { defaultValue: '1.50' }),
    '{"type":"string","title":"org.apache.kafka.connect.data.Decimal","default":"AJY=","connect.version":1,"connect.type":"bytes","connect.parameters":{"scale":"2"}}',
  ],
  ['Date', Logical.date(), '{"type":"integer","title":"org.apache.kafka.connect.data.Date","connect.version":1,"connect.type":"int32"}'],
  [
    'Date default in days',
    Logical.date({ defaultValue: new Date(2 * 86_400_000) }),
    '{"type":"integer","title":"org.apache.kafka.connect.data.Date","default":2,"connect.version":1,"connect.type":"int32"}',
  ],
  ['Time', Logical.time(), '{"type":"integer","title":"org.apache.kafka.connect.data.Time","connect.version":1,"connect.type":"int32"}'],
  [
    'optional Timestamp',
    Logical.timestamp({ optional: true }),
    '{"oneOf":[{"type":"null"},{"type":"integer","title":"org.apache.kafka.connect.data.Timestamp","connect.version":1,"connect.type":"int64"}]}',
  ],
  [
    'array',
    Schemas.array(Schemas.int16({ optional: true }), { optional: true }),
    '{"oneOf":[{"type":"null"},{"type":"array","items":{"oneOf":[{"type":"null"},{"type":"integer","connect.type":"int16"}]}}]}',
  ],
  [
    'map with string keys',
    Schemas.map(Schemas.string(), Schemas.int64()),
    '{"type":"object","connect.type":"map","additionalProperties":{"type":"integer","connect.type":"int64"}}',
  ],
  [
    'map with other keys',
    Schemas.map(Schemas.int32(), Schemas.string({ optional: true })),
    '{"type":"array","connect.type":"map","items":{"type":"object","properties":{"value":{"connect.index":1,"oneOf":[{"type":"null"},{"type":"string"}]},"key":{"type":"integer","connect.index":0,"connect.type":"int32"}}}}',
  ],
  ['struct without fields', Schemas.struct([], { name: 'Empty' }), '{"type":"object","title":"Empty"}'],
  [
    'a table row',
    shop,
    '{"type":"object","title":"shop.public.orders.Value","properties":{"at":{"connect.index":3,"oneOf":[{"type":"null"},{"type":"integer","title":"org.apache.kafka.connect.data.Timestamp","connect.version":1,"connect.type":"int64"}]},"price":{"connect.index":1,"oneOf":[{"type":"null"},{"type":"string","title":"org.apache.kafka.connect.data.Decimal","connect.version":1,"connect.type":"bytes","connect.parameters":{"scale":"2","connect.decimal.precision":"10"}}]},"id":{"type":"integer","connect.index":0,"connect.type":"int64"},"day":{"type":"integer","title":"org.apache.kafka.connect.data.Date","connect.index":2,"connect.version":1,"connect.type":"int32"},"seen":{"connect.index":4,"oneOf":[{"type":"null"},{"type":"integer","title":"io.debezium.time.MicroTimestamp","connect.version":1,"connect.type":"int64"}]}}}',
  ],
  ['a Debezium envelope, as a worker registered it', envelope, ENVELOPE_TEXT],
  [
    'union',
    Schemas.struct(
      [
        [`${ONE_OF}.field.0`, Schemas.int32({ optional: true })],
        [`${ONE_OF}.field.1`, Schemas.string({ optional: true })],
      ],
      { name: ONE_OF },
    ),
    '{"oneOf":[{"type":"integer","connect.index":0,"connect.type":"int32"},{"type":"string","connect.index":1}]}',
  ],
  [
    'enum',
    Schemas.string({ parameters: { [ENUM]: '', [`${ENUM}.red`]: 'red', [`${ENUM}.green`]: 'green', [`${ENUM}.blue`]: 'blue' } }),
    '{"enum":["red","green","blue"]}',
  ],
]

describe('json-schema codec: Connect schema → JSON Schema', () => {
  it.each(cases)('%s', (_what, schema, text) => {
    expect(jsonSchemaCodec.schemaText(schema)).toBe(text)
    // Kept per schema object: the same string, not one built again.
    expect(jsonSchemaCodec.schemaText(schema)).toBe(jsonSchemaCodec.schemaText(schema))
  })

  it.each(cases)('%s reads back as the same Connect schema', (_what, schema, text) => {
    expect(sameSchema(read(text).schema, schema), shown(read(text).schema)).toBe(true)
  })

  it("names the record by the top title, as Confluent's JsonSchema.name()", () => {
    expect(jsonSchemaCodec.recordName(envelope)).toBe('dbserver1.public.timmyb32r_favourite_table.Envelope')
    expect(jsonSchemaCodec.recordName(asOptional(row))).toBeUndefined()
    expect(jsonSchemaCodec.recordName(Schemas.int32())).toBeUndefined()
  })

  it('is the converter named json-schema and io.confluent.connect.json.JsonSchemaConverter', () => {
    expect(REGISTRY_CONVERTERS['json-schema']).toBe(jsonSchemaCodec)
    expect(REGISTRY_CONVERTERS['io.confluent.connect.json.JsonSchemaConverter']).toBe(jsonSchemaCodec)
    expect(jsonSchemaCodec.schemaType).toBe('JSON')
  })

  it('orders keys as java.util.HashMap does', () => {
    expect(javaStringHash('connect.index')).toBe(2087106254)
    expect(javaStringHash('connect.version')).toBe(-1632298028)
    expect(javaHashMapOrder(['before', 'after', 'source', 'op', 'ts_ms', 'transaction'])).toEqual([
      'op',
      'before',
      'after',
      'source',
      'ts_ms',
      'transaction',
    ])
  })
})

describe('json-schema codec: a plain JSON Schema', () => {
  it('maps integer to int64, number to float64, null-or-T to optional T, objects to structs', () => {
    const { schema } = read(
      '{"type":"object","title":"Thing","properties":{"a":{"type":"integer"},"b":{"type":"number"},"c":{"type":["string","null"]},"d":{"oneOf":[{"type":"null"},{"type":"boolean"}]},"e":{"type":"array","items":{"$ref":"#/definitions/tag"}}},"definitions":{"tag":{"type":"string","description":"a tag"}}}',
    )
    const expected = Schemas.struct(
      [
        ['a', Schemas.int64()],
        ['b', Schemas.float64()],
        ['c', Schemas.string({ optional: true })],
        ['d', Schemas.boolean({ optional: true })],
        ['e', Schemas.array(Schemas.string({ doc: 'a tag' }))],
      ],
      { name: 'Thing' },
    )
    expect(sameSchema(schema, expected), shown(schema)).toBe(true)
  })

  it("puts properties without connect.index in everit's hash order, as Confluent does", () => {
    const { schema } = read('{"type":"object","properties":{"zeta":{"type":"string"},"alpha":{"type":"string"},"op":{"type":"string"}}}')
    expect(schema.fields?.map((field) => field.name)).toEqual(javaHashMapOrder(['zeta', 'alpha', 'op']))
  })

  it('reads an enum into a string with its symbols as parameters, and another oneOf into a union', () => {
    expect(read('{"enum":["x","y"]}').schema.parameters).toEqual({ [ENUM]: '', [`${ENUM}.x`]: 'x', [`${ENUM}.y`]: 'y' })
    const union = read('{"oneOf":[{"type":"null"},{"type":"integer"},{"type":"string"}]}')
    expect(union.schema.name).toBe(ONE_OF)
    expect(union.schema.optional).toBe(true)
    expect(union.read(Buffer.from('"hi"'))).toEqual({ [`${ONE_OF}.field.0`]: null, [`${ONE_OF}.field.1`]: 'hi' })
  })

  it('refuses what has no Connect schema', () => {
    expect(() => read('true')).toThrow(/no Connect schema/)
    expect(() => read('{"type":"object","properties":{"a":{"$ref":"other.json"}}}')).toThrow(/outside the schema/)
    expect(() =>
      jsonSchemaCodec.reader({ schemaType: 'JSON', schema: '{}', references: [{ name: 'a.json', subject: 'a', version: 1 }] }),
    ).toThrow(/references/)
  })
})

/** [what, schema, value, the payload JsonSchemaData writes, the value read back]. */
const values: Array<[string, Schema, unknown, string, unknown]> = [
  ['int8', Schemas.int8(), -128, '-128', -128],
  ['int16', Schemas.int16(), 32767, '32767', 32767],
  ['int32', Schemas.int32(), -2147483648, '-2147483648', -2147483648],
  ['int64 2^63-1', Schemas.int64(), 2n ** 63n - 1n, '9223372036854775807', 2n ** 63n - 1n],
  ['int64 -2^63', Schemas.int64(), -(2n ** 63n), '-9223372036854775808', -(2n ** 63n)],
  ['int64 small', Schemas.int64(), 42, '42', 42],
  ['float32 as Java prints it', Schemas.float32(), 1.1, '1.1', 1.1],
  ['float64', Schemas.float64(), 1e21, '1.0E21', 1e21],
  ['float64 NaN', Schemas.float64(), Number.NaN, '"NaN"', Number.NaN],
  ['boolean', Schemas.boolean(), false, 'false', false],
  ['string', Schemas.string(), 'ä "q" \u0001', '"ä \\"q\\" \\u0001"', 'ä "q" \u0001'],
  ['bytes as base64', Schemas.bytes(), Buffer.from([0, 255, 7]), '"AP8H"', Buffer.from([0, 255, 7])],
  ['Decimal as base64 of the unscaled bytes', Logical.decimal(2, 10), '-12.30', '"+zI="', '-12.30'],
  ['Date as days', Logical.date(), new Date(Date.UTC(2024, 1, 29)), '19782', new Date(Date.UTC(2024, 1, 29))],
  ['Time as ms of the day', Logical.time(), new Date(45_296_789), '45296789', new Date(45_296_789)],
  [
    'Timestamp as ms',
    Logical.timestamp(),
    new Date(Date.UTC(2024, 1, 29, 12, 0, 0, 5)),
    '1709208000005',
    new Date(Date.UTC(2024, 1, 29, 12, 0, 0, 5)),
  ],
  ['optional null', Schemas.string({ optional: true }), null, 'null', null],
  ['null takes the default', Schemas.int32({ optional: true, defaultValue: 7 }), null, '7', 7],
  ['array', Schemas.array(Schemas.int32({ optional: true })), [1, null, 3], '[1,null,3]', [1, null, 3]],
  [
    'map with string keys',
    Schemas.map(Schemas.string(), Schemas.int64()),
    { a: 1, b: 2n ** 62n },
    '{"a":1,"b":4611686018427387904}',
    { a: 1, b: 2n ** 62n },
  ],
  [
    'map with int keys: {key, value} objects',
    Schemas.map(Schemas.int32(), Schemas.string()),
    new Map([
      [1, 'x'],
      [2, 'y'],
    ]),
    '[{"key":1,"value":"x"},{"key":2,"value":"y"}]',
    new Map([
      [1, 'x'],
      [2, 'y'],
    ]),
  ],
  [
    'a table row',
    shop,
    { id: 2n ** 63n - 1n, price: '12.30', day: new Date(86_400_000), at: null, seen: 1_700_000_000_000_001 },
    '{"id":9223372036854775807,"price":"BM4=","day":1,"at":null,"seen":1700000000000001}',
    { id: 2n ** 63n - 1n, price: '12.30', day: new Date(86_400_000), at: null, seen: 1_700_000_000_000_001 },
  ],
  [
    'a struct holding a map',
    Schemas.struct([
      ['m', Schemas.map(Schemas.int64(), Logical.date())],
      ['n', Schemas.int8({ optional: true })],
    ]),
    { m: new Map([[2n ** 60n, new Date(0)]]), n: null },
    '{"m":[{"key":1152921504606846976,"value":0}],"n":null}',
    { m: new Map([[2n ** 60n, new Date(0)]]), n: null },
  ],
  [
    'a Debezium envelope',
    envelope,
    {
      before: null,
      after: { id: 1, val: 'x' },
      op: 'c',
      ts_ms: 1_700_000_000_000,
      transaction: null,
      source: {
        version: '2.1',
        connector: 'postgresql',
        name: 'dbserver1',
        ts_ms: 1,
        snapshot: null,
        db: 'db',
        sequence: null,
        schema: 'public',
        table: 't',
        txId: 2n ** 63n - 1n,
        lsn: 5,
        xmin: null,
      },
    },
    '{"before":null,"after":{"id":1,"val":"x"},"source":{"version":"2.1","connector":"postgresql","name":"dbserver1","ts_ms":1,"snapshot":"false","db":"db","sequence":null,"schema":"public","table":"t","txId":9223372036854775807,"lsn":5,"xmin":null},"op":"c","ts_ms":1700000000000,"transaction":null}',
    {
      before: null,
      after: { id: 1, val: 'x' },
      op: 'c',
      ts_ms: 1_700_000_000_000,
      transaction: null,
      source: {
        version: '2.1',
        connector: 'postgresql',
        name: 'dbserver1',
        ts_ms: 1,
        snapshot: 'false',
        db: 'db',
        sequence: null,
        schema: 'public',
        table: 't',
        txId: 2n ** 63n - 1n,
        lsn: 5,
        xmin: null,
      },
    },
  ],
]

describe('json-schema codec: values', () => {
  it.each(values)('%s', (_what, schema, value, payload, back) => {
    const bytes = jsonSchemaCodec.writer(schema)(value)
    expect(bytes.toString('utf8')).toBe(payload)
    const reader = read(jsonSchemaCodec.schemaText(schema))
    expect(reader.read(bytes)).toEqual(back)
  })

  it('refuses a required null with no default, naming the field', () => {
    const schema = Schemas.struct([
      ['m', Schemas.map(Schemas.int32(), Schemas.string())],
      ['id', Schemas.int32()],
    ])
    expect(() => jsonSchemaCodec.writer(schema)({ m: new Map(), id: null })).toThrow(/id: null for a required int32/)
  })
})
