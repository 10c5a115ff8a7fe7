import { describe, expect, it } from 'vitest'
import type { ConnectRecord } from '../../../../../core/runtime/plugin.ts'
import { buildTransformChain } from '../../../../../core/runtime/transforms/chain.ts'
import { Schemas, sameSchema, type Schema } from '../../../../../core/runtime/schema/schema.ts'
import { throughJsonConverter } from '../../../../support/connect-envelope.ts'
import { changeEvent, keySchema, rowSchema } from '../../../../support/debezium-envelope.ts'

const unwrap = (props: Record<string, string> = {}) =>
  buildTransformChain({
    transforms: 'u',
    'transforms.u.type': 'io.debezium.transforms.ExtractNewRecordState',
    ...Object.fromEntries(Object.entries(props).map(([key, value]) => [`transforms.u.${key}`, value])),
  })
const alice = { id: 1, name: 'alice', price: '12.50', created: 1_700_000_000_000_123 }
const bob = { id: 1, name: 'bob', price: null, created: null }
const fieldsOf = (schema: Schema | undefined) =>
  (schema?.fields ?? []).map((field) => [field.name, field.schema.type, field.schema.optional])

describe('extract-new-state with schemas', () => {
  it('gives the after row with the after field schema itself, optional as Debezium leaves it; the key is untouched', () => {
    const out = unwrap().apply(changeEvent('u', alice, bob))
    expect(out?.value).toEqual(bob)
    expect(out?.valueSchema).toBe(rowSchema)
    expect(out?.valueSchema?.optional).toBe(true)
    expect(out?.key).toEqual({ id: 1 })
    expect(out?.keySchema).toBe(keySchema)
  })

  it('adds fields with the types of their originals, made optional, and rebuilds the row schema as a required struct of the same name', () => {
    const chain = unwrap({ 'add.fields': 'op,table,source.ts_ms,lsn,ts_ms,id,snapshot:snap' })
    const out = chain.apply(changeEvent('c', null, alice))
    expect(out?.value).toEqual({
      ...alice,
      __op: 'c',
      __table: 'users',
      __source_ts_ms: 1_700_000_000_000,
      __lsn: 4242,
      __ts_ms: 1_700_000_000_500,
      __id: null,
      __snap: 'false',
    })
    const schema = out?.valueSchema as Schema
    expect(schema.name).toBe('pg.public.users.Value')
    expect(schema.optional).toBe(false)
    expect(fieldsOf(schema)).toEqual([
      ['id', 'int32', false],
      ['name', 'string', true],
      ['price', 'bytes', true],
      ['created', 'int64', true],
      ['__op', 'string', true],
      ['__table', 'string', true],
      ['__source_ts_ms', 'int64', true],
      ['__lsn', 'int64', true],
      ['__ts_ms', 'int64', true],
      ['__id', 'string', true],
      ['__snap', 'string', true],
    ])
    // Copied schemas keep name and parameters but lose their default.
    const snap = schema.fields?.find((field) => field.name === '__snap')?.schema
    expect(snap).toMatchObject({ name: 'io.debezium.data.Enum', parameters: { allowed: 'true,last,false,incremental' } })
    expect(snap?.defaultValue).toBeUndefined()
    // Built once for the row and envelope schemas, not per record.
    expect(chain.apply(changeEvent('u', alice, bob))?.valueSchema).toBe(schema)
  })

  it('leaves out added fields the envelope has no schema for', () => {
    const out = unwrap({ 'add.fields': 'op,nosuch' }).apply(changeEvent('c', null, alice))
    expect(out?.value).toEqual({ ...alice, __op: 'c' })
    expect(fieldsOf(out?.valueSchema).map(([name]) => name)).toEqual(['id', 'name', 'price', 'created', '__op'])
  })

  it('handles deletes per delete.tombstone.handling.mode and the older keys', () => {
    const remove = changeEvent('d', alice, null)
    const tombstone = { topic: 'pg.public.users', key: { id: 1 }, keySchema, value: null }
    // tombstone (the default): a null value beside the row schema, and tombstones dropped.
    expect(unwrap().apply(remove)).toMatchObject({ value: null, valueSchema: rowSchema, keySchema })
    expect(unwrap().apply(tombstone)).toBeNull()
    expect(unwrap({ 'delete.tombstone.handling.mode': 'drop' }).apply(remove)).toBeNull()
    const toTombstone = unwrap({ 'delete.tombstone.handling.mode': 'delete-to-tombstone' }).apply(remove)
    expect(toTombstone?.value).toBeNull()
    expect(toTombstone && 'valueSchema' in toTombstone).toBe(false)
    const kept = unwrap({ 'delete.tombstone.handling.mode': 'rewrite-with-tombstone' })
    expect(kept.apply(tombstone)).toEqual(tombstone)
    expect(unwrap({ 'delete.handling.mode': 'drop' }).apply(remove)).toBeNull()
    expect(unwrap({ 'drop.tombstones': 'false' }).apply(tombstone)).toEqual(tombstone)
  })

  it('rewrite adds __deleted as an optional string, before the added fields, to deletes and other rows alike', () => {
    const chain = unwrap({ 'delete.tombstone.handling.mode': 'rewrite', 'add.fields': 'op' })
    const deleted = chain.apply(changeEvent('d', alice, null))
    expect(deleted?.value).toEqual({ ...alice, __deleted: 'true', __op: 'd' })
    const updated = chain.apply(changeEvent('u', alice, bob))
    expect(updated?.value).toEqual({ ...bob, __deleted: 'false', __op: 'u' })
    expect(updated?.valueSchema).toBe(deleted?.valueSchema)
    expect(fieldsOf(updated?.valueSchema).slice(-2)).toEqual([
      ['__deleted', 'string', true],
      ['__op', 'string', true],
    ])
    const legacy = unwrap({ 'delete.handling.mode': 'rewrite' }).apply(changeEvent('d', alice, null))
    expect(legacy?.value).toEqual({ ...alice, __deleted: 'true' })
    expect(legacy?.valueSchema?.name).toBe('pg.public.users.Value')
  })

  it('drops truncates and passes records whose schema is no envelope', () => {
    expect(unwrap().apply(changeEvent('t', null, null))).toBeNull()
    const plain = {
      topic: 't',
      key: null,
      value: { op: 'c', after: { id: 1 } },
      valueSchema: Schemas.struct(
        [
          ['op', Schemas.string()],
          ['after', Schemas.struct([['id', Schemas.int32()]])],
        ],
        { name: 'not.an.envelope' },
      ),
    }
    expect(unwrap().apply(plain)).toBe(plain)
  })

  it('copies fields into headers, and the delete op onto kept tombstones', () => {
    const chain = unwrap({ 'add.headers': 'op,source.ts_ms,db', 'delete.tombstone.handling.mode': 'rewrite-with-tombstone' })
    const out = chain.apply(changeEvent('u', alice, bob))
    expect(out?.headers).toEqual({ __op: Buffer.from('u'), __source_ts_ms: Buffer.from('1700000000000'), __db: Buffer.from('shop') })
    expect(chain.apply<ConnectRecord>({ topic: 't', key: null, value: null })?.headers).toEqual({ __op: Buffer.from('d') })
  })

  it('writes through the JSON converter as a schema and payload that agree', () => {
    const out = unwrap({ 'add.fields': 'op,source.ts_ms', 'delete.tombstone.handling.mode': 'rewrite' }).apply(
      changeEvent('c', null, alice),
    )
    const written = throughJsonConverter(out?.value, out?.valueSchema)
    expect(written.payload).toEqual({
      id: 1,
      name: 'alice',
      price: 'BOI=',
      created: 1_700_000_000_000_123,
      __deleted: 'false',
      __op: 'c',
      __source_ts_ms: 1_700_000_000_000,
    })
    expect(written.schema).toMatchObject({ type: 'struct', optional: false, name: 'pg.public.users.Value' })
    expect(sameSchema(written.readBack.schema, out?.valueSchema)).toBe(true)
    expect(written.readBack.value).toEqual(out?.value)
  })

  it('fails clearly on an envelope value that is no struct', () => {
    const broken = { ...changeEvent('c', null, alice), value: 'not a struct' }
    expect(() => unwrap().apply(broken)).toThrow(
      expect.objectContaining({ code: 'TRB_TRANSFORM_FAILED', details: expect.objectContaining({ transform: 'u' }) }),
    )
    expect(() => unwrap().apply(broken)).toThrow(/Only Struct objects supported for \[source field insertion\]/)
  })
})
