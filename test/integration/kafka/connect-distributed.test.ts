/**
 * Apache Kafka Connect 4.3.1's distributed worker, unchanged, with Tributary's listener as its
 * Kafka: it keeps its configs, source offsets and statuses in compacted topics on the listener and
 * forms its worker group with the "connect" protocol. A FileStreamSource copies a file into a topic
 * and a FileStreamSink copies the topic into another file; after a stop (SIGTERM) and a start, the
 * worker must resume from what its internal topics hold, so every line reaches the sink once, in order.
 * A worker whose offsets topic is not compacted must be refused by Connect's own check, which reads
 * the topic's configs from the listener (DescribeConfigs).
 */
import fs from 'node:fs'
import path from 'node:path'
import { isDeepStrictEqual } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmbeddedKafka, type EmbeddedKafka } from '../../support/embedded-kafka.ts'
import { freePort } from '../../support/free-port.ts'
import { connectRest, launchConnectWorker, startConnectWorker, untilJvm, type Jvm } from '../../support/kafka-connect-streams.ts'
import { makeTempDir } from '../../support/temp-dir.ts'
import { eventually } from '../../support/worker-harness.ts'

const WORKER_GROUP = 'connect-cluster'
const INTERNAL_TOPICS = ['connect-configs', 'connect-offsets', 'connect-status']
const TOPIC = 'file-lines'
const START_TIMEOUT_MS = 60_000
const COPY_TIMEOUT_MS = 30_000

let kafka: EmbeddedKafka
let dir: Awaited<ReturnType<typeof makeTempDir>>
let restPort: number
let restUrl: string
let worker: Jvm | undefined
let inputFile: string
let outputFile: string

beforeAll(async () => {
  kafka = await startEmbeddedKafka()
  dir = await makeTempDir('tributary-connect-')
  restPort = await freePort()
  restUrl = `http://127.0.0.1:${restPort}`
  inputFile = path.join(dir.path, 'input.txt')
  outputFile = path.join(dir.path, 'output.txt')
}, START_TIMEOUT_MS)

afterAll(async () => {
  await worker?.stop()
  await kafka?.stop()
  await dir?.remove()
})

const workerOptions = (restPortOfWorker: number, groupId: string, topicPrefix: string) => ({
  bootstrap: `127.0.0.1:${kafka.port}`,
  groupId,
  topicPrefix,
  restPort: restPortOfWorker,
  dir: dir.path,
})
const startWorker = async () => (await startConnectWorker(workerOptions(restPort, WORKER_GROUP, 'connect'))).jvm
const rest = (method: string, urlPath: string, body?: unknown) => connectRest(restUrl, method, urlPath, body)

// ASCII only: FileStreamSourceTask stores its position in characters and resumes by skipping that
// many bytes, so a multi-byte character would make Connect itself re-read part of the file.
const lines = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `line ${from + i}: ${'x'.repeat((from + i) % 17)}`)
const appendLines = (text: readonly string[]) => fs.appendFileSync(inputFile, text.map((line) => `${line}\n`).join(''))
const sinkLines = () => (fs.existsSync(outputFile) ? fs.readFileSync(outputFile, 'utf8').split('\n').slice(0, -1) : [])

/** Both connectors and their one task each RUNNING, as Connect's status API reports them. */
async function runningStates(): Promise<string[]> {
  const response = await rest('GET', '/connectors?expand=status')
  if (response.status !== 200) return []
  return Object.values(
    response.body as Record<string, { status: { connector: { state: string }; tasks: Array<{ state: string }> } }>,
  ).flatMap(({ status }) => [status.connector.state, ...status.tasks.map((task) => task.state)])
}

/** `written`: the lines the topic must hold, when the sink has read some of them twice on purpose. */
async function untilSinkHolds(jvm: Jvm, expected: readonly string[], written = expected.length): Promise<void> {
  await untilJvm(jvm, `${expected.length} lines in the sink file`, sinkLines, (seen) => seen.length >= expected.length, COPY_TIMEOUT_MS)
  expect(sinkLines()).toEqual(expected)
  // A source that re-read its file would have put more records on the topic than lines written.
  expect(await kafka.log.listOffset(TOPIC, 0, 'latest')).toBe(written)
}

async function connectorOffsets(name: string): Promise<unknown> {
  const response = await rest('GET', `/connectors/${name}/offsets`)
  return response.status === 200 ? response.body.offsets : response
}

const sameJson = (expected: unknown) => (actual: unknown) => isDeepStrictEqual(actual, expected)

async function workerGroup() {
  const coordinator = await kafka.listener.broker.groups()
  return coordinator.describeGroup(WORKER_GROUP)
}

describe('Kafka Connect 4.3.1 distributed worker on the listener', () => {
  it("copies a file through a topic, resumes after a restart from its internal topics without a line lost or repeated, and resets a sink's offsets", async () => {
    fs.writeFileSync(inputFile, '')
    worker = await startWorker()

    // The worker made its internal topics on the listener, compacted, as Connect requires.
    for (const topic of INTERNAL_TOPICS) expect((await kafka.log.describeTopic(topic)).config['cleanup.policy']).toBe('compact')
    expect((await kafka.log.describeTopic('connect-offsets')).partitions).toHaveLength(5)
    expect((await kafka.log.describeTopic('connect-status')).partitions).toHaveLength(3)

    await kafka.log.createTopic(TOPIC, { partitions: 1 })
    const source = await rest('PUT', '/connectors/file-source/config', {
      'connector.class': 'org.apache.kafka.connect.file.FileStreamSourceConnector',
      file: inputFile,
      topic: TOPIC,
      'tasks.max': '1',
    })
    const sink = await rest('PUT', '/connectors/file-sink/config', {
      'connector.class': 'org.apache.kafka.connect.file.FileStreamSinkConnector',
      file: outputFile,
      topics: TOPIC,
      'tasks.max': '1',
    })
    expect([source.status, sink.status]).toEqual([201, 201])
    const first = lines(0, 40)
    appendLines(first)
    await untilSinkHolds(worker, first)
    await untilJvm(
      worker,
      'both connectors RUNNING',
      runningStates,
      (states) => states.length === 4 && states.every((state) => state === 'RUNNING'),
      COPY_TIMEOUT_MS,
    )

    // Connect's offsets API: the source's from its offsets topic, the sink's from its consumer group (Admin listConsumerGroupOffsets).
    const bytesWritten = fs.statSync(inputFile).size
    await untilJvm(
      worker,
      'the source offset at the end of the file',
      () => connectorOffsets('file-source'),
      sameJson([{ partition: { filename: inputFile }, offset: { position: bytesWritten } }]),
      COPY_TIMEOUT_MS,
    )
    await untilJvm(
      worker,
      'the sink offset after the last line',
      () => connectorOffsets('file-sink'),
      sameJson([{ partition: { kafka_topic: TOPIC, kafka_partition: 0 }, offset: { kafka_offset: first.length } }]),
      COPY_TIMEOUT_MS,
    )

    const before = await workerGroup()
    expect(before).toMatchObject({ state: 'Stable', protocolType: 'connect', protocolName: 'sessioned' })
    expect(before.members).toHaveLength(1)

    expect(await worker.stop()).toBe(143) // the JVM's exit after SIGTERM once its shutdown hooks ran
    // It sent LeaveGroup on its way out (the listener may still be reading it as the JVM exits); well
    // within its 10 s session, so the member is gone because it left, not because it expired.
    await eventually(workerGroup, (group) => group.members.length === 0, 5_000)

    const second = lines(40, 70)
    appendLines(second)
    worker = await startWorker()
    await untilSinkHolds(worker, [...first, ...second])
    const after = await workerGroup()
    expect(after).toMatchObject({ state: 'Stable', protocolType: 'connect', protocolName: 'sessioned' })
    expect(after.members).toHaveLength(1)
    expect(after.members[0]!.memberId).not.toBe(before.members[0]!.memberId)
    // The connectors came back from the config topic, not from a request.
    expect((await rest('GET', '/connectors')).body.sort()).toEqual(['file-sink', 'file-source'])

    // KIP-875: a stopped sink's offsets are reset through the Admin client (its consumer group's
    // offsets deleted), so on resuming it reads the topic again from the start.
    expect((await rest('PUT', '/connectors/file-sink/stop')).status).toBe(204)
    await untilJvm(
      worker,
      'the sink STOPPED',
      () => rest('GET', '/connectors/file-sink/status').then((r) => r.body.connector.state),
      (state) => state === 'STOPPED',
      COPY_TIMEOUT_MS,
    )
    expect(await rest('DELETE', '/connectors/file-sink/offsets')).toEqual({
      status: 200,
      body: { message: 'The offsets for this connector have been reset successfully' },
    })
    expect(await connectorOffsets('file-sink')).toEqual([])
    expect((await rest('PUT', '/connectors/file-sink/resume')).status).toBe(202)
    const all = [...first, ...second]
    await untilSinkHolds(worker, [...all, ...all], all.length)
  }, 150_000)

  it("refuses, as Connect does, an offsets topic that is not compacted: it reads the topic's cleanup.policy from the listener", async () => {
    await kafka.log.createTopic('deleting-offsets', { partitions: 1, 'cleanup.policy': 'delete' })
    const refused = (await launchConnectWorker(workerOptions(await freePort(), 'deleting-cluster', 'deleting'))).jvm
    try {
      const complaint =
        "Topic 'deleting-offsets' supplied via the 'offset.storage.topic' property is required to have 'cleanup.policy=compact'"
      await untilJvm(
        refused,
        'Connect to refuse the offsets topic',
        () => refused.log().includes(complaint),
        (found) => found,
        START_TIMEOUT_MS,
      )
      expect(refused.log()).toContain("but found the topic currently has 'cleanup.policy=delete'")
    } finally {
      await refused.kill() // its way out waits on timeouts for half a minute; nothing of it is under test
    }
  }, 90_000)
})
