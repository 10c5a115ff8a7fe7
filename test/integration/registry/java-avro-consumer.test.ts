/**
 * What Tributary writes in Avro is read on the JVM: a real `tributary run` snapshots a PostgreSQL table
 * with postgres-cdc and Confluent's AvroConverter (the built-in registry, Confluent's wire format), and
 * a Java KafkaConsumer on the worker's Kafka listener decodes keys and values with Apicurio's
 * AvroKafkaDeserializer, fetching each schema by the record's id from the worker's registry port (its
 * Apicurio reads, behind the REST token). The decoded values must be exactly the rows: a bigint past
 * 2^53, a numeric as a decimal with all its digits, and a NULL as a null optional.
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { consumeWithApicurio, ensureApicurioConsumer } from '../../support/apicurio-consumer.ts'
import { freePort } from '../../support/free-port.ts'
import { startPgServer, type PgServer } from '../../support/pg-server.ts'
import { makeTempDir } from '../../support/temp-dir.ts'
import { eventually } from '../../support/worker-harness.ts'
import { spawnWorker, type WorkerProcess } from '../../support/worker-process.ts'
import type { RestJson } from '../../support/rest-json.ts'

const TOKEN = 'apicurio-test-token'
const TOPIC = 'jvm.public.payments'
let server: PgServer
let dir: Awaited<ReturnType<typeof makeTempDir>>
let worker: WorkerProcess

beforeAll(async () => {
  dir = await makeTempDir('tributary-java-avro-')
  fs.mkdirSync(path.join(dir.path, 'config'))
  const [pgServer] = await Promise.all([startPgServer(), ensureApicurioConsumer()])
  server = pgServer
  await server.query('CREATE TABLE payments (id bigint PRIMARY KEY, amount numeric(12,2) NOT NULL, note text)')
  await server.query(`INSERT INTO payments VALUES (9007199254740993, 12345.67, NULL), (-9223372036854775808, -0.05, 'tip'), (1, 0.00, '')`)
  worker = await spawnWorker(path.join(dir.path, 'config'), path.join(dir.path, 'data'), {
    TRIBUTARY_KAFKA_PORT: String(await freePort()),
    TRIBUTARY_SCHEMA_REGISTRY_PORT: String(await freePort()),
    TRIBUTARY_REST_AUTH_TOKEN: TOKEN,
  })
}, 180_000)
afterAll(async () => {
  worker?.child.kill('SIGKILL')
  await worker?.exited
  await server?.stop()
  await dir?.remove()
})

async function rest(method: string, route: string, body?: unknown): Promise<{ status: number; body: RestJson }> {
  const response = await fetch(`${worker.url}${route}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  })
  return { status: response.status, body: await response.json().catch(() => null) }
}

describe("a JVM consumer with Apicurio's Avro deserializer on Tributary's registry", () => {
  it('decodes every key and value postgres-cdc wrote with AvroConverter, digit for digit', async () => {
    const created = await rest('POST', '/connectors', {
      name: 'payments-avro',
      config: {
        'connector.class': 'postgres-cdc',
        url: server.url,
        'topic.prefix': 'jvm',
        tables: 'public.payments',
        slot: 'jvm_slot',
        publication: 'jvm_pub',
        'snapshot.mode': 'initial',
        'key.converter': 'io.confluent.connect.avro.AvroConverter',
        'value.converter': 'io.confluent.connect.avro.AvroConverter',
      },
    })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    await eventually(
      async () => (await rest('GET', `/topics/${TOPIC}/records?limit=3`)).body?.records?.length ?? 0,
      (count) => count === 3,
      60_000,
    )

    // Without the token the registry refuses the JVM's schema lookups, as it refuses every client.
    await expect(
      consumeWithApicurio({
        bootstrap: worker.kafkaAddress as string,
        registryUrl: worker.registryUrl as string,
        topic: TOPIC,
        count: 1,
        timeoutMs: 30_000,
      }),
    ).rejects.toThrow(/NotAuthorizedException/)

    const lines = await consumeWithApicurio({
      bootstrap: worker.kafkaAddress as string,
      registryUrl: worker.registryUrl as string,
      topic: TOPIC,
      count: 3,
      token: TOKEN,
    })
    // Compared as the JVM's text: JSON.parse would round the longs.
    const decoded = lines.map((line) => {
      const found =
        /"key":(\{[^{}]*\}),"value":\{"before":null,"after":(\{[^{}]*\}),"source":\{[^{}]*"table":"payments"[^{}]*\},"transaction":null,"op":"r",/.exec(
          line,
        )
      expect(found, line).not.toBeNull()
      return { key: found?.[1], after: found?.[2] }
    })
    expect(decoded.sort((a, b) => String(a.key).localeCompare(String(b.key)))).toEqual([
      { key: '{"id":-9223372036854775808}', after: '{"id":-9223372036854775808,"amount":-0.05,"note":"tip"}' },
      { key: '{"id":1}', after: '{"id":1,"amount":0.00,"note":""}' },
      { key: '{"id":9007199254740993}', after: '{"id":9007199254740993,"amount":12345.67,"note":null}' },
    ])
  }, 240_000)
})
