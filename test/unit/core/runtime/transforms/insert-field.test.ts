import { describe, expect, it } from 'vitest'
import type { ConnectRecord, SinkRecord } from '../../../../../core/runtime/plugin.ts'
import { TIMESTAMP } from '../../../../../core/runtime/schema/logical.ts'
import { Schemas, sameSchema } from '../../../../../core/runtime/schema/schema.ts'
import { buildTransformChain } from '../../../../../core/runtime/transforms/chain.ts'
import { throughJsonConverter } from '../../../../support/connect-envelope.ts'

const rowSchema = Schemas.struct(
  [
    ['id', Schemas.int32()],
    ['note', Schemas.string({ optional: true, defaultValue: 'none' })],
  ],
  { name: 'shop.orders.Value', version: 2, optional: true },
)
const insert = (props: Record<string, string>, type = 'InsertField$Value') =>
  buildTransformChain({
    transforms: 'i',
    'transforms.i.type': type,
    ...Object.fromEntries(Object.entries(props).map(([key, value]) => [`transforms.i.${key}`, value])),
  })
const sinkRecord = (value: unknown): SinkRecord => ({
  topic: 'orders',
  partition: 3,
  offset: 42,
  key: null,
  value,
  valueSchema: rowSchema,
  headers: {},
  timestamp: 1_700_000_000_000,
})
const ALL = {
  'topic.field': 'topic',
  'partition.field': 'part!',
  'offset.field': 'off?',
  'timestamp.field': 'ts',
  'static.field': 'src',
  'static.value': 'web',
}

describe('insert-field with schemas', () => {
  it('adds topic (string), partition (int32), offset (int64), timestamp (Timestamp) and static (string) fields, optional unless marked !', () => {
    const chain = insert(ALL)
    const out = chain.apply(sinkRecord({ id: 1, note: null }))
    expect(out?.value).toEqual({ id: 1, note: 'none', topic: 'orders', part: 3, off: 42, ts: new Date(1_700_000_000_000), src: 'web' })
    const schema = out?.valueSchema
    expect(schema).toMatchObject({ name: 'shop.orders.Value', version: 2, optional: false })
    expect(schema?.fields?.map((field) => [field.name, field.schema.type, field.schema.name, field.schema.optional])).toEqual([
      ['id', 'int32', undefined, false],
      ['note', 'string', undefined, true],
      ['topic', 'string', undefined, true],
      ['part', 'int32', undefined, false],
      ['off', 'int64', undefined, true],
      ['ts', 'int64', TIMESTAMP, true],
      ['src', 'string', undefined, true],
    ])
    expect(chain.apply(sinkRecord({ id: 2, note: 'x' }))?.valueSchema).toBe(schema)
  })

  it('fails as Connect does: a value that is no struct, an offset on a source record, a required field with nothing to hold', () => {
    expect(() =>
      insert({ 'topic.field': 't' }).apply({ topic: 'orders', key: null, value: [1], valueSchema: Schemas.array(Schemas.int32()) }),
    ).toThrow(/Only Struct objects supported for \[field insertion\]/)
    const source: ConnectRecord = { topic: 'orders', key: null, value: { id: 1 }, valueSchema: rowSchema }
    expect(() => insert({ 'offset.field': 'off' }).apply(source)).toThrow(/Only sink records have an offset/)
    expect(() => insert({ 'partition.field': 'part!' }).apply(source)).toThrow(/required field part has no partition/)
    expect(insert({ 'partition.field': 'part', 'timestamp.field': 'ts' }).apply(source)?.value).toEqual({
      id: 1,
      note: 'none',
      part: null,
      ts: null,
    })
  })

  it('leaves a null value and its schema alone, and acts on the key for $Key', () => {
    const tombstone = sinkRecord(null)
    expect(insert(ALL).apply(tombstone)).toEqual(tombstone)
    const keySchema = Schemas.struct([['id', Schemas.int32()]], { name: 'shop.orders.Key' })
    const out = insert({ 'static.field': 'region', 'static.value': 'eu' }, 'InsertField$Key').apply({
      ...sinkRecord({ id: 1 }),
      key: { id: 1 },
      keySchema,
    })
    expect(out).toMatchObject({ key: { id: 1, region: 'eu' }, value: { id: 1 }, valueSchema: rowSchema })
    expect(out?.keySchema?.fields?.map((field) => field.name)).toEqual(['id', 'region'])
  })

  it('writes through the JSON converter as a schema and payload that agree', () => {
    const out = insert(ALL).apply(sinkRecord({ id: 1, note: 'hi' }))
    const written = throughJsonConverter(out?.value, out?.valueSchema)
    expect(written.payload).toEqual({ id: 1, note: 'hi', topic: 'orders', part: 3, off: 42, ts: 1_700_000_000_000, src: 'web' })
    expect(sameSchema(written.readBack.schema, out?.valueSchema)).toBe(true)
    expect(written.readBack.value).toEqual(out?.value)
  })

  it('leaves schemaless records as they were, the ! and ? marks aside', () => {
    const out = insert({ 'static.field': 'src', 'static.value': 'web', 'topic.field': 't!', 'timestamp.field': 'ts' }).apply({
      topic: 'orders',
      key: null,
      value: { a: 1 },
      timestamp: 5,
    })
    expect(out).toEqual({ topic: 'orders', key: null, value: { a: 1, src: 'web', t: 'orders', ts: 5 }, timestamp: 5 })
    expect(Object.keys(out?.value as object)).toEqual(['a', 'src', 't', 'ts'])
  })
})
