/**
 * The worker's internal topics (`_tributary-*`, `__consumer_offsets`, ...) and runtime groups
 * (`tributary-<connector>`, the worker group) are closed to Kafka clients: every API answers as Kafka
 * answers an unauthorized principal, and nothing is read, written, created or deleted. Without SASL
 * nobody gets in; with SASL only a super user does. Ordinary topics and groups are untouched.
 */
import { Kafka, logLevel, type SASLOptions } from 'kafkajs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ZERO_UUID, uuidToBytes } from '../../../core/kafka/protocol/uuid.ts'
import { KafkaError } from '../../../core/kafka/protocol/error-codes.ts'
import { encodeRecordBatch } from '../../../core/log/record-batch.ts'
import { startEmbeddedKafka, type EmbeddedKafka } from '../../support/embedded-kafka.ts'
import { kcatConsume, kcatProduce } from '../../support/kafka-clients.ts'
import { wireApis } from '../../support/kafka-wire-apis.ts'
import { KafkaWireClient } from '../../support/kafka-wire-client.ts'
import { SaslUsers } from '../../../core/kafka/server/sasl-users.ts'

const SECRET = '{"connector.class":"postgres-cdc","password":"PipelinePgPass"}'
const SINK_GROUP = 'tributary-archive'
const WORKER_GROUP = 'connect-prod'

/** A listener holding a connector config with a secret, an ordinary topic, and a sink group's offsets. */
async function startWithInternalState(options: Parameters<typeof startEmbeddedKafka>[0] = {}): Promise<EmbeddedKafka> {
  const kafka = await startEmbeddedKafka({ reservedGroups: [WORKER_GROUP], ...options })
  for (const name of ['_tributary-configs', '_tributary-status', 'orders']) await kafka.log.createTopic(name, { partitions: 1 })
  await kafka.log.append('_tributary-configs', [{ key: Buffer.from('connector-pg'), value: Buffer.from(SECRET), partition: 0 }])
  await kafka.log.append('orders', [{ key: Buffer.from('o-1'), value: Buffer.from('{}'), partition: 0 }])
  await kafka.log.alterGroupOffsets(SINK_GROUP, [{ topic: 'orders', partition: 0, offset: 1 }])
  return kafka
}

const records = (): Buffer =>
  encodeRecordBatch(
    [{ key: Buffer.from('connector-evil'), value: Buffer.from('{"connector.class":"file-sink","file":"~/.ssh/authorized_keys"}') }],
    0,
  )
/** The Kafka error a kafkajs error stands for, whether it is the protocol error or wraps it. */
const errorType = (error: unknown): unknown => (error as { type?: string })?.type ?? (error as { cause?: { type?: string } })?.cause?.type

const partition0 = { partitionIndex: 0, committedOffset: 0, committedLeaderEpoch: -1, commitTimestamp: -1, committedMetadata: null }

describe('without SASL', () => {
  let kafka: EmbeddedKafka
  let client: KafkaWireClient
  let bootstrap: string

  beforeAll(async () => {
    kafka = await startWithInternalState()
    client = await KafkaWireClient.connect(kafka.port)
    bootstrap = `127.0.0.1:${kafka.port}`
  })
  afterAll(async () => {
    client?.close()
    await kafka?.stop()
  })

  it('kcat can neither read the connector configs nor plant one; ordinary topics still work', async () => {
    await expect(kcatConsume(bootstrap, '_tributary-configs', 1, ['-e'])).rejects.toThrow(/Topic authorization failed/)
    await expect(kcatProduce(bootstrap, '_tributary-configs', [{ key: 'connector-evil', value: '{}' }])).rejects.toThrow(
      /Topic authorization failed/,
    )
    expect(await kafka.log.listOffset('_tributary-configs', 0, 'latest')).toBe(1)
    await kcatProduce(bootstrap, 'orders', [{ key: 'o-2', value: '{}' }])
    expect((await kcatConsume(bootstrap, 'orders', 2)).map((r) => r.key)).toEqual(['o-1', 'o-2'])
  })

  it('answers Produce, Fetch (by name and by id) and ListOffsets with TOPIC_AUTHORIZATION_FAILED', async () => {
    const produced = await client.request(wireApis.produce, 9, {
      transactionalId: null,
      acks: -1,
      timeoutMs: 5000,
      topics: [{ name: '_tributary-configs', partitions: [{ index: 0, records: records() }] }],
    })
    expect(produced.topics[0]!.partitions[0]!.errorCode).toBe(KafkaError.TOPIC_AUTHORIZATION_FAILED)
    expect(await kafka.log.listOffset('_tributary-configs', 0, 'latest')).toBe(1)

    const id = uuidToBytes((await kafka.log.describeTopic('_tributary-configs')).id)
    const fetchPartition = { partition: 0, currentLeaderEpoch: -1, fetchOffset: 0, partitionMaxBytes: 1 << 20 }
    const fetch = (v: number, topic: string, topicId: Buffer) =>
      client.request(wireApis.fetch, v, {
        replicaId: -1,
        maxWaitMs: 0,
        minBytes: 0,
        maxBytes: 1 << 20,
        isolationLevel: 0,
        sessionId: 0,
        sessionEpoch: -1,
        rackId: '',
        topics: [{ topic, topicId, partitions: [fetchPartition] }],
      })
    for (const response of [await fetch(11, '_tributary-configs', ZERO_UUID), await fetch(13, '', id)]) {
      expect(response.topics[0]!.partitions[0]).toMatchObject({ errorCode: KafkaError.TOPIC_AUTHORIZATION_FAILED, records: [] })
    }
    expect((await fetch(11, 'orders', ZERO_UUID)).topics[0]!.partitions[0]!.errorCode).toBe(KafkaError.NONE)

    const offsets = await client.request(wireApis.listOffsets, 7, {
      replicaId: -1,
      isolationLevel: 0,
      topics: [{ name: '_tributary-configs', partitions: [{ partitionIndex: 0, currentLeaderEpoch: -1, timestamp: -1 }] }],
    })
    expect(offsets.topics[0]!.partitions[0]).toMatchObject({ errorCode: KafkaError.TOPIC_AUTHORIZATION_FAILED, offset: -1 })
  })

  it('leaves internal topics out of Metadata for all topics, refuses them by name, and never auto-creates one', async () => {
    const all = await client.request(wireApis.metadata, 12, {
      topics: null,
      allowAutoTopicCreation: false,
      includeTopicAuthorizedOperations: false,
    })
    expect(all.topics.map((t) => t.name).sort()).toEqual(['orders'])
    const named = await client.request(wireApis.metadata, 9, {
      topics: ['_tributary-configs', '__consumer_offsets', '_tributary-made-up', 'orders'].map((name) => ({ topicId: ZERO_UUID, name })),
      allowAutoTopicCreation: true,
      includeTopicAuthorizedOperations: false,
    })
    expect(named.topics.map((t) => [t.name, t.errorCode])).toEqual([
      ['_tributary-configs', KafkaError.TOPIC_AUTHORIZATION_FAILED],
      ['__consumer_offsets', KafkaError.TOPIC_AUTHORIZATION_FAILED],
      ['_tributary-made-up', KafkaError.TOPIC_AUTHORIZATION_FAILED],
      ['orders', KafkaError.NONE],
    ])
    expect(kafka.log.hasTopic('_tributary-made-up')).toBe(false)
  })

  it('refuses to create, delete, grow or describe the configs of internal topics', async () => {
    const created = await client.request(wireApis.createTopics, 5, {
      topics: ['_tributary-x', '_schemas', '__transaction_state'].map((name) => ({
        name,
        numPartitions: 1,
        replicationFactor: 1,
        assignments: [],
        configs: [],
      })),
      timeoutMs: 1000,
      validateOnly: false,
    })
    expect(created.topics.map((t) => t.errorCode)).toEqual([
      KafkaError.TOPIC_AUTHORIZATION_FAILED,
      KafkaError.TOPIC_AUTHORIZATION_FAILED,
      KafkaError.TOPIC_AUTHORIZATION_FAILED,
    ])
    expect(kafka.log.hasTopic('_tributary-x')).toBe(false)

    const deleted = await client.request(wireApis.deleteTopics, 4, {
      topics: [],
      topicNames: ['_tributary-configs', '_tributary-status', '__consumer_offsets'],
      timeoutMs: 1000,
    })
    expect(deleted.responses.map((r) => r.errorCode)).toEqual([
      KafkaError.TOPIC_AUTHORIZATION_FAILED,
      KafkaError.TOPIC_AUTHORIZATION_FAILED,
      KafkaError.TOPIC_AUTHORIZATION_FAILED,
    ])
    expect(kafka.log.hasTopic('_tributary-configs') && kafka.log.hasTopic('_tributary-status')).toBe(true)

    const grown = await client.request(wireApis.createPartitions, 2, {
      topics: [{ name: '_tributary-status', count: 5, assignments: null }],
      timeoutMs: 1000,
      validateOnly: false,
    })
    expect(grown.results[0]!.errorCode).toBe(KafkaError.TOPIC_AUTHORIZATION_FAILED)
    expect((await kafka.log.describeTopic('_tributary-status')).partitions).toHaveLength(1)

    const described = await client.request(wireApis.describeConfigs, 4, {
      resources: [
        { resourceType: 2, resourceName: '_tributary-configs', configurationKeys: null },
        { resourceType: 2, resourceName: 'orders', configurationKeys: ['retention.ms'] },
      ],
      includeSynonyms: false,
      includeDocumentation: false,
    })
    expect(described.results.map((r) => [r.errorCode, r.configs.length])).toEqual([
      [KafkaError.TOPIC_AUTHORIZATION_FAILED, 0],
      [KafkaError.NONE, 1],
    ])
  })

  it('refuses commits to internal topics per partition and hides their committed offsets', async () => {
    const committed = await client.request(wireApis.offsetCommit, 8, {
      groupId: 'mine',
      generationId: -1,
      memberId: '',
      groupInstanceId: null,
      retentionTimeMs: -1,
      topics: [
        { name: '_tributary-configs', partitions: [partition0] },
        { name: 'orders', partitions: [{ ...partition0, committedOffset: 1 }] },
      ],
    })
    expect(committed.topics.map((t) => t.partitions[0]!.errorCode)).toEqual([KafkaError.TOPIC_AUTHORIZATION_FAILED, KafkaError.NONE])
    expect(await kafka.log.describeGroup('mine')).toMatchObject({ offsets: [expect.objectContaining({ topic: 'orders', offset: 1 })] })
    await kafka.log.alterGroupOffsets('mine', [{ topic: '_tributary-status', partition: 0, offset: 0 }])
    const fetched = await client.request(wireApis.offsetFetch, 7, { groupId: 'mine', topics: null, groups: [], requireStable: false })
    expect(fetched.topics.map((t) => t.name)).toEqual(['orders'])
  })

  it('answers every API on a runtime group with GROUP_AUTHORIZATION_FAILED and changes nothing', async () => {
    for (const groupId of [SINK_GROUP, WORKER_GROUP]) {
      const coordinator = await client.request(wireApis.findCoordinator, 4, { key: '', keyType: 0, coordinatorKeys: [groupId] })
      expect(coordinator.coordinators[0]!.errorCode).toBe(KafkaError.GROUP_AUTHORIZATION_FAILED)
      const joined = await client.request(wireApis.joinGroup, 9, {
        groupId,
        sessionTimeoutMs: 30_000,
        rebalanceTimeoutMs: 60_000,
        memberId: '',
        groupInstanceId: null,
        protocolType: groupId === WORKER_GROUP ? 'connect' : 'consumer',
        protocols: [{ name: 'range', metadata: Buffer.alloc(0) }],
        reason: null,
      })
      expect(joined.errorCode).toBe(KafkaError.GROUP_AUTHORIZATION_FAILED)
      expect(
        (
          await client.request(wireApis.syncGroup, 5, {
            groupId,
            generationId: 1,
            memberId: 'm',
            groupInstanceId: null,
            protocolType: null,
            protocolName: null,
            assignments: [],
          })
        ).errorCode,
      ).toBe(KafkaError.GROUP_AUTHORIZATION_FAILED)
      expect(
        (await client.request(wireApis.heartbeat, 4, { groupId, generationId: 1, memberId: 'm', groupInstanceId: null })).errorCode,
      ).toBe(KafkaError.GROUP_AUTHORIZATION_FAILED)
      expect(
        (
          await client.request(wireApis.leaveGroup, 5, {
            groupId,
            memberId: '',
            members: [{ memberId: 'm', groupInstanceId: null, reason: null }],
          })
        ).errorCode,
      ).toBe(KafkaError.GROUP_AUTHORIZATION_FAILED)
      const commit = await client.request(wireApis.offsetCommit, 8, {
        groupId,
        generationId: -1,
        memberId: '',
        groupInstanceId: null,
        retentionTimeMs: -1,
        topics: [{ name: 'orders', partitions: [{ ...partition0, committedOffset: 1000 }] }],
      })
      expect(commit.topics[0]!.partitions[0]!.errorCode).toBe(KafkaError.GROUP_AUTHORIZATION_FAILED)
      const fetched = await client.request(wireApis.offsetFetch, 8, {
        groupId: '',
        topics: null,
        groups: [{ groupId, topics: null }],
        requireStable: false,
      })
      expect(fetched.groups[0]).toMatchObject({ errorCode: KafkaError.GROUP_AUTHORIZATION_FAILED, topics: [] })
      expect(
        (await client.request(wireApis.describeGroups, 5, { groups: [groupId], includeAuthorizedOperations: false })).groups[0]!.errorCode,
      ).toBe(KafkaError.GROUP_AUTHORIZATION_FAILED)
      expect((await client.request(wireApis.deleteGroups, 2, { groupsNames: [groupId] })).results[0]!.errorCode).toBe(
        KafkaError.GROUP_AUTHORIZATION_FAILED,
      )
    }
    expect(await kafka.log.describeGroup(SINK_GROUP)).toMatchObject({ offsets: [expect.objectContaining({ topic: 'orders', offset: 1 })] })
    await kafka.log.alterGroupOffsets('visible', [{ topic: 'orders', partition: 0, offset: 1 }])
    const listed = await client.request(wireApis.listGroups, 4, { statesFilter: [], typesFilter: [] })
    expect(listed.groups.map((g) => g.groupId)).toContain('visible')
    expect(listed.groups.map((g) => g.groupId)).not.toContain(SINK_GROUP)
  })

  it("a kafkajs consumer cannot join a sink connector's group, and its admin cannot delete internal topics", async () => {
    const client = new Kafka({ clientId: 'intruder', brokers: [bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 0 } })
    const consumer = client.consumer({ groupId: SINK_GROUP, retry: { retries: 0, restartOnFailure: async () => false } })
    const crashed = new Promise<unknown>((resolve) => {
      consumer.on(consumer.events.CRASH, ({ payload }) => resolve(payload.error))
      consumer.on(consumer.events.GROUP_JOIN, () => resolve('joined the group'))
    })
    await consumer.connect()
    try {
      await consumer.subscribe({ topics: ['orders'], fromBeginning: true })
      await consumer.run({ eachMessage: async () => undefined })
      // kafkajs reports the refused FindCoordinator as it does against Kafka: no coordinator for the group.
      expect(await crashed).toMatchObject({ name: 'KafkaJSGroupCoordinatorNotFound' })
      expect(await kafka.log.describeGroup(SINK_GROUP)).toMatchObject({
        memberships: [],
        offsets: [expect.objectContaining({ offset: 1 })],
      })
    } finally {
      await consumer.disconnect()
    }
    const admin = client.admin()
    await admin.connect()
    try {
      await expect(admin.deleteTopics({ topics: ['_tributary-status'], timeout: 1000 })).rejects.toThrow()
      expect(kafka.log.hasTopic('_tributary-status')).toBe(true)
    } finally {
      await admin.disconnect()
    }
  })
})

describe('with SASL', () => {
  let kafka: EmbeddedKafka
  const bootstrap = (): string[] => [`127.0.0.1:${kafka.port}`]
  const sasl = (username: string, password: string): SASLOptions => ({ mechanism: 'plain', username, password })

  beforeAll(async () => {
    // User:ANONYMOUS listed as a super user must not open the doors to connections that never authenticated.
    kafka = await startWithInternalState({
      sasl: { users: SaslUsers.fromPasswords({ worker: 'w-pass', alice: 'a-pass' }) },
      superUsers: ['User:worker', 'User:ANONYMOUS'],
    })
  })
  afterAll(async () => {
    await kafka?.stop()
  })

  async function readConfigs(username: string, password: string): Promise<string[]> {
    const admin = new Kafka({
      clientId: username,
      brokers: bootstrap(),
      sasl: sasl(username, password),
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
    }).admin()
    await admin.connect()
    try {
      const offsets = await admin.fetchTopicOffsets('_tributary-configs')
      return offsets.map((o) => o.high)
    } finally {
      await admin.disconnect()
    }
  }

  it('an ordinary user is refused the internal topics and the runtime groups, and works with its own', async () => {
    expect(errorType(await readConfigs('alice', 'a-pass').catch((error: unknown) => error))).toBe('TOPIC_AUTHORIZATION_FAILED')
    const producer = new Kafka({
      clientId: 'alice',
      brokers: bootstrap(),
      sasl: sasl('alice', 'a-pass'),
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
    }).producer()
    await producer.connect()
    try {
      const refused = await producer
        .send({ topic: '_tributary-configs', messages: [{ key: 'connector-evil', value: '{}' }] })
        .catch((error: unknown) => error)
      expect(errorType(refused)).toBe('TOPIC_AUTHORIZATION_FAILED')
      await producer.send({ topic: 'orders', messages: [{ key: 'o-3', value: '{}' }] })
    } finally {
      await producer.disconnect()
    }
    expect(await kafka.log.listOffset('_tributary-configs', 0, 'latest')).toBe(1)
  })

  it('a super user reaches them, as a worker keeping its topics here must', async () => {
    expect(await readConfigs('worker', 'w-pass')).toEqual(['1'])
    const client = await KafkaWireClient.connect(kafka.port)
    try {
      await client.request(wireApis.saslHandshake, 1, { mechanism: 'PLAIN' })
      await client.request(wireApis.saslAuthenticate, 2, { authBytes: Buffer.from('\u0000worker\u0000w-pass') })
      const coordinator = await client.request(wireApis.findCoordinator, 4, { key: '', keyType: 0, coordinatorKeys: [SINK_GROUP] })
      expect(coordinator.coordinators[0]!.errorCode).toBe(KafkaError.NONE)
      // Even a super user may not delete the group coordinator's offsets topic: Kafka's answer when deletion is disabled.
      expect(
        (await client.request(wireApis.deleteTopics, 1, { topics: [], topicNames: ['__consumer_offsets'], timeoutMs: 1000 })).responses[0]!
          .errorCode,
      ).toBe(KafkaError.INVALID_REQUEST)
      expect(
        (await client.request(wireApis.deleteTopics, 3, { topics: [], topicNames: ['__consumer_offsets'], timeoutMs: 1000 })).responses[0]!
          .errorCode,
      ).toBe(KafkaError.TOPIC_DELETION_DISABLED)
    } finally {
      client.close()
    }
  })
})
