/**
 * Two Apache Kafka Connect 4.3.1 distributed workers, unchanged, in one group on Tributary's
 * listener: the "connect" protocol's leader spreads connectors and tasks over both members (and a
 * request to the follower's REST API is forwarded to the leader). When the leader dies (SIGKILL, no
 * LeaveGroup) the listener expires its session and the survivor leads and takes over all the work,
 * resuming the source and the sinks from the offsets they committed, so no line is lost or repeated.
 */
import fs from 'node:fs'
import path from 'node:path'
import { isDeepStrictEqual } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmbeddedKafka, type EmbeddedKafka } from '../../support/embedded-kafka.ts'
import { freePort } from '../../support/free-port.ts'
import { connectRest, startConnectWorker, untilJvm, type ConnectWorker, type Jvm } from '../../support/kafka-connect-streams.ts'
import { makeTempDir } from '../../support/temp-dir.ts'

const GROUP = 'two-workers'
const TOPIC = 'shared-lines'
const SINKS = ['sink-a', 'sink-b']
const WAIT_MS = 45_000

let kafka: EmbeddedKafka
let dir: Awaited<ReturnType<typeof makeTempDir>>
const workers: ConnectWorker[] = []

beforeAll(async () => {
  kafka = await startEmbeddedKafka()
  dir = await makeTempDir('tributary-connect-failover-')
})

afterAll(async () => {
  await Promise.all(workers.map((worker) => worker.jvm.kill()))
  await kafka?.stop()
  await dir?.remove()
})

const inputFile = () => path.join(dir.path, 'input.txt')
const sinkFile = (name: string) => path.join(dir.path, `${name}.txt`)
const lines = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `line ${from + i}`)
const appendLines = (text: readonly string[]) => fs.appendFileSync(inputFile(), text.map((line) => `${line}\n`).join(''))
const readLines = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').slice(0, -1) : [])

/** Which worker runs each connector and task, once all of them are RUNNING; [] until then. */
async function placements(url: string): Promise<string[]> {
  const response = await connectRest(url, 'GET', '/connectors?expand=status').catch(() => ({ status: 0, body: null }))
  if (response.status !== 200) return []
  const statuses = Object.values(
    response.body as Record<
      string,
      { status: { connector: { state: string; worker_id: string }; tasks: Array<{ state: string; worker_id: string }> } }
    >,
  ).map((entry) => entry.status)
  const units = statuses.flatMap((status) => [status.connector, ...status.tasks])
  return units.length === 2 * (SINKS.length + 1) && units.every((unit) => unit.state === 'RUNNING')
    ? units.map((unit) => unit.worker_id)
    : []
}

/** Every sink file holds exactly `expected`, each line once, in order. */
async function untilSinksHold(jvm: Jvm, expected: readonly string[]): Promise<void> {
  for (const sink of SINKS) {
    await untilJvm(
      jvm,
      `${expected.length} lines in ${sink}`,
      () => readLines(sinkFile(sink)),
      (seen) => seen.length >= expected.length,
      WAIT_MS,
    )
    expect(readLines(sinkFile(sink))).toEqual(expected)
  }
  expect(await kafka.log.listOffset(TOPIC, 0, 'latest')).toBe(expected.length)
}

describe('two Kafka Connect 4.3.1 workers in one group on the listener', () => {
  it('share the connectors, and when the leader is killed the survivor leads and takes everything over from the committed offsets', async () => {
    const ports = [await freePort(), await freePort()]
    // The leader waits this long for a departed worker to come back before it reassigns its work (5
    // minutes by default); a dead sink task's consumer holds up its group's rebalance until its session
    // runs out (45 s by default): Kafka's smallest allowed session keeps that short.
    const extra = { 'scheduled.rebalance.max.delay.ms': 1000, 'consumer.session.timeout.ms': 6000, 'consumer.heartbeat.interval.ms': 1000 }
    // One after the other, so that the first, which will be killed, leads the group.
    for (const restPort of ports)
      workers.push(
        await startConnectWorker({
          bootstrap: `127.0.0.1:${kafka.port}`,
          groupId: GROUP,
          topicPrefix: GROUP,
          restPort,
          dir: dir.path,
          extra,
        }),
      )
    const [doomed, survivor] = workers as [ConnectWorker, ConnectWorker]
    const ids = ports.map((port) => `127.0.0.1:${port}`)
    const coordinator = await kafka.listener.broker.groups()
    const clientIdOf = (memberId: string | null) =>
      coordinator.describeGroup(GROUP).members.find((member) => member.memberId === memberId)?.clientId

    fs.writeFileSync(inputFile(), '')
    await kafka.log.createTopic(TOPIC, { partitions: 1 })
    // Every request goes to the follower, which forwards it to the leader.
    const created = [
      await connectRest(survivor.url, 'PUT', '/connectors/source/config', {
        'connector.class': 'org.apache.kafka.connect.file.FileStreamSourceConnector',
        file: inputFile(),
        topic: TOPIC,
        'tasks.max': '1',
      }),
      ...(await Promise.all(
        SINKS.map((sink) =>
          connectRest(survivor.url, 'PUT', `/connectors/${sink}/config`, {
            'connector.class': 'org.apache.kafka.connect.file.FileStreamSinkConnector',
            file: sinkFile(sink),
            topics: TOPIC,
            'tasks.max': '1',
          }),
        ),
      )),
    ]
    expect(created.map((response) => response.status)).toEqual([201, 201, 201])
    expect(clientIdOf(coordinator.describeGroup(GROUP).leaderId)).toBe(`connect-${ids[0]}`)
    const spread = await untilJvm(
      survivor.jvm,
      'all connectors and tasks RUNNING',
      () => placements(survivor.url),
      (where) => where.length > 0,
      WAIT_MS,
    )
    expect(new Set(spread)).toEqual(new Set(ids)) // both workers run something

    const first = lines(0, 30)
    appendLines(first)
    await untilSinksHold(survivor.jvm, first)
    // Everything read is committed before the crash, so the take-over has nothing to read again.
    const committed = (offsets: unknown) =>
      isDeepStrictEqual(offsets, [{ partition: { filename: inputFile() }, offset: { position: fs.statSync(inputFile()).size } }])
    await untilJvm(
      survivor.jvm,
      'the source offset committed',
      () => connectRest(survivor.url, 'GET', '/connectors/source/offsets').then((r) => r.body.offsets),
      committed,
      WAIT_MS,
    )
    await untilJvm(
      survivor.jvm,
      "the sinks' offsets committed",
      async () =>
        (await kafka.log.describeGroup(`connect-${SINKS[0]}`)).offsets.concat(
          (await kafka.log.describeGroup(`connect-${SINKS[1]}`)).offsets,
        ),
      (offsets) => offsets.length === 2 && offsets.every((o) => o.lag === 0),
      WAIT_MS,
    )

    expect(clientIdOf(coordinator.describeGroup(GROUP).leaderId)).toBe(`connect-${ids[0]}`)
    await doomed.jvm.kill()
    // The listener drops the dead member when its session (Connect's 10 s) runs out; then the survivor runs everything.
    const taken = await untilJvm(
      survivor.jvm,
      'the survivor running everything',
      () => placements(survivor.url),
      (where) => where.length > 0 && where.every((id) => id === ids[1]),
      WAIT_MS,
    )
    expect(taken).toHaveLength(6)
    expect(coordinator.describeGroup(GROUP)).toMatchObject({ state: 'Stable', protocolType: 'connect', protocolName: 'sessioned' })
    expect(coordinator.describeGroup(GROUP).members.map((member) => member.clientId)).toEqual([`connect-${ids[1]}`])
    expect(clientIdOf(coordinator.describeGroup(GROUP).leaderId)).toBe(`connect-${ids[1]}`) // the survivor leads now

    const second = lines(30, 50)
    appendLines(second)
    await untilSinksHold(survivor.jvm, [...first, ...second])
  }, 120_000)
})
