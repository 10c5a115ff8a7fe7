/**
 * The registry converters' settings, with Confluent's names, on a real registry (kept in `_schemas`
 * of an embedded log, and served over HTTP for `schema.registry.url`): subject name strategies,
 * `auto.register.schemas=false`, `use.latest.version`, credentials, and a registry that does not
 * answer (retriable, never a record's fault).
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApi, type RunningApi } from '../../../core/api/server.ts'
import { isTributaryError } from '../../../core/errors.ts'
import { EmbeddedLog } from '../../../core/log/embedded-log.ts'
import { createLogger } from '../../../core/logger.ts'
import { schemaFormats } from '../../../core/registry/formats/index.ts'
import { createRegistryApp } from '../../../core/registry/http/registry-server.ts'
import { StoredRegistry } from '../../../core/registry/stored-registry.ts'
import { createConverters } from '../../../core/runtime/converters.ts'
import type { ConnectorConfig } from '../../../core/runtime/plugin.ts'
import { Schemas } from '../../../core/runtime/schema/schema.ts'
import { freePort } from '../../support/free-port.ts'
import { makeTempDir } from '../../support/temp-dir.ts'

let dir: Awaited<ReturnType<typeof makeTempDir>>
let log: EmbeddedLog
let registry: StoredRegistry
let server: RunningApi
const TOKEN = 'converter-token'

beforeAll(async () => {
  dir = await makeTempDir('tributary-registry-converters-')
  log = await EmbeddedLog.open({ dataDir: path.join(dir.path, 'data') })
  registry = await StoredRegistry.open(log, { formats: schemaFormats })
  server = await startApi(createRegistryApp({ registry, authToken: TOKEN, logger: createLogger('schema-registry') }), 0, '127.0.0.1')
})
afterAll(async () => {
  await server?.close()
  await log?.close()
  await dir?.remove()
})

const order = Schemas.struct(
  [
    ['id', Schemas.int64()],
    ['item', Schemas.string()],
  ],
  { name: 'shop.Order' },
)
const builtIn = { builtIn: async () => registry }
const converter = (config: ConnectorConfig) => createConverters({ 'value.converter': 'avro', ...config }, builtIn).value
const write = async (config: ConnectorConfig, topic: string, data: unknown, schema = order) =>
  (await converter(config).fromData(topic, data, schema)) as Buffer

describe('registry converter settings', () => {
  it('names subjects by TopicNameStrategy, RecordNameStrategy or TopicRecordNameStrategy', async () => {
    await write({}, 'orders', { id: 1, item: 'a' })
    await write({ 'value.converter.value.subject.name.strategy': 'io.confluent.kafka.serializers.subject.RecordNameStrategy' }, 'orders', {
      id: 1,
      item: 'a',
    })
    await write({ 'value.converter.value.subject.name.strategy': 'TopicRecordNameStrategy' }, 'orders', { id: 1, item: 'a' })
    const key = await createConverters({ 'key.converter': 'avro' }, builtIn).key.fromData('orders', 7, Schemas.int64())
    expect(key?.subarray(0, 1)).toEqual(Buffer.from([0]))
    expect(await registry.subjects()).toEqual(expect.arrayContaining(['orders-value', 'shop.Order', 'orders-shop.Order', 'orders-key']))
    // One schema, one id, under every subject.
    const ids = await Promise.all(
      ['orders-value', 'shop.Order', 'orders-shop.Order'].map(async (subject) => (await registry.version(subject, 'latest')).id),
    )
    expect(new Set(ids).size).toBe(1)
    // A schema without a record name cannot have a record-name subject.
    expect(() =>
      converter({ 'value.converter.value.subject.name.strategy': 'RecordNameStrategy' }).fromData('orders', 'x', Schemas.string()),
    ).toThrow(/needs a schema with a record name/)
  })

  it('with auto.register.schemas=false writes only a schema registered before, and says how to register it', async () => {
    const unregistered = Schemas.struct([['sku', Schemas.string()]], { name: 'shop.Item' })
    const config = { 'value.converter.auto.register.schemas': 'false' }
    const refused = await write(config, 'items', { sku: 'x' }, unregistered).then(
      () => undefined,
      (error: unknown) => error,
    )
    expect(isTributaryError(refused, 'TRB_CONVERTER_FAILED')).toBe(true)
    expect((refused as Error).message).toMatch(/subject items-value.*register it first/)
    expect(await registry.subjects()).not.toContain('items-value')
    // Registered as a Kafka Connect worker would register it (AvroData adds connect.name).
    const { id } = await registry.register('items-value', {
      schema: JSON.stringify({
        type: 'record',
        name: 'Item',
        namespace: 'shop',
        fields: [{ name: 'sku', type: 'string' }],
        'connect.name': 'shop.Item',
      }),
    })
    expect((await write(config, 'items', { sku: 'x' }, unregistered)).readUInt32BE(1)).toBe(id)
  })

  it("with use.latest.version writes as the subject's latest schema says, under its id", async () => {
    const latest = {
      type: 'record',
      name: 'Order',
      namespace: 'shop',
      fields: [
        { name: 'id', type: 'long' },
        { name: 'item', type: 'string' },
        { name: 'channel', type: 'string', default: 'web' },
      ],
    }
    await registry.setCompatibility('NONE', 'later-value')
    const { id } = await registry.register('later-value', { schema: JSON.stringify(latest) })
    const bytes = await write({ 'value.converter.auto.register.schemas': 'false', 'value.converter.use.latest.version': 'true' }, 'later', {
      id: 5,
      item: 'b',
    })
    expect(bytes.readUInt32BE(1)).toBe(id)
    expect(await converter({}).toData('later', bytes)).toMatchObject({ value: { id: 5, item: 'b', channel: 'web' } })
  })

  it('reaches a registry at schema.registry.url with its credentials, as Basic or as a bearer token', async () => {
    const url = `http://127.0.0.1:${server.port}`
    const basic = await write(
      { 'value.converter.schema.registry.url': url, 'value.converter.basic.auth.user.info': `ops:${TOKEN}` },
      'remote',
      { id: 2, item: 'c' },
    )
    const bearer = await write({ 'value.converter.schema.registry.url': url, 'value.converter.bearer.auth.token': TOKEN }, 'remote', {
      id: 2,
      item: 'c',
    })
    expect(bearer).toEqual(basic)
    expect((await registry.version('remote-value', 'latest')).id).toBe(basic.readUInt32BE(1))
    const wrong = await write(
      { 'value.converter.schema.registry.url': url, 'value.converter.basic.auth.user.info': 'ops:wrong' },
      'remote2',
      { id: 2, item: 'c' },
    ).then(
      () => undefined,
      (error: unknown) => error,
    )
    expect(isTributaryError(wrong, 'TRB_CONVERTER_FAILED')).toBe(true)
    expect((wrong as Error).message).toMatch(/at http:\/\/127\.0\.0\.1:\d+.*credentials/)
  })

  it('does not follow a redirect, which could lead past --connect-allowed-hosts', async () => {
    // The redirect's target is an open registry (no token), as a host the worker may not reach could be.
    const open = await startApi(createRegistryApp({ registry, logger: createLogger('schema-registry') }), 0, '127.0.0.1')
    const redirecting = http.createServer((_req, res) =>
      res.writeHead(307, { location: `http://127.0.0.1:${open.port}/subjects/elsewhere-value/versions` }).end(),
    )
    await new Promise<void>((resolve) => redirecting.listen(0, '127.0.0.1', resolve))
    try {
      const url = `http://127.0.0.1:${(redirecting.address() as AddressInfo).port}`
      const failed = await write({ 'value.converter.schema.registry.url': url }, 'redirected', { id: 1, item: 'a' }).then(
        () => undefined,
        (error: unknown) => error,
      )
      expect(isTributaryError(failed)).toBe(true)
      expect(await registry.subjects()).not.toContain('elsewhere-value')
    } finally {
      redirecting.close()
      await open.close()
    }
  })

  it("reports a registry that does not answer as retriable, never as the record's fault", async () => {
    const closed = `http://127.0.0.1:${await freePort()}`
    const failed = await write({ 'value.converter.schema.registry.url': closed }, 'nowhere', { id: 1, item: 'a' }).then(
      () => undefined,
      (error: unknown) => error,
    )
    expect(isTributaryError(failed, 'TRB_SCHEMA_REGISTRY_UNAVAILABLE')).toBe(true)
    expect((failed as { retriable: boolean }).retriable).toBe(true)
    const reading = await Promise.resolve(
      converter({ 'value.converter.schema.registry.url': closed }).toData('nowhere', Buffer.from([0, 0, 0, 0, 1, 2])),
    ).then(
      () => undefined,
      (error: unknown) => error,
    )
    expect(isTributaryError(reading, 'TRB_SCHEMA_REGISTRY_UNAVAILABLE')).toBe(true)
  })
})
