/** The Avro mapping against the JSON Confluent's AvroData writes, there and back, and against hand-computed Avro binary. */
import { describe, expect, it } from 'vitest'
import { Debezium, asOptional } from '../../../../../core/runtime/schema/debezium.ts'
import { Logical } from '../../../../../core/runtime/schema/logical.ts'
import { Schemas, sameSchema, type Schema } from '../../../../../core/runtime/schema/schema.ts'
import { avroSchemaOf } from '../../../../../core/runtime/schema/avro-data.ts'
import { connectSchemaOf } from '../../../../../core/runtime/schema/avro-connect-schema.ts'
import { avroReader, avroValueReader, avroWriter } from '../../../../../core/runtime/schema/avro-binary.ts'
import { SchemaValueError } from '../../../../../core/runtime/schema/connect-json-payload.ts'
import { ordersEnvelope } from '../../../../support/orders-envelope.ts'

const DECIMAL = 'org.apache.kafka.connect.data.Decimal'
const decimal = (scale: number, precision: number, parameters: Record<string, string>) => ({
  type: 'bytes',
  scale,
  precision,
  'connect.version': 1,
  'connect.parameters': parameters,
  'connect.name': DECIMAL,
  logicalType: 'decimal',
})

const envelope = ordersEnvelope

const unnamedInner = Schemas.struct([['x', Schemas.int16()]])
const unnamedOuter = Schemas.struct([
  ['a', unnamedInner],
  ['b', Schemas.struct([['y', Schemas.boolean()]], { optional: true })],
  ['c', unnamedInner],
])

/** [what, Connect schema, Avro JSON as AvroData writes it]. */
const cases: Array<[string, Schema, unknown]> = [
  ['int8', Schemas.int8(), { type: 'int', 'connect.type': 'int8' }],
  ['int16', Schemas.int16(), { type: 'int', 'connect.type': 'int16' }],
  ['int32', Schemas.int32(), 'int'],
  ['int64', Schemas.int64(), 'long'],
  ['float32', Schemas.float32(), 'float'],
  ['float64', Schemas.float64(), 'double'],
  ['boolean', Schemas.boolean(), 'boolean'],
  ['string', Schemas.string(), 'string'],
  ['bytes', Schemas.bytes(), 'bytes'],
  ['optional int32', Schemas.int32({ optional: true }), ['null', 'int']],
  ['optional int8', Schemas.int8({ optional: true }), ['null', { type: 'int', 'connect.type': 'int8' }]],
  [
    'doc, version, parameters',
    Schemas.string({ doc: 'a note', version: 3, parameters: { a: 'b' } }),
    { type: 'string', 'connect.doc': 'a note', 'connect.version': 3, 'connect.parameters': { a: 'b' } },
  ],
  ['default', Schemas.int64({ defaultValue: 7 }), { type: 'long', 'connect.default': 7 }],
  [
    'optional with a default: the type first',
    Schemas.string({ optional: true, defaultValue: 'new' }),
    [{ type: 'string', 'connect.default': 'new' }, 'null'],
  ],
  [
    'bytes default as ISO-8859-1 text',
    Schemas.bytes({ defaultValue: Buffer.from([1, 0xff]) }),
    { type: 'bytes', 'connect.default': '\u0001\u00ff' },
  ],
  ['array', Schemas.array(Schemas.string()), { type: 'array', items: 'string' }],
  [
    'optional array of optional',
    Schemas.array(Schemas.int32({ optional: true }), { optional: true }),
    ['null', { type: 'array', items: ['null', 'int'] }],
  ],
  ['map with string keys', Schemas.map(Schemas.string(), Schemas.int64()), { type: 'map', values: 'long' }],
  [
    'map with other keys',
    Schemas.map(Schemas.int32(), Schemas.string({ optional: true })),
    {
      type: 'array',
      items: {
        type: 'record',
        name: 'MapEntry',
        namespace: 'io.confluent.connect.avro',
        fields: [
          { name: 'key', type: 'int' },
          { name: 'value', type: ['null', 'string'], default: null },
        ],
      },
    },
  ],
  ['Decimal without precision: 64', Logical.decimal(2), decimal(2, 64, { scale: '2' })],
  ['Decimal with precision', Logical.decimal(3, 10), decimal(3, 10, { scale: '3', 'connect.decimal.precision': '10' })],
  [
    'Date',
    Logical.date(),
    { type: 'int', 'connect.version': 1, 'connect.name': 'org.apache.kafka.connect.data.Date', logicalType: 'date' },
  ],
  [
    'Time',
    Logical.time(),
    { type: 'int', 'connect.version': 1, 'connect.name': 'org.apache.kafka.connect.data.Time', logicalType: 'time-millis' },
  ],
  [
    'Timestamp',
    Logical.timestamp(),
    { type: 'long', 'connect.version': 1, 'connect.name': 'org.apache.kafka.connect.data.Timestamp', logicalType: 'timestamp-millis' },
  ],
  [
    'Debezium MicroTimestamp',
    Debezium.microTimestamp,
    { type: 'long', 'connect.version': 1, 'connect.name': 'io.debezium.time.MicroTimestamp' },
  ],
  [
    'Debezium Enum',
    Debezium.enum(['a', 'b']),
    { type: 'string', 'connect.version': 1, 'connect.parameters': { allowed: 'a,b' }, 'connect.name': 'io.debezium.data.Enum' },
  ],
  [
    'struct with field defaults',
    Schemas.struct(
      [
        ['a', Schemas.int32({ defaultValue: 5 })],
        ['b', Schemas.string({ optional: true })],
      ],
      { name: 'Plain', doc: 'rows' },
    ),
    {
      type: 'record',
      name: 'Plain',
      fields: [
        { name: 'a', type: { type: 'int', 'connect.default': 5 }, default: 5 },
        { name: 'b', type: ['null', 'string'], default: null },
      ],
      'connect.doc': 'rows',
      'connect.name': 'Plain',
    },
  ],
  [
    'unnamed structs: ConnectDefault, numbered, an equal one reused',
    unnamedOuter,
    {
      type: 'record',
      name: 'ConnectDefault',
      namespace: 'io.confluent.connect.avro',
      fields: [
        {
          name: 'a',
          type: { type: 'record', name: 'ConnectDefault2', fields: [{ name: 'x', type: { type: 'int', 'connect.type': 'int16' } }] },
        },
        { name: 'b', type: ['null', { type: 'record', name: 'ConnectDefault3', fields: [{ name: 'y', type: 'boolean' }] }], default: null },
        { name: 'c', type: 'ConnectDefault2' },
      ],
    },
  ],
  [
    'a Debezium envelope: Value in full once, then by name',
    envelope,
    {
      type: 'record',
      name: 'Envelope',
      namespace: 'shop.public.orders',
      fields: [
        {
          name: 'before',
          type: [
            'null',
            {
              type: 'record',
              name: 'Value',
              fields: [
                { name: 'id', type: 'int' },
                { name: 'price', type: ['null', decimal(2, 10, { scale: '2', 'connect.decimal.precision': '10' })], default: null },
                {
                  name: 'seen',
                  type: ['null', { type: 'long', 'connect.version': 1, 'connect.name': 'io.debezium.time.MicroTimestamp' }],
                  default: null,
                },
              ],
              'connect.name': 'shop.public.orders.Value',
            },
          ],
          default: null,
        },
        { name: 'after', type: ['null', 'Value'], default: null },
        {
          name: 'source',
          type: {
            type: 'record',
            name: 'Source',
            namespace: 'io.debezium.connector.postgresql',
            fields: [
              { name: 'db', type: 'string' },
              { name: 'ts_ms', type: 'long' },
            ],
            'connect.name': 'io.debezium.connector.postgresql.Source',
          },
        },
        { name: 'op', type: 'string' },
        { name: 'ts_ms', type: ['null', 'long'], default: null },
      ],
      'connect.version': 1,
      'connect.name': 'shop.public.orders.Envelope',
    },
  ],
]

describe('avroSchemaOf: the Avro schema AvroData writes', () => {
  it.each(cases)('%s', (_, schema, expected) => {
    // Key order too: the registered text is Avro's toString of it.
    expect(JSON.stringify(avroSchemaOf(schema))).toBe(JSON.stringify(expected))
  })

  it('gives the same object for the same schema', () => {
    expect(avroSchemaOf(envelope)).toBe(avroSchemaOf(envelope))
  })

  it('writes a name that is an Avro type name in full even in its own namespace', () => {
    const record = Schemas.struct([['v', Schemas.int32()]], { name: 'ns.record' })
    const outer = Schemas.struct(
      [
        ['a', record],
        ['b', asOptional(record)],
      ],
      { name: 'ns.Outer' },
    )
    const json = avroSchemaOf(outer) as { fields: Array<{ type: unknown }> }
    expect(json.fields[1]?.type).toEqual(['null', 'ns.record'])
  })

  it('refuses one name for two different structs', () => {
    const a = Schemas.struct([['v', Schemas.int32()]], { name: 'ns.Same' })
    const b = Schemas.struct([['w', Schemas.int32()]], { name: 'ns.Same' })
    expect(() =>
      avroSchemaOf(
        Schemas.struct(
          [
            ['a', a],
            ['b', b],
          ],
          { name: 'ns.Outer' },
        ),
      ),
    ).toThrow(/ns\.Same/)
  })
})

describe('connectSchemaOf: back to the Connect schema', () => {
  it.each(cases)('%s comes back the same', (_, schema) => {
    const back = connectSchemaOf(avroSchemaOf(schema))
    expect(sameSchema(back, schema)).toBe(true)
  })

  it('reads Avro written elsewhere as AvroData does', () => {
    const schema = connectSchemaOf({
      type: 'record',
      name: 'Row',
      namespace: 'ext',
      doc: 'a row',
      fields: [
        { name: 'kind', type: { type: 'enum', name: 'Kind', symbols: ['A', 'B'] } },
        { name: 'hash', type: { type: 'fixed', name: 'Hash', size: 4 } },
        { name: 'either', type: ['null', 'int', 'string', 'Kind'] },
        { name: 'micros', type: { type: 'long', logicalType: 'timestamp-micros' } },
        { name: 'amount', type: { type: 'bytes', logicalType: 'decimal', precision: 9, scale: 2 } },
        { name: 'n', type: 'int', default: 3, doc: 'a count' },
      ],
    })
    expect(schema.name).toBe('ext.Row')
    expect(schema.parameters).toEqual({
      'io.confluent.connect.avro.record.doc': 'a row',
      'io.confluent.connect.avro.field.doc.n': 'a count',
    })
    const [kind, hash, either, micros, amount, n] = schema.fields?.map((field) => field.schema) ?? []
    expect(kind).toMatchObject({
      type: 'string',
      name: 'ext.Kind',
      parameters: {
        'io.confluent.connect.avro.Enum': 'ext.Kind',
        'io.confluent.connect.avro.Enum.A': 'A',
        'io.confluent.connect.avro.Enum.B': 'B',
      },
    })
    expect(hash).toMatchObject({ type: 'bytes', name: 'ext.Hash', parameters: { 'connect.fixed.size': '4' } })
    expect(either?.name).toBe('io.confluent.connect.avro.Union')
    expect(either?.optional).toBe(true)
    expect(either?.fields?.map((field) => [field.name, field.schema.type, field.schema.optional])).toEqual([
      ['int', 'int32', true],
      ['string', 'string', true],
      ['Kind', 'string', true],
    ])
    expect(micros).toEqual(Schemas.int64())
    expect(sameSchema(amount, Logical.decimal(2, 9))).toBe(true)
    expect(n).toMatchObject({ type: 'int32', defaultValue: 3, parameters: { 'io.confluent.connect.avro.field.default': 'true' } })
  })

  it('refuses a record that contains itself', () => {
    expect(() => connectSchemaOf({ type: 'record', name: 'Node', fields: [{ name: 'next', type: ['null', 'Node'] }] })).toThrow(/itself/)
  })
})

const row = Schemas.struct(
  [
    ['i8', Schemas.int8()],
    ['i16', Schemas.int16()],
    ['i32', Schemas.int32()],
    ['i64', Schemas.int64()],
    ['f32', Schemas.float32()],
    ['f64', Schemas.float64()],
    ['flag', Schemas.boolean()],
    ['text', Schemas.string()],
    ['raw', Schemas.bytes()],
    ['price', Logical.decimal(3, 12)],
    ['day', Logical.date()],
    ['clock', Logical.time()],
    ['at', Logical.timestamp()],
    ['micros', Debezium.microTimestamp],
    ['maybe', Schemas.string({ optional: true })],
    ['list', Schemas.array(Schemas.int64())],
    ['labels', Schemas.map(Schemas.string(), Schemas.string())],
    ['counts', Schemas.map(Schemas.int32(), Schemas.int64())],
    [
      'inner',
      Schemas.struct(
        [
          ['x', Schemas.float64()],
          ['note', Schemas.string({ optional: true })],
        ],
        { name: 'shop.Inner', optional: true },
      ),
    ],
  ],
  { name: 'shop.Row' },
)

const full = {
  i8: -128,
  i16: 32767,
  i32: -(2 ** 31),
  i64: 2n ** 63n - 1n,
  f32: 1.5,
  f64: -0.1,
  flag: true,
  text: 'héllo',
  raw: Buffer.from([0, 1, 255]),
  price: '-123456789.125',
  day: new Date('2024-02-29T00:00:00Z'),
  clock: new Date(45_296_789),
  at: new Date('2024-02-29T12:34:56.789Z'),
  micros: 1_709_210_096_789_123,
  maybe: null,
  list: [0, -1, 2 ** 53 - 1, -(2n ** 63n)],
  labels: { a: 'b', '': 'empty' },
  counts: new Map<number, number | bigint>([
    [1, 10],
    [-2, 2n ** 62n],
  ]),
  inner: { x: 2.25, note: null },
}

describe('values through Avro binary', () => {
  it('reads back what it writes, for every type', () => {
    const bytes = avroWriter(row)(full)
    expect(avroValueReader(row)(bytes)).toEqual(full)
  })

  it('keeps int64 at both ends of its range and reads a small one as a number', () => {
    const schema = Schemas.int64()
    for (const n of [2n ** 63n - 1n, -(2n ** 63n), 2n ** 53n, -(2n ** 53n) - 1n])
      expect(avroValueReader(schema)(avroWriter(schema)(n))).toBe(n)
    expect(avroValueReader(schema)(avroWriter(schema)(2n ** 40n))).toBe(2 ** 40)
    expect(avroValueReader(schema)(avroWriter(schema)(-(2 ** 53) + 1))).toBe(-(2 ** 53) + 1)
  })

  it('keeps decimals exact, negative ones and those with a scale', () => {
    const schema = Logical.decimal(4)
    for (const text of ['0.0000', '-0.0001', '12345678901234567890.1234', '-99999999999999999999999.9999'])
      expect(avroValueReader(schema)(avroWriter(schema)(text))).toBe(text)
    expect(avroValueReader(schema)(avroWriter(schema)('1.5'))).toBe('1.5000')
  })

  it('writes a null optional, and a null with a default as the default', () => {
    const schema = Schemas.struct(
      [
        ['a', Schemas.int32({ optional: true })],
        ['b', Schemas.string({ defaultValue: 'x' })],
      ],
      { name: 'D' },
    )
    expect(avroValueReader(schema)(avroWriter(schema)({ a: null, b: null }))).toEqual({ a: null, b: 'x' })
    expect(avroValueReader(schema)(avroWriter(schema)({}))).toEqual({ a: null, b: 'x' })
  })

  it('writes a nested envelope with before and after of one record', () => {
    const change = { before: null, after: { id: 1, price: '9.99', seen: null }, source: { db: 'shop', ts_ms: 1 }, op: 'c', ts_ms: 2 }
    expect(avroValueReader(envelope)(avroWriter(envelope)(change))).toEqual(change)
  })

  it('writes the bytes Avro specifies', () => {
    expect(avroWriter(Schemas.int32())(1).toString('hex')).toBe('02')
    expect(avroWriter(Schemas.int32())(-1).toString('hex')).toBe('01')
    expect(avroWriter(Schemas.int32())(64).toString('hex')).toBe('8001')
    expect(avroWriter(Schemas.string())('a').toString('hex')).toBe('0261')
    expect(avroWriter(Schemas.int32({ optional: true }))(null).toString('hex')).toBe('00')
    expect(avroWriter(Schemas.int32({ optional: true }))(1).toString('hex')).toBe('0202')
    expect(avroWriter(Schemas.string({ optional: true, defaultValue: 'x' }))('a').toString('hex')).toBe('000261') // [string, null]: branch 0
    expect(avroWriter(Schemas.int64())(2n ** 63n - 1n).toString('hex')).toBe('feffffffffffffffff01')
    expect(avroWriter(Schemas.int64())(-(2n ** 63n)).toString('hex')).toBe('ffffffffffffffffff01')
    expect(avroWriter(Schemas.boolean())(true).toString('hex')).toBe('01')
    expect(avroWriter(Schemas.float64())(1).toString('hex')).toBe('000000000000f03f')
    expect(avroWriter(Logical.decimal(2))('-12.34').toString('hex')).toBe('04fb2e') // -1234 = 0xfb2e
    expect(avroWriter(Logical.decimal(2))('1.28').toString('hex')).toBe('040080') // 128 needs a sign byte
    expect(avroWriter(Logical.date())(new Date('1970-01-02T00:00:00Z')).toString('hex')).toBe('02')
    expect(avroWriter(Schemas.array(Schemas.int32()))([1, 2]).toString('hex')).toBe('04020400') // one block of 2, then 0
    expect(avroWriter(Schemas.map(Schemas.int32(), Schemas.string()))(new Map([[1, 'a']])).toString('hex')).toBe('0202026100')
    expect(
      avroWriter(
        Schemas.struct([
          ['a', Schemas.int8()],
          ['b', Schemas.string()],
        ]),
      )({ a: 3, b: '' }).toString('hex'),
    ).toBe('0600')
  })

  it('says which field does not fit', () => {
    const write = avroWriter(envelope)
    const change = { before: null, after: { id: 'one', price: null, seen: null }, source: { db: 'shop', ts_ms: 1 }, op: 'c', ts_ms: 2 }
    expect(() => write(change)).toThrow(SchemaValueError)
    expect(() => write(change)).toThrow(/^after\.id: string one does not fit schema int32/)
    expect(() => write({ ...change, after: null, op: null })).toThrow(/^op: null for a required string/)
    expect(() => avroWriter(row)({ ...full, i8: 128 })).toThrow(/^i8: /)
    expect(() => avroWriter(row)({ ...full, list: [1, 1.5] })).toThrow(/^list\[1\]: /)
    expect(() => avroWriter(row)({ ...full, price: '1.0001' })).toThrow(/^price: /)
    expect(() => avroWriter(Schemas.int64())(2n ** 63n)).toThrow(SchemaValueError)
  })

  it('reads Avro written elsewhere: enum, fixed, union, with its Connect schema', () => {
    const writer = {
      type: 'record',
      name: 'Row',
      namespace: 'ext',
      fields: [
        { name: 'kind', type: { type: 'enum', name: 'Kind', symbols: ['A', 'B'] } },
        { name: 'hash', type: { type: 'fixed', name: 'Hash', size: 2 } },
        { name: 'either', type: ['null', 'int', 'string'] },
      ],
    }
    // kind B (index 1), hash ab cd, either: branch 2 (string) "x".
    const bytes = Buffer.from('02abcd040278', 'hex')
    expect(avroReader(writer)(bytes)).toEqual({ kind: 'B', hash: Buffer.from('abcd', 'hex'), either: { int: null, string: 'x' } })
    // Written back, the enum is a string (as AvroData without enhanced.avro.schema.support): "B" is 02 42.
    const schema = connectSchemaOf(writer)
    expect(avroWriter(schema)({ kind: 'B', hash: Buffer.from('abcd', 'hex'), either: { int: null, string: 'x' } }).toString('hex')).toBe(
      '0242abcd040278',
    )
  })

  it('reads old data with a newer schema, as Avro resolves them', () => {
    const before = Schemas.struct([['id', Schemas.int32()]], { name: 'ns.V' })
    const after = Schemas.struct(
      [
        ['id', Schemas.int64()],
        ['note', Schemas.string({ optional: true })],
      ],
      { name: 'ns.V' },
    )
    const bytes = avroWriter(before)({ id: 7 })
    expect(avroReader(avroSchemaOf(before), after)(bytes)).toEqual({ id: 7, note: null })
  })
})
