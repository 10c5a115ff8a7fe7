/**
 * `tributary run` serves Kafka clients: the listener starts with the worker on the configured port,
 * with SASL/PLAIN users from the environment, and what a client produces is in the worker's log.
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Kafka, logLevel } from 'kafkajs'
import { freePort } from '../../support/free-port.ts'
import { makeTempDir } from '../../support/temp-dir.ts'
import { spawnWorker, type WorkerProcess } from '../../support/worker-process.ts'

let dir: Awaited<ReturnType<typeof makeTempDir>>
let worker: WorkerProcess

beforeAll(async () => {
  dir = await makeTempDir()
  fs.mkdirSync(path.join(dir.path, 'config'))
  worker = await spawnWorker(path.join(dir.path, 'config'), path.join(dir.path, 'data'), {
    TRIBUTARY_KAFKA_PORT: String(await freePort()),
    TRIBUTARY_KAFKA_SASL_PLAIN_USERS: 'alice:s3cret',
  })
})

afterAll(async () => {
  worker?.child.kill('SIGTERM')
  await worker?.exited
  await dir?.remove()
})

function client(password: string): Kafka {
  return new Kafka({
    clientId: 'worker-listener',
    brokers: [worker.kafkaAddress!],
    sasl: { mechanism: 'plain', username: 'alice', password },
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
  })
}

describe('the worker serves Kafka clients', () => {
  it('accepts a producer with the right password and stores what it sends', async () => {
    expect(worker.kafkaAddress).toMatch(/^127\.0\.0\.1:\d+$/)
    const producer = client('s3cret').producer()
    await producer.connect()
    await producer.send({ topic: 'from-kafka', messages: [{ key: 'k', value: 'hello' }] })
    await producer.disconnect()
    const response = await fetch(`${worker.url}/topics/from-kafka/records?partition=0&offset=0`)
    const body = (await response.json()) as { records: Array<{ key: string; value: string }> }
    expect(body.records.map((r) => [r.key, r.value])).toEqual([['k', 'hello']])
  })

  it('refuses a wrong password', async () => {
    const producer = client('wrong').producer()
    await expect(producer.connect()).rejects.toThrow(/SASL|authentication/i)
  })
})
