import { describe, expect, it } from 'vitest'
import type { ConnectRecord } from '../../../../../core/runtime/plugin.ts'
import { Logical } from '../../../../../core/runtime/schema/logical.ts'
import { Schemas, sameSchema, type Schema } from '../../../../../core/runtime/schema/schema.ts'
import { buildTransformChain } from '../../../../../core/runtime/transforms/chain.ts'
import { throughJsonConverter } from '../../../../support/connect-envelope.ts'

const schema = Schemas.struct(
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
    ['price', Logical.decimal(2)],
    ['day', Logical.date()],
    ['at', Logical.time()],
    ['when', Logical.timestamp()],
    ['tags', Schemas.array(Schemas.string())],
    ['attrs', Schemas.map(Schemas.string(), Schemas.int32())],
    ['maybe', Schemas.string({ optional: true })],
    ['fallback', Schemas.int32({ optional: true, defaultValue: 7 })],
    ['keep', Schemas.string()],
  ],
  { name: 'masked.Value' },
)

const full = {
  i8: 1,
  i16: 2,
  i32: 3,
  i64: 2n ** 60n,
  f32: 1.5,
  f64: 2.5,
  flag: true,
  text: 'secret',
  raw: Buffer.from('xyz'),
  price: '12.34',
  day: new Date(Date.UTC(2024, 0, 2)),
  at: new Date(3_600_000),
  when: new Date(1_700_000_000_000),
  tags: ['a'],
  attrs: { a: 1 },
  maybe: null,
  fallback: null,
  keep: 'visible',
}
const record = (value: unknown, valueSchema: Schema = schema): ConnectRecord => ({ topic: 't', key: null, value, valueSchema })
const mask = (fields: string, replacement?: string) =>
  buildTransformChain({
    transforms: 'm',
    'transforms.m.type': 'MaskField$Value',
    'transforms.m.fields': fields,
    ...(replacement !== undefined && { 'transforms.m.replacement': replacement }),
  })
const ALL = 'i8,i16,i32,i64,f32,f64,flag,text,raw,price,day,at,when,tags,attrs,maybe,fallback'

describe('mask-field with schemas', () => {
  it("masks each field with its type's null-equivalent and keeps the schema", () => {
    const out = mask(ALL).apply(record(full))
    expect(out?.value).toEqual({
      i8: 0,
      i16: 0,
      i32: 0,
      i64: 0,
      f32: 0,
      f64: 0,
      flag: false,
      text: '',
      raw: Buffer.alloc(0),
      price: '0.00',
      day: new Date(0),
      at: new Date(0),
      when: new Date(0),
      tags: [],
      attrs: {},
      maybe: null,
      fallback: 0,
      keep: 'visible',
    })
    expect(out?.valueSchema).toBe(schema)
    expect(mask('attrs').apply(record({ ...full, attrs: new Map([['a', 1]]) }))?.value).toMatchObject({ attrs: new Map() })
  })

  it('casts a replacement to each numeric, decimal and string field as Connect reads a number', () => {
    const out = mask('i8,i16,i32,i64,f32,f64,text,price,maybe', '300.9').apply(record(full))
    expect(out?.value).toMatchObject({
      i8: 44,
      i16: 300,
      i32: 300,
      i64: 300,
      f32: Math.fround(300.9),
      f64: 300.9,
      text: '300.9',
      price: '300.90',
      maybe: null,
    })
    expect(mask('i64', '-9223372036854775808').apply(record(full))?.value).toMatchObject({ i64: -(2n ** 63n) })
    expect(mask('i32', '1e3').apply(record(full))?.value).toMatchObject({ i32: 1000 })
  })

  it('refuses a replacement for types it cannot take, and a struct, as Connect does, but only for a non-null value', () => {
    for (const field of ['flag', 'raw', 'day', 'when', 'tags', 'attrs'])
      expect(() => mask(field, '1').apply(record(full)), field).toThrow(/Cannot mask field .* with custom replacement/)
    expect(() => mask('i32', 'abc').apply(record(full))).toThrow(/Unable to convert abc to a number/)
    expect(() => mask('price', '1.234').apply(record(full))).toThrow(/Decimal of scale 2/)
    const nested = Schemas.struct([['inner', Schemas.struct([['a', Schemas.int32()]], { optional: true })]])
    expect(() => mask('inner').apply(record({ inner: { a: 1 } }, nested))).toThrow(/Cannot mask field inner of type struct/)
    expect(mask('inner').apply(record({ inner: null }, nested))?.value).toEqual({ inner: null })
    expect(() => mask('text').apply(record('plain', Schemas.string()))).toThrow(/Only Struct objects supported for \[mask fields\]/)
  })

  it('writes through the JSON converter as a schema and payload that agree', () => {
    const out = mask(ALL).apply(record(full))
    const written = throughJsonConverter(out?.value, out?.valueSchema)
    expect(written.payload).toMatchObject({ i64: 0, raw: '', price: 'AA==', day: 0, at: 0, when: 0, tags: [], attrs: {}, fallback: 0 })
    expect(sameSchema(written.readBack.schema, schema)).toBe(true)
    expect(written.readBack.value).toEqual(out?.value)
  })

  it('leaves schemaless records as they were', () => {
    const out = mask('n,s,missing').apply({ topic: 't', key: null, value: { n: 42, s: 'x', keep: 1 } })
    expect(out).toEqual({ topic: 't', key: null, value: { n: 0, s: '', keep: 1 } })
  })
})
