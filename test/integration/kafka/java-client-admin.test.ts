/**
 * Apache Kafka's Java Admin client (kafka-clients 4.3.1) against the listener: topics (create with
 * configs, describe and delete by name and by id, configs, offsets, more partitions), the cluster, and consumer
 * groups (list, describe, delete, and their committed offsets), with the exceptions a Kafka broker's
 * error codes make the client throw. The answers for a group with a live member match what a real
 * Kafka 4.3.1 broker gives the same calls.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { uuidToBytes } from '../../../core/kafka/protocol/uuid.ts'
import { startKafkaForJavaClient, type KafkaForJavaClient, JavaAdmin, startJavaMember } from '../../support/kafka-java-client.ts'

let kafka: KafkaForJavaClient
let bootstrap: string
let admin: JavaAdmin

beforeAll(async () => {
  kafka = await startKafkaForJavaClient()
  bootstrap = kafka.bootstrap
  admin = await JavaAdmin.open(bootstrap)
}, 300_000)

afterAll(async () => {
  await admin?.close()
  await kafka?.stop()
})

/** A topic id as Java's Uuid.toString() writes it: base64url of its 16 bytes, without padding. */
const javaUuid = (id: string): string => uuidToBytes(id).toString('base64url')

interface TopicAnswer {
  name: string
  topicId: string
  internal: boolean
  partitions: Array<{ partition: number; leader: number | null; replicas: number[]; isr: number[] }>
}

const onThisBroker = (count: number) => Array.from({ length: count }, (_, partition) => ({ partition, leader: 0, replicas: [0], isr: [0] }))

describe('the Java admin client: topics and the cluster', () => {
  it('creates a topic with configs and answers its id; refuses a bad config value, an unknown config and an existing name', async () => {
    const created = await admin.ok<{ topicId: string; partitions: number; replicationFactor: number }>(
      'createTopic',
      'admin-created',
      3,
      'retention.ms=12345',
      'cleanup.policy=compact',
    )
    const topic = await kafka.log.describeTopic('admin-created')
    expect(created).toEqual({ topicId: javaUuid(topic.id), partitions: 3, replicationFactor: 1 })
    expect(topic.partitions).toHaveLength(3)

    const configs = await admin.ok<Record<string, { value: string; source: string }>>('describeConfigs', 'topic', 'admin-created')
    expect(configs['retention.ms']).toMatchObject({ value: '12345', source: 'DYNAMIC_TOPIC_CONFIG' })
    expect(configs['cleanup.policy']).toMatchObject({ value: 'compact', source: 'DYNAMIC_TOPIC_CONFIG' })
    expect(configs['segment.bytes']).toMatchObject({ source: 'DEFAULT_CONFIG' })
    expect(await admin.call('describeConfigs', 'topic', 'admin-never-made')).toMatchObject({ error: 'UnknownTopicOrPartitionException' })

    // INVALID_CONFIG (40), as Kafka answers both; nothing is created.
    expect(await admin.call('createTopic', 'admin-bad', 2, 'retention.ms=notanumber')).toMatchObject({
      error: 'InvalidConfigurationException',
    })
    expect(await admin.call('createTopic', 'admin-bad', 2, 'no.such.config=1')).toMatchObject({ error: 'InvalidConfigurationException' })
    expect(kafka.log.hasTopic('admin-bad')).toBe(false)
    expect(await admin.call('createTopic', 'admin-created', 3)).toMatchObject({ error: 'TopicExistsException' })
  })

  it('describes topics by name and by id, and refuses an unknown name and an unknown id', async () => {
    const topic = await kafka.log.createTopic('admin-described', { partitions: 2 })
    const expected: TopicAnswer = { name: 'admin-described', topicId: javaUuid(topic.id), internal: false, partitions: onThisBroker(2) }
    expect(await admin.ok('describeTopics', 'admin-described')).toEqual([expected])
    expect(await admin.ok('describeTopicsById', javaUuid(topic.id))).toEqual([expected])
    expect(await admin.call('describeTopics', 'admin-missing')).toMatchObject({ error: 'UnknownTopicOrPartitionException' })
    expect(await admin.call('describeTopicsById', Buffer.alloc(16, 7).toString('base64url'))).toMatchObject({
      error: 'UnknownTopicIdException',
    })
  })

  it('deletes topics by name and by id, and answers an unknown name and an unknown id with their errors', async () => {
    await kafka.log.createTopic('admin-doomed', { partitions: 1 })
    const byId = await kafka.log.createTopic('admin-doomed-by-id', { partitions: 1 })
    expect(await admin.ok('deleteTopics', 'admin-doomed', 'admin-never')).toEqual({
      'admin-doomed': 'ok',
      'admin-never': { error: 'UnknownTopicOrPartitionException', message: 'topic admin-never does not exist' },
    })
    const unknown = Buffer.alloc(16, 5).toString('base64url')
    expect(await admin.ok('deleteTopicsById', javaUuid(byId.id), unknown)).toEqual({
      [javaUuid(byId.id)]: 'ok',
      [unknown]: expect.objectContaining({ error: 'UnknownTopicIdException' }),
    })
    expect([kafka.log.hasTopic('admin-doomed'), kafka.log.hasTopic('admin-doomed-by-id')]).toEqual([false, false])
  })

  it("describes the cluster as this one broker, with the listener's cluster id, and the broker's configs", async () => {
    expect(await admin.ok('describeCluster')).toEqual({
      clusterId: kafka.listener.broker.clusterId,
      controller: 0,
      nodes: [{ id: 0, host: '127.0.0.1', port: kafka.port }],
    })
    const broker = await admin.ok<Record<string, { value: string; source: string; readOnly: boolean }>>('describeConfigs', 'broker', '0')
    expect(broker['broker.id']).toEqual({ value: '0', source: 'STATIC_BROKER_CONFIG', readOnly: true, sensitive: false })
    expect(broker['auto.create.topics.enable']).toMatchObject({ value: 'true' })
  })

  it('lists the earliest, latest, max-timestamp and by-timestamp offsets of every partition', async () => {
    await kafka.log.createTopic('admin-offsets', { partitions: 2 })
    await kafka.log.append(
      'admin-offsets',
      [1_000, 5_000, 3_000].map((timestamp) => ({ key: null, value: Buffer.from('a'), timestamp, partition: 0 })),
    )
    await kafka.log.append('admin-offsets', [{ key: null, value: Buffer.from('b'), timestamp: 2_000, partition: 1 }])
    const offsets = (spec: string | number) =>
      admin.ok<Array<{ partition: number; offset: number; timestamp: number; leaderEpoch: number | null }>>(
        'listOffsets',
        'admin-offsets',
        spec,
      )
    expect(await offsets('earliest')).toEqual([
      { partition: 0, offset: 0, timestamp: -1, leaderEpoch: 0 },
      { partition: 1, offset: 0, timestamp: -1, leaderEpoch: 0 },
    ])
    expect(await offsets('latest')).toEqual([
      { partition: 0, offset: 3, timestamp: -1, leaderEpoch: 0 },
      { partition: 1, offset: 1, timestamp: -1, leaderEpoch: 0 },
    ])
    expect(await offsets('max')).toEqual([
      { partition: 0, offset: 1, timestamp: 5_000, leaderEpoch: 0 },
      { partition: 1, offset: 0, timestamp: 2_000, leaderEpoch: 0 },
    ])
    // The first record at or after the timestamp; none that recent is offset -1 with no leader epoch.
    expect(await offsets(2_500)).toEqual([
      { partition: 0, offset: 1, timestamp: 5_000, leaderEpoch: 0 },
      { partition: 1, offset: -1, timestamp: -1, leaderEpoch: null },
    ])
  })

  it('adds partitions, and refuses a count that is not an increase', async () => {
    await kafka.log.createTopic('admin-grown', { partitions: 2 })
    expect(await admin.ok('createPartitions', 'admin-grown', 5)).toBe(true)
    expect((await admin.ok<TopicAnswer[]>('describeTopics', 'admin-grown'))[0]!.partitions).toEqual(onThisBroker(5))
    expect(await admin.call('createPartitions', 'admin-grown', 2)).toMatchObject({ error: 'InvalidPartitionsException' })
  })
})

describe('the Java admin client: consumer groups', () => {
  it('lists, describes and guards a group with a live member, then manages its offsets and deletes it once empty', async () => {
    await kafka.log.createTopic('admin-grouped', { partitions: 3 })
    await kafka.log.append(
      'admin-grouped',
      [0, 0, 1, 2].map((partition) => ({ key: null, value: Buffer.from('x'), partition })),
    )
    const member = await startJavaMember(bootstrap, 'admin-busy', 'admin-grouped', 'classic')
    try {
      await member.until(
        () => member.owned().length === 3 && member.records().length === 4,
        'own all three partitions and read the four records',
      )
      const listed = await admin.ok<Array<{ groupId: string }>>('listGroups')
      expect(listed.filter((g) => g.groupId === 'admin-busy')).toEqual([
        { groupId: 'admin-busy', state: 'Stable', type: 'Classic', protocol: 'consumer' },
      ])
      const listedAsConsumerGroups = await admin.ok<Array<{ groupId: string }>>('listConsumerGroups')
      expect(listedAsConsumerGroups.filter((g) => g.groupId === 'admin-busy')).toEqual([
        { groupId: 'admin-busy', state: 'Stable', type: 'Classic', simple: false },
      ])
      const [described] = await admin.ok<Array<Record<string, unknown>>>('describeGroups', 'admin-busy')
      expect(described).toMatchObject({
        groupId: 'admin-busy',
        state: 'Stable',
        type: 'Classic',
        assignor: 'cooperative-sticky',
        coordinator: 0,
        simple: false,
        members: [{ clientId: 'java-member', host: '/127.0.0.1', partitions: ['admin-grouped-0', 'admin-grouped-1', 'admin-grouped-2'] }],
      })
      // What a Kafka 4.3.1 broker answers for a group with a live member subscribed to the topic.
      expect(await admin.ok('deleteGroups', 'admin-busy')).toEqual({
        'admin-busy': { error: 'GroupNotEmptyException', message: 'The group is not empty.' },
      })
      expect(await admin.ok('alterGroupOffsets', 'admin-busy', 'admin-grouped', '0=1')).toMatchObject({
        'admin-grouped-0': { error: 'UnknownMemberIdException' },
      })
      expect(await admin.ok('deleteGroupOffsets', 'admin-busy', 'admin-grouped', '0')).toMatchObject({
        'admin-grouped-0': { error: 'GroupSubscribedToTopicException' },
      })
    } finally {
      await member.stop()
    }

    const committed = (offset: number) => ({ offset, metadata: '', leaderEpoch: null })
    expect(await admin.ok('listGroupOffsets', 'admin-busy')).toEqual({
      'admin-grouped-0': committed(2),
      'admin-grouped-1': committed(1),
      'admin-grouped-2': committed(1),
    })
    expect(await admin.ok('alterGroupOffsets', 'admin-busy', 'admin-grouped', '0=1', '2=0')).toEqual({
      'admin-grouped-0': 'ok',
      'admin-grouped-2': 'ok',
    })
    expect(await admin.ok('listGroupOffsets', 'admin-busy')).toEqual({
      'admin-grouped-0': committed(1),
      'admin-grouped-1': committed(1),
      'admin-grouped-2': committed(0),
    })
    expect(await admin.ok('deleteGroupOffsets', 'admin-busy', 'admin-grouped', '1')).toEqual({ 'admin-grouped-1': 'ok' })
    expect(await admin.ok('listGroupOffsets', 'admin-busy')).toEqual({ 'admin-grouped-0': committed(1), 'admin-grouped-2': committed(0) })
    expect((await admin.ok<Array<{ groupId: string }>>('listGroups')).filter((g) => g.groupId === 'admin-busy')).toEqual([
      { groupId: 'admin-busy', state: 'Empty', type: 'Classic', protocol: 'consumer' },
    ])

    expect(await admin.ok('deleteGroups', 'admin-busy')).toEqual({ 'admin-busy': 'ok' })
    expect(await admin.ok('listGroupOffsets', 'admin-busy')).toEqual({})
    expect(await admin.call('describeGroups', 'admin-busy')).toEqual({
      error: 'GroupIdNotFoundException',
      message: 'Group admin-busy not found.',
    })
    expect(await admin.ok('deleteGroups', 'admin-busy')).toEqual({
      'admin-busy': { error: 'GroupIdNotFoundException', message: 'The group id does not exist.' },
    })
  }, 120_000)
})
