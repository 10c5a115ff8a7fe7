/**
 * A transaction of 100,000 rows that PostgreSQL streams while in progress (streaming: true, a small
 * logical_decoding_work_mem) arrives whole at its commit; with exactly-once sources on a Kafka
 * cluster it must still reach the topic, each row once. Handed out as one poll it was one log
 * transaction whose append the broker refused (larger than message.max.bytes), again and again:
 * the connector stalled. Now polls stay near batch.size, each ending at a counted record.
 */
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { KafkaLog } from '../../../../core/kafka/kafka-log.ts'
import { CommittedTail } from '../../../support/numbered-changes-topic.ts'
import { startPgServer, type PgServer } from '../../../support/pg-server.ts'
import { writePipelineFile } from '../../../support/pipeline-file.ts'
import { startRealKafka, type RealKafka } from '../../../support/real-kafka.ts'
import { makeTempDir } from '../../../support/temp-dir.ts'
import { eventually } from '../../../support/worker-harness.ts'
import { spawnWorker, type WorkerProcess } from '../../../support/worker-process.ts'

const ROWS = 100_000
let cluster: RealKafka
let server: PgServer
let dir: Awaited<ReturnType<typeof makeTempDir>>
let worker: WorkerProcess | undefined
let reader: KafkaLog | undefined

beforeAll(async () => {
  cluster = await startRealKafka({ brokers: 1 })
  server = await startPgServer({ logical_decoding_work_mem: '64kB' })
  dir = await makeTempDir('tributary-pg-large-')
}, 300_000)
afterAll(async () => {
  worker?.child.kill('SIGKILL')
  await worker?.exited
  await reader?.close()
  await cluster?.stop()
  await server?.stop()
  await dir?.remove()
})

describe('exactly-once postgres-cdc on a Kafka cluster', () => {
  it(`carries a transaction of ${ROWS.toLocaleString('en')} rows streamed while in progress, each row once`, async () => {
    await server.query('CREATE TABLE items (id int PRIMARY KEY, n bigint NOT NULL)')
    const configDir = path.join(dir.path, 'config')
    writePipelineFile(configDir, 'large', [
      'topic: { name: large.items, partitions: 3 }',
      'sources:',
      `  - { id: pg, type: postgres-cdc, with: { url: "${server.url}", topic: { prefix: large }, tables: [public.items], slot: large_slot, streaming: true } }`,
    ])
    worker = await spawnWorker(configDir, path.join(dir.path, 'data'), {
      TRIBUTARY_LOG_BROKERS: cluster.brokers.join(','),
      TRIBUTARY_EXACTLY_ONCE_SOURCE_SUPPORT: 'enabled',
    })
    reader = await KafkaLog.connect({ brokers: cluster.brokers, clientId: 'large-reader' })
    const tail = new CommittedTail(reader, 'large.items')
    // A first row through: the connector streams (and Kafka has made its transaction state topic).
    await eventually(
      async () => (await server.query('SELECT 1 FROM pg_replication_slots WHERE active')).length,
      (active) => active > 0,
      60_000,
    )
    await server.query('INSERT INTO items VALUES (0, 0)')
    await eventually(
      () => tail.readOn(),
      (count) => count >= 1,
      120_000,
    )
    await server.query(`INSERT INTO items SELECT g, g FROM generate_series(1, ${ROWS}) g`)
    await eventually(
      () => tail.readOn(),
      (count) => count >= ROWS + 1,
      120_000,
    ).catch((error: Error) => {
      throw new Error(`${error.message.slice(0, 200)}\n${worker?.stderr().slice(-3000)}`)
    })
    expect({ records: tail.count, rows: tail.distinct }).toEqual({ records: ROWS + 1, rows: ROWS + 1 })
  }, 300_000)
})
