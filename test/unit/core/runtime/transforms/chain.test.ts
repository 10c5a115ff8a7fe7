import { describe, expect, it } from 'vitest'
import { JsonBytes, type ConnectRecord } from '../../../../../core/runtime/plugin.ts'
import { Logical } from '../../../../../core/runtime/schema/logical.ts'
import { Schemas } from '../../../../../core/runtime/schema/schema.ts'
import { buildTransformChain } from '../../../../../core/runtime/transforms/chain.ts'
import { withSide } from '../../../../../core/runtime/transforms/transform.ts'

const keySchema = Schemas.struct([['id', Schemas.int64()]], { name: 'k' })
const valueSchema = Schemas.struct(
  [
    ['status', Schemas.string()],
    ['price', Logical.decimal(2)],
    ['at', Logical.timestamp()],
  ],
  { name: 'v' },
)
const record: ConnectRecord = {
  topic: 'db.public.orders',
  key: { id: 1 },
  keySchema,
  value: { status: 'paid', price: '1.50', at: new Date(5) },
  valueSchema,
}

describe('transform chain and schemas', () => {
  it('filter, the regex router and predicates leave both schemas as they are', () => {
    const routed = buildTransformChain({
      transforms: 'r',
      'transforms.r.type': 'RegexRouter',
      'transforms.r.regex': 'db\\.public\\.(.*)',
      'transforms.r.replacement': 'cdc-$1',
    }).apply(record)
    expect(routed).toEqual({ ...record, topic: 'cdc-orders' })
    expect(routed?.keySchema).toBe(keySchema)
    expect(routed?.valueSchema).toBe(valueSchema)
    const kept = buildTransformChain({
      transforms: 'f',
      'transforms.f.type': 'filter',
      'transforms.f.expr': 'value.status == "paid"',
    }).apply(record)
    expect(kept).toBe(record)
    const dropUnlessOrders = buildTransformChain({
      transforms: 'f',
      'transforms.f.type': 'Filter',
      'transforms.f.predicate': 'o',
      'transforms.f.negate': 'true',
      predicates: 'o',
      'predicates.o.type': 'TopicNameMatches',
      'predicates.o.pattern': '.*orders',
    })
    expect(dropUnlessOrders.apply(record)).toBe(record)
    expect(dropUnlessOrders.apply({ ...record, topic: 'users' })).toBeNull()
  })

  it('gives transforms the data a schema describes when a connector hands JSON bytes with a schema', () => {
    const chain = buildTransformChain({ transforms: 'm', 'transforms.m.type': 'MaskField$Value', 'transforms.m.fields': 'status' })
    const out = chain.apply({
      topic: 't',
      key: new JsonBytes(Buffer.from('{"id":9007199254740993}')),
      keySchema,
      value: new JsonBytes(Buffer.from('{"status":"paid","price":"AJY=","at":5}')),
      valueSchema,
    })
    expect(out).toMatchObject({ key: { id: 9007199254740993n }, value: { status: '', price: '1.50', at: new Date(5) }, valueSchema })
    expect(() => chain.apply({ topic: 't', key: null, value: new JsonBytes(Buffer.from('{"status":1}')), valueSchema })).toThrow(
      /does not fit its schema/,
    )
  })

  it('withSide replaces data and schema together, and a side given no schema loses its old one', () => {
    const schemaless = withSide(record, 'value', { data: 'text', schema: undefined })
    expect(schemaless.value).toBe('text')
    expect('valueSchema' in schemaless).toBe(false)
    expect(schemaless.keySchema).toBe(keySchema)
    const rekeyed = withSide(record, 'key', { data: 7, schema: Schemas.int64() })
    expect(rekeyed).toMatchObject({ key: 7, keySchema: { type: 'int64' }, valueSchema })
  })
})
