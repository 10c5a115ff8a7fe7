/**
 * The built-in Schema Registry with the registry clients of the field, used as their users use them,
 * against a real `tributary run` on its own registry port: @kafkajs/confluent-schema-registry and
 * Confluent's @confluentinc/schemaregistry register, fetch, encode and decode Avro, JSON Schema and
 * Protobuf, and get Confluent's refusals; the REST token guards the port; and what was registered
 * survives kill -9.
 */
import { SchemaRegistry as KafkajsRegistry, SchemaType } from '@kafkajs/confluent-schema-registry'
import { AvroDeserializer, AvroSerializer, SchemaRegistryClient, SerdeType } from '@confluentinc/schemaregistry'
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort } from '../../support/free-port.ts'
import { makeTempDir } from '../../support/temp-dir.ts'
import { spawnWorker, type WorkerProcess } from '../../support/worker-process.ts'

const TOKEN = 'registry-test-token'
let dir: Awaited<ReturnType<typeof makeTempDir>>
let worker: WorkerProcess
let url: string

async function start(): Promise<WorkerProcess> {
  const started = await spawnWorker(path.join(dir.path, 'config'), path.join(dir.path, 'data'), {
    TRIBUTARY_SCHEMA_REGISTRY_PORT: String(await freePort()),
    TRIBUTARY_REST_AUTH_TOKEN: TOKEN,
  })
  if (started.registryUrl === undefined) throw new Error(`the worker printed no registry URL: ${started.stdout()}`)
  return started
}

beforeAll(async () => {
  dir = await makeTempDir('tributary-registry-clients-')
  fs.mkdirSync(path.join(dir.path, 'config'))
  worker = await start()
  url = worker.registryUrl as string
}, 60_000)
afterAll(async () => {
  worker?.child.kill('SIGKILL')
  await worker?.exited
  await dir?.remove()
})

const kafkajs = () => new KafkajsRegistry({ host: url, auth: { username: 'anyone', password: TOKEN } })
const confluent = () =>
  new SchemaRegistryClient({
    baseURLs: [url],
    basicAuthCredentials: { credentialsSource: 'USER_INFO', userInfo: `anyone:${TOKEN}` },
    maxRetries: 0,
  })

const payment = {
  type: 'record',
  name: 'Payment',
  namespace: 'com.example',
  fields: [
    { name: 'id', type: 'long' },
    { name: 'amount', type: { type: 'bytes', logicalType: 'decimal', precision: 10, scale: 2 } },
    { name: 'note', type: ['null', 'string'], default: null },
  ],
}

describe('the built-in Schema Registry with real clients', () => {
  it('refuses requests without the REST token with 401, and takes it as Bearer or Basic', async () => {
    const bare = await fetch(`${url}/subjects`)
    expect(bare.status).toBe(401)
    expect(await bare.json()).toMatchObject({ error_code: 401 })
    expect((await fetch(`${url}/subjects`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200)
    const basic = await fetch(`${url}/subjects`, { headers: { authorization: `Basic ${Buffer.from(`u:${TOKEN}`).toString('base64')}` } })
    expect(basic.status).toBe(200)
    expect(basic.headers.get('content-type')).toContain('application/vnd.schemaregistry.v1+json')
  })

  it('registers, encodes and decodes with @kafkajs/confluent-schema-registry, and refuses an incompatible change', async () => {
    const registry = kafkajs()
    const { id } = await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(payment) }, { subject: 'payments-value' })
    expect(await registry.getLatestSchemaId('payments-value')).toBe(id)
    const encoded = await registry.encode(id, { id: 7, amount: Buffer.from([0x04, 0xd2]), note: 'tip' })
    expect(encoded.subarray(0, 5)).toEqual(Buffer.from([0, 0, 0, 0, id]))
    expect(await registry.decode(encoded)).toEqual({ id: 7, amount: Buffer.from([0x04, 0xd2]), note: 'tip' })
    // A new required field without a default cannot read the records already written (BACKWARD).
    const incompatible = { ...payment, fields: [...payment.fields, { name: 'currency', type: 'string' }] }
    await expect(
      registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(incompatible) }, { subject: 'payments-value' }),
    ).rejects.toThrow(/incompatible/i)
    const json = await registry.register(
      { type: SchemaType.JSON, schema: JSON.stringify({ type: 'object', properties: { sku: { type: 'string' } }, required: ['sku'] }) },
      { subject: 'items-value' },
    )
    expect(await registry.decode(await registry.encode(json.id, { sku: 'A-1' }))).toEqual({ sku: 'A-1' })
    const proto = await registry.register(
      {
        type: SchemaType.PROTOBUF,
        schema: 'syntax = "proto3";\npackage com.example;\nmessage Item {\n  string sku = 1;\n  int32 count = 2;\n}\n',
      },
      { subject: 'proto-items-value' },
    )
    expect(await registry.decode(await registry.encode(proto.id, { sku: 'B-2', count: 3 }))).toMatchObject({ sku: 'B-2', count: 3 })
  })

  it("serializes and deserializes with Confluent's @confluentinc/schemaregistry, sharing ids with the other client", async () => {
    const client = confluent()
    const serializer = new AvroSerializer(client, SerdeType.VALUE, { autoRegisterSchemas: true })
    const deserializer = new AvroDeserializer(client, SerdeType.VALUE, {})
    const bytes = await serializer.serialize('orders', { id: 1, customer: 'ada' })
    expect(bytes[0]).toBe(0)
    expect(await deserializer.deserialize('orders', bytes)).toEqual({ id: 1, customer: 'ada' })
    const latest = await client.getLatestSchemaMetadata('orders-value')
    expect(latest).toMatchObject({ version: 1, id: bytes.readUInt32BE(1) })
    // The payments schema the other client registered has the same id here.
    const byKafkajs = await kafkajs().getLatestSchemaId('payments-value')
    expect(await client.getId('payments-value', { schemaType: 'AVRO', schema: JSON.stringify(payment) })).toBe(byKafkajs)
    expect(
      await client.testCompatibility('payments-value', 1, {
        schemaType: 'AVRO',
        schema: JSON.stringify({ ...payment, fields: [...payment.fields, { name: 'currency', type: 'string', default: 'EUR' }] }),
      }),
    ).toBe(true)
    expect(
      await client.testCompatibility('payments-value', 1, {
        schemaType: 'AVRO',
        schema: JSON.stringify({ ...payment, fields: [{ name: 'id', type: 'string' }] }),
      }),
    ).toBe(false)
    await expect(
      client.register('payments-value', {
        schemaType: 'AVRO',
        schema: '{"type":"record","name":"X","fields":[{"name":"a","type":"nope"}]}',
      }),
    ).rejects.toMatchObject({ status: 422, errorCode: 42201 })
    await expect(client.getBySubjectAndId('payments-value', 4242)).rejects.toMatchObject({ status: 404, errorCode: 40403 })
  })

  it('keeps every id and version across kill -9 and a restart', async () => {
    const before = (await (await fetch(`${url}/subjects`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as string[]
    const ids = await Promise.all(before.map(async (subject) => [subject, await kafkajs().getLatestSchemaId(subject)] as const))
    expect(before.length).toBeGreaterThanOrEqual(4)
    worker.child.kill('SIGKILL')
    await worker.exited
    worker = await start()
    url = worker.registryUrl as string
    expect(await (await fetch(`${url}/subjects`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()).toEqual(before)
    for (const [subject, id] of ids) expect(await kafkajs().getLatestSchemaId(subject), subject).toBe(id)
    const next = await kafkajs().register(
      { type: SchemaType.AVRO, schema: JSON.stringify({ type: 'record', name: 'Later', fields: [{ name: 'at', type: 'long' }] }) },
      { subject: 'after-restart-value' },
    )
    expect(next.id).toBe(Math.max(...ids.map(([, id]) => id)) + 1)
  })
})
