import { describe, expect, it } from 'vitest'
import type { ConnectRecord } from '../../../../../core/runtime/plugin.ts'
import { Schemas, sameSchema } from '../../../../../core/runtime/schema/schema.ts'
import { buildTransformChain } from '../../../../../core/runtime/transforms/chain.ts'
import { throughJsonConverter } from '../../../../support/connect-envelope.ts'

const rowSchema = Schemas.struct(
  [
    ['id', Schemas.int32()],
    ['amt', Schemas.float64({ optional: true, defaultValue: 1.5 })],
    ['secret', Schemas.string()],
    ['keep', Schemas.boolean({ optional: true })],
  ],
  { name: 'shop.orders.Value', version: 3, doc: 'an order', parameters: { origin: 'test' }, optional: true },
)

const record = (value: unknown, extra: Partial<ConnectRecord> = {}): ConnectRecord => ({
  topic: 'orders',
  key: null,
  value,
  valueSchema: rowSchema,
  ...extra,
})
const replace = (props: Record<string, string>, type = 'ReplaceField$Value') =>
  buildTransformChain({
    transforms: 'r',
    'transforms.r.type': type,
    ...Object.fromEntries(Object.entries(props).map(([key, value]) => [`transforms.r.${key}`, value])),
  })

describe('replace-field with schemas', () => {
  it('builds a struct schema of the kept fields under their new names, with the name, version, doc and parameters but not the optionality', () => {
    const chain = replace({ exclude: 'secret', renames: 'id:order_id,amt:amount' })
    const out = chain.apply(record({ id: 1, amt: 2, secret: 'x', keep: true }))
    expect(out?.value).toEqual({ order_id: 1, amount: 2, keep: true })
    const schema = out?.valueSchema
    expect(schema).toMatchObject({
      type: 'struct',
      name: 'shop.orders.Value',
      version: 3,
      doc: 'an order',
      parameters: { origin: 'test' },
      optional: false,
    })
    expect(schema?.fields?.map((field) => [field.name, field.schema])).toEqual([
      ['order_id', rowSchema.fields?.[0]?.schema],
      ['amount', rowSchema.fields?.[1]?.schema],
      ['keep', rowSchema.fields?.[3]?.schema],
    ])
    expect(chain.apply(record({ id: 2, amt: 3, secret: 'y', keep: false }))?.valueSchema).toBe(schema)
  })

  it('lets exclude win over include, and fills a null that has a default with it unless replace.null.with.default=false', () => {
    const out = replace({ include: 'id,amt,secret', exclude: 'secret' }).apply(record({ id: 1, amt: null, secret: 'x', keep: null }))
    expect(out?.value).toEqual({ id: 1, amt: 1.5 })
    expect(out?.valueSchema?.fields?.map((field) => field.name)).toEqual(['id', 'amt'])
    expect(replace({ include: 'amt', 'replace.null.with.default': 'false' }).apply(record({ id: 1, amt: null }))?.value).toEqual({
      amt: null,
    })
  })

  it('acts on the key with its schema, leaving the value and its schema alone; drop-fields too', () => {
    const keySchema = Schemas.struct(
      [
        ['id', Schemas.int32()],
        ['region', Schemas.string()],
      ],
      { name: 'shop.orders.Key' },
    )
    const out = replace({ exclude: 'region' }, 'ReplaceField$Key').apply(
      record({ id: 1, amt: 2, secret: 's', keep: true }, { key: { id: 1, region: 'eu' }, keySchema }),
    )
    expect(out).toMatchObject({ key: { id: 1 }, value: { id: 1, amt: 2, secret: 's', keep: true }, valueSchema: rowSchema })
    expect(out?.keySchema?.fields?.map((field) => field.name)).toEqual(['id'])
    const dropped = buildTransformChain({
      transforms: 'd',
      'transforms.d.type': 'drop-fields',
      'transforms.d.fields': 'secret,keep',
    }).apply(record({ id: 1, amt: 2, secret: 's', keep: true }))
    expect(dropped?.valueSchema?.fields?.map((field) => field.name)).toEqual(['id', 'amt'])
  })

  it('passes a null value with its schema, and fails on a schema that is no struct as Connect does', () => {
    const tombstone = record(null)
    expect(replace({ exclude: 'secret' }).apply(tombstone)).toEqual(tombstone)
    expect(() => replace({ exclude: 'a' }).apply(record('text', { valueSchema: Schemas.string() }))).toThrow(
      /Only Struct objects supported for \[field replacement\]/,
    )
    expect(() => replace({ exclude: 'a' }).apply(record('text'))).toThrow(
      /Only Struct objects supported for \[field replacement\], found: string/,
    )
  })

  it('writes through the JSON converter as a schema and payload that agree', () => {
    const out = replace({ exclude: 'secret', renames: 'amt:amount' }).apply(record({ id: 1, amt: 2, secret: 'x', keep: true }))
    const written = throughJsonConverter(out?.value, out?.valueSchema)
    expect(written.payload).toEqual({ id: 1, amount: 2.0, keep: true })
    expect(sameSchema(written.readBack.schema, out?.valueSchema)).toBe(true)
    expect(written.readBack.value).toEqual(out?.value)
  })

  it('leaves schemaless records as they were', () => {
    const out = replace({ exclude: 'secret' }).apply({ topic: 'orders', key: null, value: { id: 1, secret: 'x' } })
    expect(out).toEqual({ topic: 'orders', key: null, value: { id: 1 } })
  })
})
