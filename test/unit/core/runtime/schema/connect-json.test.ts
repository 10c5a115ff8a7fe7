import { describe, expect, it } from 'vitest'
import { createPlainConverters } from '../../../../../core/runtime/converters.ts'
import { Debezium, Logical, Schemas, asOptional, sameSchema, type Schema } from '../../../../../core/runtime/plugin.ts'
import { schemaFromJson, schemaJson } from '../../../../../core/runtime/schema/connect-json.ts'
import { SchemaValueError, payloadFromJson, payloadWriter } from '../../../../../core/runtime/schema/connect-json-payload.ts'
import { decimalFromBytes, decimalToBytes, twosComplementBytes } from '../../../../../core/runtime/schema/logical.ts'
import { javaDoubleJson, javaFloatJson } from '../../../../../core/runtime/schema/java-number-text.ts'

const row = Schemas.struct(
  [
    ['id', Schemas.int32()],
    ['price', Logical.decimal(2, 10, { optional: true })],
    ['seen', asOptional(Debezium.microTimestamp)],
    ['tags', Schemas.array(Schemas.string(), { optional: true })],
  ],
  { name: 'shop.public.orders.Value', optional: true },
)

describe('the schema as JsonConverter writes it', () => {
  it('writes keys in its order: type, parts, optional, name, version, doc, parameters, default, field', () => {
    expect(schemaJson(row)).toBe(
      '{"type":"struct","fields":[{"type":"int32","optional":false,"field":"id"},' +
        '{"type":"bytes","optional":true,"name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"2","connect.decimal.precision":"10"},"field":"price"},' +
        '{"type":"int64","optional":true,"name":"io.debezium.time.MicroTimestamp","version":1,"field":"seen"},' +
        '{"type":"array","items":{"type":"string","optional":false},"optional":true,"field":"tags"}],"optional":true,"name":"shop.public.orders.Value"}',
    )
    const withDefault = Schemas.string({ optional: true, defaultValue: 'new', doc: 'a "state"' })
    expect(schemaJson(withDefault)).toBe('{"type":"string","optional":true,"doc":"a \\"state\\"","default":"new"}')
    expect(schemaJson(Schemas.array(Schemas.float32()))).toBe('{"type":"array","items":{"type":"float","optional":false},"optional":false}')
    expect(schemaJson(Schemas.map(Schemas.string(), Schemas.int64()))).toBe(
      '{"type":"map","keys":{"type":"string","optional":false},"values":{"type":"int64","optional":false},"optional":false}',
    )
  })

  it('reads back to the same schema, defaults and parameters included', () => {
    const withDefault = Schemas.struct([
      ['n', Schemas.int64({ optional: true, defaultValue: 7 })],
      ['d', Logical.decimal(3, undefined, { optional: true, defaultValue: '1.500' })],
    ])
    for (const schema of [row, withDefault, Schemas.map(Schemas.int32(), Schemas.bytes())]) {
      const back = schemaFromJson(JSON.parse(schemaJson(schema)))
      expect(sameSchema(back, schema)).toBe(true)
      expect(schemaJson(back)).toBe(schemaJson(schema))
    }
  })

  it('refuses a schema it cannot read, saying where', () => {
    expect(() => schemaFromJson({ type: 'struct', fields: [{ type: 'int33', field: 'a' }] })).toThrow(
      /schema.fields\[0\].type: unknown schema type "int33"/,
    )
    expect(() => schemaFromJson({ type: 'struct', fields: [{ type: 'int32' }] })).toThrow(/fields\[0\].field must be a string/)
  })
})

describe('the payload as JsonConverter writes it', () => {
  it("writes a Decimal as base64 of its unscaled two's-complement bytes", () => {
    const cases: Array<[string, string]> = [
      ['0', 'AA=='],
      ['1.28', 'AIA='],
      ['-1.28', 'gA=='],
      ['-1.29', '/38='],
      ['-12.34', '+y4='],
    ]
    for (const [text, base64] of cases) {
      expect(decimalToBytes(text, 2).toString('base64')).toBe(base64)
      expect(decimalFromBytes(Buffer.from(base64, 'base64'), 2)).toBe(text === '0' ? '0.00' : text)
    }
    expect(twosComplementBytes(2n ** 63n - 1n).toString('hex')).toBe('7fffffffffffffff')
    expect(twosComplementBytes(-(2n ** 63n)).toString('hex')).toBe('8000000000000000')
    expect(decimalToBytes('12.3', 2)).toEqual(decimalToBytes('12.30', 2))
    expect(() => decimalToBytes('12.345', 2)).toThrow(/more fraction digits than the scale 2/)
    expect(decimalFromBytes(decimalToBytes('0.005', 3), 3)).toBe('0.005')
  })

  it('writes floats as Java prints them', () => {
    expect([1, 0.5, 1e7, 1234567.5, 1e-3, 1e-4, 123e20, -0, 0, Number.NaN, Number.POSITIVE_INFINITY, -2.5e-10].map(javaDoubleJson)).toEqual(
      ['1.0', '0.5', '1.0E7', '1234567.5', '0.001', '1.0E-4', '1.23E22', '-0.0', '0.0', '"NaN"', '"Infinity"', '-2.5E-10'],
    )
    expect([1.1, Math.fround(1.1), 3.4028234663852886e38, 0.1, 16777216, 1.401298464324817e-45].map(javaFloatJson)).toEqual([
      '1.1',
      '1.1',
      '3.4028235E38',
      '0.1',
      '1.6777216E7',
      '1.4E-45',
    ])
    expect(javaDoubleJson(5e-324)).toBe('4.9E-324')
  })

  it("writes every field of a struct in the schema's order, nulls included", () => {
    const write = payloadWriter(row)
    expect(write({ tags: ['a'], id: 5, seen: 1_700_000_000_123_456 })).toBe('{"id":5,"price":null,"seen":1700000000123456,"tags":["a"]}')
    expect(payloadWriter(Schemas.string())('a\u0001b\n')).toBe('"a\\u0001b\\n"')
    expect(payloadWriter(Schemas.string())('\u001f')).toBe('"\\u001F"')
    expect(payloadWriter(Schemas.int64())(2n ** 63n - 1n)).toBe('9223372036854775807')
    expect(payloadWriter(Schemas.map(Schemas.int32(), Schemas.string()))(new Map([[1, 'a']]))).toBe('[[1,"a"]]')
    expect(payloadWriter(Schemas.map(Schemas.string(), Schemas.int32()))({ a: 1 })).toBe('{"a":1}')
    expect(payloadWriter(Logical.date())(new Date(Date.UTC(1970, 0, 3)))).toBe('2')
    expect(payloadWriter(Logical.timestamp())(new Date(1234))).toBe('1234')
    expect(payloadWriter(Schemas.int32({ defaultValue: 3 }))(null)).toBe('3')
  })

  it('names the field whose value does not fit', () => {
    const write = payloadWriter(Schemas.struct([['after', row]]))
    expect(() => write({ after: { id: 'x' } })).toThrow(SchemaValueError)
    expect(() => write({ after: { id: 'x' } })).toThrow(/^after\.id: string x does not fit schema int32/)
    expect(() => write({ after: { id: 1, tags: ['a', 2] } })).toThrow(/^after\.tags\[1\]: number 2 does not fit schema string/)
    expect(() => write({ after: { price: '1' } })).toThrow(/after\.id: null for a required int32/)
    expect(() => payloadWriter(Schemas.int32())(1.5)).toThrow(/does not fit/)
  })

  it('reads the payload back into typed data', () => {
    const value = { id: 5, price: '-12.34', seen: 1_700_000_000_123_456, tags: ['a', 'b'] }
    expect(payloadFromJson(row, JSON.parse(payloadWriter(row)(value)))).toEqual(value)
    expect(payloadFromJson(Schemas.float32(), 'NaN')).toBeNaN()
    expect(payloadFromJson(Schemas.bytes(), 'aGk=')).toEqual(Buffer.from('hi'))
    expect(payloadFromJson(Schemas.map(Schemas.int32(), Schemas.string()), [[1, 'a']])).toEqual(new Map([[1, 'a']]))
    expect(() => payloadFromJson(row, { id: null })).toThrow(/^id: null for a required int32/)
  })
})

describe('the JSON converter with schemas', () => {
  const on = createPlainConverters({ 'key.converter.schemas.enable': 'true', 'value.converter.schemas.enable': 'true' })
  const off = createPlainConverters({})

  it('writes the envelope with the schema, or the bare payload when schemas are off', () => {
    const value = { id: 1, price: '2.50', seen: null, tags: null }
    expect(on.value.fromData('t', value, row)?.toString()).toBe(
      `{"schema":${schemaJson(row)},"payload":{"id":1,"price":"APo=","seen":null,"tags":null}}`,
    )
    expect(off.value.fromData('t', value, row)?.toString()).toBe('{"id":1,"price":"APo=","seen":null,"tags":null}')
    expect(on.value.fromData('t', null, row)?.toString()).toBe(`{"schema":${schemaJson(row)},"payload":null}`)
    expect(on.value.fromData('t', null)).toBeNull()
  })

  it('reads the schema and typed data back, int64 beyond 2^53 exact', () => {
    const key = Schemas.struct([['id', Schemas.int64()]], { name: 'k' })
    const bytes = on.key.fromData('t', { id: 2n ** 62n + 1n }, key)
    const data = on.key.toData('t', bytes)
    expect(data.value).toEqual({ id: 2n ** 62n + 1n })
    expect(sameSchema(data.schema, key)).toBe(true)
  })

  it('keeps one schema object per schema text, and tells apart schemas that share a beginning', () => {
    const first = on.value.toData('t', on.value.fromData('t', { id: 1, price: null, seen: null, tags: null }, row))
    const second = on.value.toData('t', on.value.fromData('t', { id: 2, price: '1.00', seen: null, tags: null }, row))
    expect(second.schema).toBe(first.schema)
    const tricky: Schema = Schemas.struct([['payload', Schemas.string({ doc: '},"payload":' })]])
    const other: Schema = Schemas.struct([['payload', Schemas.string({ doc: '},"payload":x' })]])
    for (const schema of [tricky, other, tricky]) {
      const read = on.value.toData('t', on.value.fromData('t', { payload: 'p' }, schema))
      expect(schemaJson(read.schema as Schema)).toBe(schemaJson(schema))
      expect(read.value).toEqual({ payload: 'p' })
    }
  })

  it('reads a run of one schema as a first record of it is read, and any other shape of record the whole way', () => {
    const reader = createPlainConverters({ 'value.converter.schemas.enable': 'true' }).value
    const fresh = (bytes: Buffer) => createPlainConverters({ 'value.converter.schemas.enable': 'true' }).value.toData('t', bytes)
    const wide = Schemas.struct(
      [
        ['id', Schemas.int64()],
        ['tags', Schemas.array(Schemas.string(), { optional: true })],
      ],
      { optional: true },
    )
    const head = `{"schema":${schemaJson(wide)},"payload":`
    const records = [
      `${head}{"id":1,"tags":null}}`,
      `${head}{"id":9007199254740993,"tags":["a"]}}`,
      `${head}null}`,
      `${head}{"id":3,"tags":null} }`,
      // A field after the payload: not a lone payload, so the whole record is read, as the first of a run is.
      `${head}{"id":4,"tags":null},"extra":{}}`,
      `{"schema":null,"payload":{"id":5}}`,
      `${head}{"id":6,"tags":null}}`,
    ]
    for (const text of records) {
      const read = reader.toData('t', Buffer.from(text))
      const expected = fresh(Buffer.from(text))
      expect(read.value).toEqual(expected.value)
      expect(read.schema === undefined ? undefined : schemaJson(read.schema)).toBe(
        expected.schema === undefined ? undefined : schemaJson(expected.schema),
      )
    }
    expect(reader.toData('t', Buffer.from(records[1]!)).value).toMatchObject({ id: 9007199254740993n })
    expect(() => reader.toData('t', Buffer.from(`${head}{"id":7,}`))).toThrow(/not valid JSON/)
    expect(() => reader.toData('t', Buffer.from(`${head}{"id":"x","tags":null}}`))).toThrow(/schema and payload do not agree: id: string x/)
  })

  it('fails a record whose data does not fit its schema with the converter error, naming the field', () => {
    expect(() => on.value.fromData('orders', { id: 'x' }, row)).toThrow(/json converter: the data does not fit its schema: id: string x/)
    const bad = Buffer.from(`{"schema":${schemaJson(row)},"payload":{"id":"x"}}`)
    expect(() => on.value.toData('orders', bad)).toThrow(/schema and payload do not agree: id: string x/)
  })
})
