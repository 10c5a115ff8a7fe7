/**
 * Workers whose topics live on a real Apache Kafka cluster (three KRaft nodes, replication factor
 * 3, two replicas in sync to acknowledge): distributed mode with a worker SIGKILLed
 * (test/support/distributed-workers-suite.ts, also run on Tributary's listener), then a broker
 * failover under a running pipeline: a file source writes a topic that a file sink reads, and the
 * broker leading that topic is SIGKILLed mid-stream. Every line must reach the topic exactly once
 * and in order, and the sink's file in order, at least once; both tasks must carry on without an
 * operator, and the worker must say in its log which broker it lost.
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest'
import { isTributaryError } from '../../../core/errors.ts'
import { KafkaLog } from '../../../core/kafka/kafka-log.ts'
import { runDistributedWorkersSuite } from '../../support/distributed-workers-suite.ts'
import { emptyCluster } from '../../support/kafka-log-under-test.ts'
import { startRealKafka, type RealKafka } from '../../support/real-kafka.ts'
import { makeTempDir } from '../../support/temp-dir.ts'
import { eventually } from '../../support/worker-harness.ts'
import { spawnWorker, type WorkerProcess } from '../../support/worker-process.ts'

let cluster: RealKafka
let reader: KafkaLog

beforeAll(async () => {
  cluster = await startRealKafka({ brokers: 3 })
  reader = await KafkaLog.connect({ brokers: cluster.brokers, clientId: 'test-reader' })
}, 300_000) // the first run resolves Kafka from Maven Central

afterAll(async () => {
  await reader?.close()
  await cluster?.stop()
})

/**
 * Partition 0 of a topic from offset 0 to its high watermark; [] while it does not exist, and what
 * was read so far while its leader is out of reach (the caller asks again).
 */
async function values(topic: string): Promise<string[]> {
  const out: string[] = []
  let offset = 0
  for (;;) {
    try {
      // read_committed: an exactly-once source's batch that was aborted and sent again counts once.
      const read = await reader.read(topic, 0, offset, { isolation: 'read_committed' })
      out.push(...read.records.map((record) => record.value!.toString()))
      offset = read.nextOffset
      if (offset >= read.lastStableOffset) return out
    } catch (error) {
      if (isTributaryError(error, 'TRB_TOPIC_NOT_FOUND')) return []
      if (isTributaryError(error) && error.retriable) return out
      throw error
    }
  }
}

runDistributedWorkersSuite('real Kafka', () => ({
  clientEnv: { TRIBUTARY_LOG_BROKERS: cluster.brokers.join(',') },
  // Kafka's group.min.session.timeout.ms: a broker refuses a shorter session.
  sessionTimeoutMs: 6_000,
  values,
}))

/**
 * Reads `lines` as a sink's output that must hold `expected` in order, at least once: each line is
 * the next expected one, or one already seen (a redelivery). `early` lists lines seen before their
 * turn (a loss or a reordering); `missing` counts expected lines never seen.
 */
function inOrderAtLeastOnce(lines: readonly string[], expected: readonly string[]): { missing: number; early: string[]; replayed: number } {
  const seen = new Set<string>()
  const early: string[] = []
  let next = 0
  let replayed = 0
  for (const entry of lines) {
    if (entry === expected[next]) {
      seen.add(entry)
      next++
    } else if (seen.has(entry)) replayed++
    else early.push(entry)
  }
  return { missing: expected.length - next, early: early.slice(0, 10), replayed }
}

describe('a pipeline on real Kafka: broker failover', () => {
  let dir: Awaited<ReturnType<typeof makeTempDir>>
  let worker: WorkerProcess | undefined
  let killed: number | undefined

  beforeAll(async () => {
    dir = await makeTempDir()
    fs.mkdirSync(path.join(dir.path, 'config'))
    // The suite before left its connectors' configs and topics in the cluster.
    await emptyCluster(reader)
  })

  afterAll(async () => {
    worker?.child.kill('SIGKILL')
    await worker?.exited
    if (killed !== undefined) await cluster.restart(killed)
    await dir?.remove()
  })

  async function create(name: string, config: Record<string, string>): Promise<void> {
    const response = await fetch(`${worker!.url}/connectors`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name, config }),
    })
    expect(response.status, await response.text()).toBe(201)
  }

  const sunk = (file: string): string[] =>
    fs.existsSync(file)
      ? fs
          .readFileSync(file, 'utf8')
          .split('\n')
          .filter((line) => line !== '')
      : []

  it('carries a source and a sink through a SIGKILL of the leader broker: the topic exact, the sink in order, no operator', async () => {
    const input = path.join(dir.path, 'input.log')
    const output = path.join(dir.path, 'output.log')
    const line = (i: number) => `line ${i}`
    const TOTAL = 3_000
    let written = 0
    fs.writeFileSync(input, '')
    // Exactly-once sources: an append that kafkajs gave up on during the election, though the old
    // leader had stored it, is aborted with its transaction and sent again, never kept twice.
    worker = await spawnWorker(path.join(dir.path, 'config'), path.join(dir.path, 'data'), {
      TRIBUTARY_LOG_BROKERS: cluster.brokers.join(','),
      TRIBUTARY_LOG_LEVEL: 'info',
      TRIBUTARY_EXACTLY_ONCE_SOURCE_SUPPORT: 'enabled',
    })
    onTestFailed(async () => {
      const topic = (await values('flow').catch(() => [])).length
      process.stderr.write(
        `failover: ${written} lines written, ${topic} in the topic, ${sunk(output).length} in the sink's file; the worker's log ends:\n${worker!.stdout().slice(-12_000)}\n`,
      )
    })
    await create('src', { 'connector.class': 'file-source', file: input, topic: 'flow', format: 'text' })
    await create('sink', { 'connector.class': 'file-sink', topics: 'flow', file: output, format: 'raw' })

    // Lines arrive steadily; the leader of flow-0 dies once a fifth of them have gone through.
    let killing: Promise<void> | undefined
    const leader = await eventually(
      () => cluster.leaderOf('flow', 0).catch(() => -1),
      (node) => node > 0,
      30_000,
    )
    while (written < TOTAL) {
      const next = Math.min(TOTAL, written + 20)
      fs.appendFileSync(input, Array.from({ length: next - written }, (_, k) => `${line(written + k)}\n`).join(''))
      written = next
      if (killing === undefined && sunk(output).length >= TOTAL / 5) {
        killed = leader - 1
        killing = cluster.kill(killed)
      }
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    await killing
    expect(killing, 'the leader was killed mid-stream').toBeDefined()

    const expected = Array.from({ length: TOTAL }, (_, i) => line(i))
    // The source's batches are transactions, in call order: the topic holds each line once, in order.
    const topic = await eventually(
      async () => (await values('flow')).map((value) => JSON.parse(value) as string),
      (all) => all.length >= TOTAL,
      90_000,
    )
    expect(topic).toEqual(expected)
    // The sink is at least once: a batch whose commit did not reach the moving coordinator may come again.
    const lines = await eventually(
      () => sunk(output),
      (all) => inOrderAtLeastOnce(all, expected).missing === 0,
      90_000,
    )
    const delivered = inOrderAtLeastOnce(lines, expected)
    expect({ missing: delivered.missing, early: delivered.early }).toEqual({ missing: 0, early: [] })
    expect(await cluster.leaderOf('flow', 0)).not.toBe(leader)
    for (const name of ['src', 'sink']) {
      const status = (await (await fetch(`${worker.url}/connectors/${name}/status`)).json()) as {
        connector: { state: string }
        tasks: Array<{ state: string }>
      }
      expect({ name, connector: status.connector.state, tasks: status.tasks.map((t) => t.state) }).toEqual({
        name,
        connector: 'RUNNING',
        tasks: ['RUNNING'],
      })
    }
    // The worker's log says which broker it lost.
    const lostBroker = cluster.brokers[killed!]!
    const kafkaWarnings = worker
      .stdout()
      .split('\n')
      .filter((entry) => entry.includes('"module":"kafka-log"') && entry.includes('"level":40'))
    expect(
      kafkaWarnings.some((entry) => entry.includes(lostBroker)),
      `a kafka-log warning naming ${lostBroker}`,
    ).toBe(true)
    process.stderr.write(
      `failover: ${TOTAL} lines, the sink's file has ${delivered.replayed} lines delivered again, ${kafkaWarnings.length} Kafka client warnings logged\n`,
    )
  }, 240_000)
})
