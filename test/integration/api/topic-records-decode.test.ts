/**
 * `GET /topics/{name}/records?decode=registry`: keys and values in the registry's wire format come
 * back as JSON through the worker's built-in registry, Avro, JSON Schema and Protobuf alike, with
 * their format and schema id; an id the registry does not know keeps its base64 and says why.
 */
import protobuf from 'protobufjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SchemaRegistry } from '../../../core/registry/registry.ts'
import { avroCodec } from '../../../core/runtime/schema/avro-codec.ts'
import { frame } from '../../../core/runtime/wire-format.ts'
import { startWorkerHarness, type WorkerHarness } from '../../support/worker-harness.ts'

let harness: WorkerHarness
let registry: SchemaRegistry

beforeAll(async () => {
  harness = await startWorkerHarness()
  registry = await harness.registry()
})
afterAll(async () => {
  await harness.close()
})

const order = {
  type: 'record',
  name: 'Order',
  namespace: 'shop',
  fields: [
    { name: 'id', type: 'long' },
    { name: 'code', type: 'bytes' },
    { name: 'note', type: ['null', 'string'], default: null },
  ],
}
const proto =
  'syntax = "proto3";\npackage shop;\nmessage Item {\n  string sku = 1;\n  int64 count = 2;\n}\nmessage Refund {\n  string reason = 1;\n}\n'

/** Data written as the Avro converter writes it, under the id the registry gave its schema. */
async function avroBytes(subject: string, schema: unknown, data: unknown): Promise<{ id: number; bytes: Buffer }> {
  const input = { schema: JSON.stringify(schema), schemaType: 'AVRO' as const }
  const { id } = await registry.register(subject, input)
  return { id, bytes: frame(id, avroCodec.writer(avroCodec.reader({ ...input, references: [] }).schema)(data)) }
}

async function produce(topic: string, records: Array<{ key?: Buffer | string; value: Buffer | string }>): Promise<void> {
  expect((await harness.request('POST', '/topics', { name: topic })).status).toBe(201)
  const encoded = records.map(({ key, value }) => ({
    ...(key !== undefined && (Buffer.isBuffer(key) ? { key: key.toString('base64'), key_encoding: 'base64' } : { key })),
    ...(Buffer.isBuffer(value) ? { value: value.toString('base64'), value_encoding: 'base64' } : { value }),
  }))
  expect((await harness.request('POST', `/topics/${topic}/records`, { records: encoded })).status).toBe(200)
}

describe('GET /topics/{name}/records?decode=registry', () => {
  it('decodes Avro keys and values as the json converter writes them: an int64 beyond 2^53 as its digits, bytes as base64', async () => {
    const value = await avroBytes('orders-value', order, { id: 9007199254740993n, code: Buffer.from([0xff, 0x00, 0x01]), note: 'gift' })
    const key = await avroBytes('orders-key', 'string', 'order-1')
    await produce('orders', [
      { key: key.bytes, value: value.bytes },
      { key: 'plain', value: 'not framed' },
    ])

    const { status, body } = await harness.request('GET', '/topics/orders/records?decode=registry')
    expect(status).toBe(200)
    const [framed, plain] = body.records
    expect(framed).toMatchObject({
      key: '"order-1"',
      key_format: 'avro',
      key_schema_id: key.id,
      value_format: 'avro',
      value_schema_id: value.id,
    })
    expect(framed.value).toBe('{"id":9007199254740993,"code":"/wAB","note":"gift"}')
    expect(framed).not.toHaveProperty('value_encoding')
    expect(framed).not.toHaveProperty('key_encoding')
    expect(plain).toEqual({ partition: 0, offset: 1, timestamp: expect.any(Number), key: 'plain', value: 'not framed', headers: {} })

    // Without decode=registry, the bytes are shown as they always were.
    const raw = (await harness.request('GET', '/topics/orders/records')).body.records[0]
    expect(raw).toMatchObject({ value: value.bytes.toString('base64'), value_encoding: 'base64' })
    expect(raw).not.toHaveProperty('value_format')
  })

  it('decodes JSON Schema and Protobuf values, a nested message index path included', async () => {
    const json = await registry.register('items-json-value', {
      schema: JSON.stringify({ type: 'object', properties: { sku: { type: 'string' }, big: { type: 'integer' } } }),
      schemaType: 'JSON',
    })
    const items = await registry.register('items-proto-value', { schema: proto, schemaType: 'PROTOBUF' })
    const root = protobuf.parse(proto).root
    const item = root.lookupType('shop.Item')
    const refund = root.lookupType('shop.Refund')
    // Confluent's message index path: [0] as one 0 byte; [1] as a count of 1 and the index 1, zigzag varints.
    const itemPayload = Buffer.concat([Buffer.from([0]), Buffer.from(item.encode(item.fromObject({ sku: 'A-1', count: 3 })).finish())])
    const refundPayload = Buffer.concat([Buffer.from([2, 2]), Buffer.from(refund.encode(refund.fromObject({ reason: 'late' })).finish())])
    await produce('items', [
      { value: frame(json.id, Buffer.from('{"sku":"A-1","big":9007199254740993}')) },
      { value: frame(items.id, itemPayload) },
      { value: frame(items.id, refundPayload) },
    ])

    const { body } = await harness.request('GET', '/topics/items/records?decode=registry')
    expect(body.records.map((record: Record<string, unknown>) => [record.value_format, record.value_schema_id, record.value])).toEqual([
      ['json-schema', json.id, '{"sku":"A-1","big":9007199254740993}'],
      ['protobuf', items.id, '{"sku":"A-1","count":"3"}'],
      ['protobuf', items.id, '{"reason":"late"}'],
    ])
  })

  it('keeps the base64 of a record whose schema id the registry does not know, and says why', async () => {
    const unknown = frame(4242, Buffer.from([2, 4, 6]))
    const { id } = await avroBytes(
      'broken-value',
      { type: 'record', name: 'Wide', fields: [{ name: 'text', type: 'string' }] },
      { text: 'x' },
    )
    const truncated = frame(id, Buffer.from([40, 0x61]))
    await produce('mixed', [{ value: unknown }, { value: truncated }])

    const { status, body } = await harness.request('GET', '/topics/mixed/records?decode=registry')
    expect(status).toBe(200)
    expect(body.records[0]).toMatchObject({
      value: unknown.toString('base64'),
      value_encoding: 'base64',
      value_schema_id: 4242,
      value_decode_error: expect.stringMatching(/^schema id 4242: /),
    })
    expect(body.records[0]).not.toHaveProperty('value_format')
    expect(body.records[1]).toMatchObject({
      value: truncated.toString('base64'),
      value_encoding: 'base64',
      value_schema_id: id,
      value_decode_error: expect.stringContaining(`does not decode with schema id ${id}`),
    })
  })

  it('refuses another decode', async () => {
    expect((await harness.request('GET', '/topics/mixed/records?decode=avro')).status).toBe(400)
  })
})
