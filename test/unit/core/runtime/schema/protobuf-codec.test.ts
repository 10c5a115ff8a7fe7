/** The Protobuf codec against the .proto text Confluent's ProtobufData writes, values there and back, and the message-index bytes. */
import { describe, expect, it } from 'vitest'
import { protobufFormat } from '../../../../../core/registry/formats/protobuf.ts'
import { Logical } from '../../../../../core/runtime/schema/logical.ts'
import { protobufCodec } from '../../../../../core/runtime/schema/protobuf-codec.ts'
import { decodeMessageIndexes, encodeMessageIndexes } from '../../../../../core/runtime/schema/protobuf-message-indexes.ts'
import { Schemas, type Schema } from '../../../../../core/runtime/schema/schema.ts'
import { REGISTRY_CONVERTERS } from '../../../../../core/runtime/registry-converter-config.ts'
import { ordersEnvelope } from '../../../../support/orders-envelope.ts'

const TAG = 'io.confluent.connect.protobuf.Tag'
const meta = (...params: Array<[string, string]>) => `[(confluent.field_meta) = {
    params: [
${params
  .map(
    ([key, value]) => `      {
        key: "${key}",
        value: "${value}"
      }`,
  )
  .join(',\n')}
    ]
  }]`

const envelope = ordersEnvelope

/** [what, Connect schema, the .proto text]. */
const cases: Array<[string, Schema, string]> = [
  [
    'primitives, unnamed',
    Schemas.struct([
      ['a', Schemas.int8()],
      ['b', Schemas.int16()],
      ['c', Schemas.int32()],
      ['d', Schemas.int64()],
      ['e', Schemas.float32()],
      ['f', Schemas.float64()],
      ['g', Schemas.boolean()],
      ['h', Schemas.string({ optional: true })],
      ['i', Schemas.bytes()],
    ]),
    `syntax = "proto3";

import "confluent/meta.proto";

message ConnectDefault1 {
  int32 a = 1 ${meta(['connect.type', 'int8'])};
  int32 b = 2 ${meta(['connect.type', 'int16'])};
  int32 c = 3;
  int64 d = 4;
  float e = 5;
  double f = 6;
  bool g = 7;
  string h = 8;
  bytes i = 9;
}
`,
  ],
  [
    'logical types',
    Schemas.struct(
      [
        ['amount', Logical.decimal(3, 12)],
        ['day', Logical.date()],
        ['at', Logical.time({ optional: true })],
        ['ts', Logical.timestamp()],
      ],
      { name: 'Logical' },
    ),
    `syntax = "proto3";

import "confluent/meta.proto";
import "confluent/type/decimal.proto";
import "google/type/date.proto";
import "google/type/timeofday.proto";
import "google/protobuf/timestamp.proto";

message Logical {
  confluent.type.Decimal amount = 1 ${meta(['precision', '12'], ['scale', '3'])};
  google.type.Date day = 2;
  google.type.TimeOfDay at = 3;
  google.protobuf.Timestamp ts = 4;
}
`,
  ],
  // A struct type named as its field takes a "Message" suffix (Confluent's rule); a type used twice is declared once.
  [
    'arrays, maps and nested structs',
    Schemas.struct(
      [
        ['tags', Schemas.array(Schemas.string())],
        ['counts', Schemas.map(Schemas.string(), Schemas.int64())],
        ['point', Schemas.struct([['x', Schemas.float64()]], { name: 'geo.point' })],
        ['Inner', Schemas.struct([['y', Schemas.int32()]], { name: 'Inner', optional: true })],
        ['spots', Schemas.array(Schemas.struct([['x', Schemas.float64()]], { name: 'geo.Spot' }))],
        ['spot', Schemas.struct([['x', Schemas.float64()]], { name: 'geo.Spot', optional: true })],
      ],
      { name: 'a.b.Outer' },
    ),
    `syntax = "proto3";
package a.b;

message Outer {
  repeated string tags = 1;
  repeated ConnectDefault1Entry counts = 2;
  pointMessage point = 3;
  InnerMessage Inner = 4;
  repeated Spot spots = 5;
  Spot spot = 6;

  message ConnectDefault1Entry {
    string key = 1;
    int64 value = 2;
  }
  message pointMessage {
    double x = 1;
  }
  message InnerMessage {
    int32 y = 1;
  }
  message Spot {
    double x = 1;
  }
}
`,
  ],
  [
    'a Debezium envelope with optional before and after',
    envelope,
    `syntax = "proto3";
package shop.public.orders;

import "confluent/meta.proto";
import "confluent/type/decimal.proto";

message Envelope {
  Value before = 1;
  Value after = 2;
  Source source = 3;
  string op = 4;
  int64 ts_ms = 5;

  message Value {
    int32 id = 1;
    confluent.type.Decimal price = 2 ${meta(['precision', '10'], ['scale', '2']).replace(/\n/g, '\n  ')};
    int64 seen = 3;
  }
  message Source {
    string db = 1;
    int64 ts_ms = 2;
  }
}
`,
  ],
]

describe('protobufCodec.schemaText (ProtobufData.fromConnectSchema)', () => {
  it.each(cases)('%s', (_what, schema, text) => {
    expect(protobufCodec.schemaText(schema)).toBe(text)
    // What the registry stores is the same text: it is already in the canonical layout.
    expect(protobufFormat.parse(text, []).canonical).toBe(text)
  })

  it('is computed once per schema object', () => {
    expect(protobufCodec.schemaText(envelope)).toBe(protobufCodec.schemaText(envelope))
    expect(protobufCodec.recordName(envelope)).toBe('shop.public.orders.Envelope')
    expect(protobufCodec.recordName(Schemas.struct([]))).toBe('ConnectDefault1')
  })

  it('refuses what has no Protobuf form', () => {
    expect(() => protobufCodec.schemaText(Schemas.int32())).toThrow(/struct schemas only/)
    expect(() => protobufCodec.schemaText(Schemas.struct([['x', Schemas.array(Schemas.array(Schemas.int32()))]]))).toThrow(
      /array of arrays/,
    )
  })

  it('is registered under both names', () => {
    expect(REGISTRY_CONVERTERS.protobuf).toBe(protobufCodec)
    expect(REGISTRY_CONVERTERS['io.confluent.connect.protobuf.ProtobufConverter']).toBe(protobufCodec)
  })
})

function roundTrip(schema: Schema, data: unknown) {
  const bytes = protobufCodec.writer(schema)(data)
  const reader = protobufCodec.reader({ schemaType: 'PROTOBUF', schema: protobufCodec.schemaText(schema), references: [] })
  return { bytes, schema: reader.schema, value: reader.read(bytes) }
}

describe('values, writer to reader', () => {
  const all = Schemas.struct(
    [
      ['i8', Schemas.int8()],
      ['i16', Schemas.int16()],
      ['i32', Schemas.int32()],
      ['i64', Schemas.int64()],
      ['f32', Schemas.float32()],
      ['f64', Schemas.float64()],
      ['flag', Schemas.boolean()],
      ['text', Schemas.string()],
      ['blob', Schemas.bytes()],
      ['amount', Logical.decimal(2)],
      ['day', Logical.date()],
      ['at', Logical.time()],
      ['ts', Logical.timestamp()],
      ['tags', Schemas.array(Schemas.int32())],
      ['byName', Schemas.map(Schemas.string(), Schemas.string())],
      ['byId', Schemas.map(Schemas.int64(), Schemas.struct([['ok', Schemas.boolean()]], { name: 'Flag' }))],
      ['inner', Schemas.struct([['n', Schemas.int64()]], { name: 'Inner', optional: true })],
    ],
    { name: 't.All' },
  )
  const row = {
    i8: -128,
    i16: 32767,
    i32: -2147483648,
    i64: 9007199254740993n,
    f32: 1.5,
    f64: -2.25e300,
    flag: true,
    text: 'zoë',
    blob: Buffer.from([0, 255]),
    amount: '-12345678901234567890.12',
    day: new Date(Date.UTC(2024, 1, 29)),
    at: new Date(45296789),
    ts: new Date(-1234567),
    tags: [3, -1, 0],
    byName: { a: 'x', b: '' },
    byId: new Map<unknown, unknown>([
      [-(2n ** 63n), { ok: true }],
      [7, { ok: false }],
    ]),
    inner: { n: 2n ** 63n - 1n },
  }

  it('carries every type, int64 bounds and exact decimals', () => {
    const { value } = roundTrip(all, row)
    expect(value).toEqual({
      ...row,
      byId: new Map<unknown, unknown>([
        [-(2n ** 63n), { ok: true }],
        [7, { ok: false }],
      ]),
    })
  })

  it('reads int64 within 2^53 as numbers', () => {
    const schema = Schemas.struct(
      [
        ['n', Schemas.int64()],
        ['m', Schemas.int64()],
      ],
      { name: 'N' },
    )
    expect(roundTrip(schema, { n: 2 ** 53 - 1, m: -(2 ** 53 - 1) }).value).toEqual({ n: 2 ** 53 - 1, m: -(2 ** 53 - 1) })
  })

  it('writes null and defaults as absent, as proto3: a scalar reads back as its default, a message as null', () => {
    const { bytes, value } = roundTrip(all, {
      ...row,
      i32: 0,
      text: null,
      blob: null,
      f64: null,
      amount: null,
      day: null,
      tags: [],
      inner: null,
      byName: {},
    })
    expect(value).toMatchObject({
      i32: 0,
      text: '',
      blob: Buffer.alloc(0),
      f64: 0,
      amount: null,
      day: null,
      tags: [],
      inner: null,
      byName: {},
    })
    expect(bytes.length).toBeLessThan(roundTrip(all, row).bytes.length)
  })

  it('reads a Debezium envelope with the Connect schema ProtobufData gives', () => {
    const after = { id: 7, price: '10.50', seen: 1_700_000_000_000_000 }
    const { value, schema } = roundTrip(envelope, { before: null, after, source: { db: 'shop', ts_ms: 5 }, op: 'c', ts_ms: 6 })
    expect(value).toEqual({ before: null, after, source: { db: 'shop', ts_ms: 5 }, op: 'c', ts_ms: 6 })
    expect(schema.name).toBe('Envelope')
    const afterSchema = schema.fields?.[1]?.schema
    expect(afterSchema).toMatchObject({ type: 'struct', name: 'Value', optional: true, parameters: { [TAG]: '2' } })
    expect(
      afterSchema?.fields?.map((field) => [
        field.name,
        field.schema.type,
        field.schema.name,
        field.schema.optional,
        field.schema.parameters,
      ]),
    ).toEqual([
      ['id', 'int32', undefined, true, { [TAG]: '1' }],
      ['price', 'bytes', 'org.apache.kafka.connect.data.Decimal', true, { scale: '2', 'connect.decimal.precision': '10', [TAG]: '2' }],
      ['seen', 'int64', undefined, true, { [TAG]: '3' }],
    ])
  })

  it('reads int8 and int16 back from their field_meta, and a map with its name', () => {
    const { schema } = roundTrip(all, row)
    const types = Object.fromEntries((schema.fields ?? []).map((field) => [field.name, field.schema]))
    expect([types.i8?.type, types.i16?.type, types.tags?.type, types.tags?.valueSchema?.type]).toEqual(['int8', 'int16', 'array', 'int32'])
    expect(types.byName).toMatchObject({
      type: 'map',
      name: 'connect_default1',
      keySchema: { type: 'string' },
      valueSchema: { type: 'string' },
    })
  })

  it('refuses data that does not fit', () => {
    const schema = Schemas.struct([['small', Schemas.int8()]], { name: 'S' })
    expect(() => protobufCodec.writer(schema)({ small: 200 })).toThrow(/small: 200 is not an int8/)
    expect(() => protobufCodec.writer(Schemas.struct([['n', Schemas.int64()]]))({ n: 2n ** 63n })).toThrow(/does not fit an int64/)
  })
})

describe('message indexes', () => {
  it('writes [0] as the single byte 0 before the message', () => {
    const schema = Schemas.struct([['id', Schemas.int32()]], { name: 'K' })
    expect(protobufCodec.writer(schema)({ id: 1 }).toString('hex')).toBe('000801')
  })

  it('encodes other paths as a zigzag count and zigzag indexes, and decodes them', () => {
    expect(encodeMessageIndexes([1]).toString('hex')).toBe('0202')
    expect(encodeMessageIndexes([1, 0, 70]).toString('hex')).toBe('0602008c01')
    expect(decodeMessageIndexes(Buffer.from('0602008c01ff', 'hex'))).toEqual({ indexes: [1, 0, 70], offset: 5 })
    expect(decodeMessageIndexes(Buffer.from('00ff', 'hex'))).toEqual({ indexes: [0], offset: 1 })
    expect(() => decodeMessageIndexes(Buffer.from('040280', 'hex'))).toThrow(/ends inside/)
  })

  it('reads the message the indexes name, with its own Connect schema', () => {
    const text =
      'syntax = "proto3";\n\nmessage A {\n  int32 a = 1;\n}\nmessage B {\n  string b = 1;\n\n  message C {\n    bool c = 1;\n  }\n}\n'
    const reader = protobufCodec.reader({ schemaType: 'PROTOBUF', schema: text, references: [] })
    expect(reader.schema.name).toBe('A')
    const payload = Buffer.concat([encodeMessageIndexes([1, 0]), Buffer.from('0801', 'hex')])
    expect(reader.readData?.(payload)).toMatchObject({ value: { c: true }, schema: { name: 'C' } })
    expect(reader.read(Buffer.from('000805', 'hex'))).toEqual({ a: 5 })
  })
})
