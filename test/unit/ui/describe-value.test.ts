import { describe, expect, it } from 'vitest'
import { describeValue } from '../../../ui/src/describe-value.ts'

describe('record values as the browser shows them', () => {
  it('reads a Debezium change event, bare or inside a JsonConverter envelope', () => {
    const event = {
      before: { id: 1, total: 10 },
      after: { id: 1, total: 12 },
      source: { connector: 'postgres', db: 'shop', schema: 'public', table: 'orders' },
      op: 'u',
      ts_ms: 1,
    }
    const expected = {
      kind: 'change',
      operation: 'update',
      table: 'public.orders',
      before: JSON.stringify(event.before, null, 2),
      after: JSON.stringify(event.after, null, 2),
    }
    expect(describeValue(JSON.stringify(event), undefined)).toEqual(expected)
    expect(describeValue(JSON.stringify({ schema: { type: 'struct' }, payload: event }), undefined)).toEqual(expected)
    expect(
      describeValue(JSON.stringify({ before: null, after: { id: 2 }, source: { db: 'shop', table: 'items' }, op: 'c' }), undefined),
    ).toMatchObject({ operation: 'insert', table: 'shop.items', before: '—' })
  })

  it('pretty-prints other JSON, and keeps text, bytes and null apart', () => {
    expect(describeValue('{"op":"launch","id":1}', undefined)).toEqual({ kind: 'json', pretty: '{\n  "op": "launch",\n  "id": 1\n}' })
    expect(describeValue('[1,2]', undefined)).toEqual({ kind: 'json', pretty: '[\n  1,\n  2\n]' })
    expect(describeValue('hello world', undefined)).toEqual({ kind: 'text', text: 'hello world' })
    expect(describeValue('AAEC', 'base64')).toEqual({ kind: 'binary', base64: 'AAEC' })
    expect(describeValue(null, undefined)).toEqual({ kind: 'null' })
  })
})
