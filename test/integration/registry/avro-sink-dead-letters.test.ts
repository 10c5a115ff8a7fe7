/**
 * A sink reading Avro through the built-in registry: a record whose schema id the registry does not
 * hold, or that is not in the registry's wire format at all, goes to the dead-letter topic with a
 * reason that names the id (or the magic byte); the good records around it reach the sink, decoded.
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RegistryClient } from '../../../core/registry/registry-client.ts'
import { avroWriter } from '../../../core/runtime/schema/avro-binary.ts'
import { connectSchemaOf } from '../../../core/runtime/schema/avro-connect-schema.ts'
import { frame } from '../../../core/runtime/wire-format.ts'
import { freePort } from '../../support/free-port.ts'
import { makeTempDir } from '../../support/temp-dir.ts'
import { eventually } from '../../support/worker-harness.ts'
import { spawnWorker, type WorkerProcess } from '../../support/worker-process.ts'
import type { RestJson } from '../../support/rest-json.ts'

let dir: Awaited<ReturnType<typeof makeTempDir>>
let worker: WorkerProcess

beforeAll(async () => {
  dir = await makeTempDir('tributary-avro-dlq-')
  fs.mkdirSync(path.join(dir.path, 'config'))
  worker = await spawnWorker(path.join(dir.path, 'config'), path.join(dir.path, 'data'), {
    TRIBUTARY_SCHEMA_REGISTRY_PORT: String(await freePort()),
  })
}, 60_000)
afterAll(async () => {
  worker?.child.kill('SIGKILL')
  await worker?.exited
  await dir?.remove()
})

async function rest(method: string, route: string, body?: unknown): Promise<{ status: number; body: RestJson }> {
  const response = await fetch(`${worker.url}${route}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  })
  return { status: response.status, body: await response.json().catch(() => null) }
}

const order = {
  type: 'record',
  name: 'Order',
  namespace: 'shop',
  fields: [
    { name: 'id', type: 'long' },
    { name: 'item', type: 'string' },
  ],
}

describe('an Avro sink on the built-in registry', () => {
  it('sends a record of an unknown schema id, or not in the wire format, to the dead-letter topic with the reason', async () => {
    const { id } = await new RegistryClient({ url: worker.registryUrl as string }).register('orders-value', {
      schema: JSON.stringify(order),
    })
    const write = avroWriter(connectSchemaOf(order))
    const good = (n: number) => frame(id, write({ id: n, item: `item-${n}` })).toString('base64')
    const unknownId = frame(4242, write({ id: 2, item: 'lost' })).toString('base64')
    const notFramed = Buffer.from('{"id":3}').toString('base64')
    expect((await rest('POST', '/topics', { name: 'orders' })).status).toBe(201)
    const produced = await rest('POST', '/topics/orders/records', {
      records: [good(1), unknownId, notFramed, good(4)].map((value) => ({ value, value_encoding: 'base64' })),
    })
    expect(produced.status, JSON.stringify(produced.body)).toBeLessThan(300)
    const out = path.join(dir.path, 'out.jsonl')
    const created = await rest('POST', '/connectors', {
      name: 'orders-sink',
      config: {
        'connector.class': 'file-sink',
        topics: 'orders',
        file: out,
        'value.converter': 'io.confluent.connect.avro.AvroConverter',
        'key.converter': 'string',
        'errors.tolerance': 'all',
        'errors.deadletterqueue.topic.name': 'orders-dlq',
        'errors.deadletterqueue.context.headers.enable': 'true',
      },
    })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    const lines = await eventually(
      () => (fs.existsSync(out) ? fs.readFileSync(out, 'utf8').trim().split('\n').filter(Boolean) : []),
      (read) => read.length >= 2,
      20_000,
    )
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      { id: 1, item: 'item-1' },
      { id: 4, item: 'item-4' },
    ])
    const dead = await eventually(
      async (): Promise<Array<{ headers: Record<string, string> }>> =>
        (await rest('GET', '/topics/orders-dlq/records?limit=10')).body?.records ?? [],
      (records) => records.length >= 2,
      20_000,
    )
    const reasons = dead.map((record) => record.headers['__connect.errors.exception.message'])
    expect(reasons[0]).toMatch(/schema id 4242 is not in the built-in schema registry/)
    expect(reasons[1]).toMatch(/unknown magic byte 123/)
    expect(dead.map((record) => record.headers['__connect.errors.stage'])).toEqual(['VALUE_CONVERTER', 'VALUE_CONVERTER'])
  })
})
