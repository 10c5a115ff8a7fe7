/**
 * The admin APIs over a bare socket, each at a non-flexible and a flexible version, against an
 * embedded log. Errors are per topic or resource, and the connection keeps serving after them.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ConfigSource } from '../../../core/kafka/protocol/apis/describe-configs.ts'
import type { CreatableTopic } from '../../../core/kafka/protocol/apis/create-topics.ts'
import { KafkaError } from '../../../core/kafka/protocol/error-codes.ts'
import { uuidToBytes, ZERO_UUID } from '../../../core/kafka/protocol/uuid.ts'
import { encodeSubscription } from '../../../core/log/groups/consumer-protocol.ts'
import { startEmbeddedKafka, type EmbeddedKafka } from '../../support/embedded-kafka.ts'
import { wireApis } from '../../support/kafka-wire-apis.ts'
import { KafkaWireClient } from '../../support/kafka-wire-client.ts'

let kafka: EmbeddedKafka
let client: KafkaWireClient

beforeEach(async () => {
  kafka = await startEmbeddedKafka({ defaultPartitions: 2 })
  client = await KafkaWireClient.connect(kafka.port)
})
afterEach(async () => {
  client.close()
  await kafka.stop()
})

const topic = (name: string, extra: Partial<CreatableTopic> = {}): CreatableTopic => ({
  name,
  numPartitions: -1,
  replicationFactor: -1,
  assignments: [],
  configs: [],
  ...extra,
})

describe('CreateTopics', () => {
  it('v5 creates topics with their configs and describes them back, defaults filled in', async () => {
    const response = await client.request(wireApis.createTopics, 5, {
      topics: [
        topic('orders', {
          numPartitions: 3,
          replicationFactor: 1,
          configs: [
            { name: 'cleanup.policy', value: 'compact' },
            { name: 'retention.ms', value: '3600000' },
          ],
        }),
        topic('defaulted'),
      ],
      timeoutMs: 10_000,
      validateOnly: false,
    })
    const [orders, defaulted] = response.topics
    expect(orders).toMatchObject({ name: 'orders', errorCode: 0, errorMessage: null, numPartitions: 3, replicationFactor: 1 })
    expect(orders!.configs).toContainEqual({
      name: 'cleanup.policy',
      value: 'compact',
      readOnly: false,
      configSource: ConfigSource.TOPIC_CONFIG,
      isSensitive: false,
    })
    expect(orders!.configs).toContainEqual({
      name: 'retention.bytes',
      value: '-1',
      readOnly: false,
      configSource: ConfigSource.DEFAULT_CONFIG,
      isSensitive: false,
    })
    expect(orders!.configs!.map((c) => c.name)).toContain('durability')
    expect(defaulted).toMatchObject({ errorCode: 0, numPartitions: 2, replicationFactor: 1 })
    const stored = await kafka.log.describeTopic('orders')
    expect(stored.partitions).toHaveLength(3)
    expect(stored.config).toMatchObject({ 'cleanup.policy': 'compact', 'retention.ms': 3_600_000 })
    expect((await kafka.log.describeTopic('defaulted')).partitions).toHaveLength(2)
  })

  it('v4 answers every refused topic with its own code and message, and the connection carries on', async () => {
    await kafka.log.createTopic('taken')
    const response = await client.request(wireApis.createTopics, 4, {
      topics: [
        topic('taken'),
        topic('replicated', { replicationFactor: 3 }),
        topic('zero-replicas', { replicationFactor: 0 }),
        topic('no-partitions', { numPartitions: 0 }),
        topic('compressed', { configs: [{ name: 'compression.type', value: 'brotli' }] }),
        topic('soon', { configs: [{ name: 'retention.ms', value: 'soon' }] }),
        topic('null-config', { configs: [{ name: 'retention.ms', value: null }] }),
        topic('bad/name'),
        topic('spread', { assignments: [{ partitionIndex: 0, brokerIds: [0, 1] }] }),
        topic('gap', { assignments: [{ partitionIndex: 1, brokerIds: [0] }] }),
        topic('both', { numPartitions: 1, assignments: [{ partitionIndex: 0, brokerIds: [0] }] }),
        topic('twice'),
        topic('twice'),
        topic('placed', {
          assignments: [
            { partitionIndex: 0, brokerIds: [0] },
            { partitionIndex: 1, brokerIds: [0] },
          ],
        }),
      ],
      timeoutMs: 10_000,
      validateOnly: false,
    })
    const byName = new Map(response.topics.map((t) => [t.name, t]))
    const codes = Object.fromEntries(response.topics.map((t) => [t.name, t.errorCode]))
    expect(codes).toEqual({
      taken: KafkaError.TOPIC_ALREADY_EXISTS,
      replicated: KafkaError.INVALID_REPLICATION_FACTOR,
      'zero-replicas': KafkaError.INVALID_REPLICATION_FACTOR,
      'no-partitions': KafkaError.INVALID_PARTITIONS,
      compressed: KafkaError.INVALID_CONFIG,
      soon: KafkaError.INVALID_CONFIG,
      'null-config': KafkaError.INVALID_CONFIG,
      'bad/name': KafkaError.INVALID_TOPIC_EXCEPTION,
      spread: KafkaError.INVALID_REPLICA_ASSIGNMENT,
      gap: KafkaError.INVALID_REPLICA_ASSIGNMENT,
      both: KafkaError.INVALID_REQUEST,
      twice: KafkaError.INVALID_REQUEST,
      placed: KafkaError.NONE,
    })
    expect(response.topics).toHaveLength(13)
    expect(byName.get('compressed')!.errorMessage).toContain('compression.type')
    expect(byName.get('soon')!.errorMessage).toContain('retention.ms')
    expect(byName.get('replicated')!.errorMessage).toContain('one broker')
    expect((await kafka.log.describeTopic('placed')).partitions).toHaveLength(2)
    expect(kafka.log.hasTopic('replicated') || kafka.log.hasTopic('compressed') || kafka.log.hasTopic('twice')).toBe(false)
    // Same connection, next request.
    const again = await client.request(wireApis.createTopics, 4, { topics: [topic('later')], timeoutMs: 1000, validateOnly: false })
    expect(again.topics[0]!.errorCode).toBe(KafkaError.NONE)
  })

  it('v5 takes the configs Kafka Streams gives its repartition and changelog topics, and refuses LogAppendTime', async () => {
    const response = await client.request(wireApis.createTopics, 5, {
      topics: [
        topic('app-store-repartition', {
          configs: [
            { name: 'cleanup.policy', value: 'delete' },
            { name: 'segment.bytes', value: '52428800' },
            { name: 'retention.ms', value: '-1' },
            { name: 'message.timestamp.type', value: 'CreateTime' },
          ],
        }),
        topic('app-store-changelog', {
          configs: [
            { name: 'cleanup.policy', value: 'compact' },
            { name: 'message.timestamp.type', value: 'CreateTime' },
          ],
        }),
        topic('stamped', { configs: [{ name: 'message.timestamp.type', value: 'LogAppendTime' }] }),
      ],
      timeoutMs: 10_000,
      validateOnly: false,
    })
    const [repartition, changelog, stamped] = response.topics
    expect([repartition!.errorCode, changelog!.errorCode, stamped!.errorCode]).toEqual([
      KafkaError.NONE,
      KafkaError.NONE,
      KafkaError.INVALID_CONFIG,
    ])
    expect(stamped!.errorMessage).toContain('message.timestamp.type')
    expect(changelog!.configs).toContainEqual({
      name: 'message.timestamp.type',
      value: 'CreateTime',
      readOnly: false,
      configSource: ConfigSource.TOPIC_CONFIG,
      isSensitive: false,
    })
    expect((await kafka.log.describeTopic('app-store-repartition')).config).toMatchObject({
      'retention.ms': -1,
      'segment.bytes': 52_428_800,
      'message.timestamp.type': 'CreateTime',
    })
    expect(kafka.log.hasTopic('stamped')).toBe(false)
  })

  it('v1 validate_only checks without creating; v0 has no error messages', async () => {
    await kafka.log.createTopic('taken')
    const checked = await client.request(wireApis.createTopics, 1, {
      topics: [topic('maybe', { numPartitions: 4 }), topic('taken')],
      timeoutMs: 1000,
      validateOnly: true,
    })
    expect(checked.topics.map((t) => [t.name, t.errorCode])).toEqual([
      ['maybe', 0],
      ['taken', KafkaError.TOPIC_ALREADY_EXISTS],
    ])
    expect(kafka.log.hasTopic('maybe')).toBe(false)
    const v0 = await client.request(wireApis.createTopics, 0, { topics: [topic('taken')], timeoutMs: 1000, validateOnly: false })
    expect(v0.topics[0]).toMatchObject({ errorCode: KafkaError.TOPIC_ALREADY_EXISTS, errorMessage: null })
  })
})

describe('DeleteTopics', () => {
  it('v4 deletes what exists and answers UNKNOWN_TOPIC_OR_PARTITION for the rest', async () => {
    await kafka.log.createTopic('doomed', { partitions: 2 })
    const response = await client.request(wireApis.deleteTopics, 4, {
      topics: [],
      topicNames: ['doomed', 'never-was', 'doomed'],
      timeoutMs: 1000,
    })
    expect(response.responses.map(({ name, errorCode }) => ({ name, errorCode }))).toEqual([
      { name: 'doomed', errorCode: 0 },
      { name: 'never-was', errorCode: KafkaError.UNKNOWN_TOPIC_OR_PARTITION },
    ])
    expect(kafka.log.hasTopic('doomed')).toBe(false)
  })

  it('v6 deletes by id or by name and answers with both; an unknown id is UNKNOWN_TOPIC_ID, a topic named both ways INVALID_REQUEST', async () => {
    const byId = await kafka.log.createTopic('doomed-by-id', { partitions: 1 })
    const byName = await kafka.log.createTopic('doomed-by-name', { partitions: 1 })
    const unknown = Buffer.alloc(16, 3)
    const response = await client.request(wireApis.deleteTopics, 6, {
      topicNames: [],
      timeoutMs: 1000,
      topics: [
        { name: null, topicId: uuidToBytes(byId.id) },
        { name: 'doomed-by-name', topicId: ZERO_UUID },
        { name: null, topicId: unknown },
        { name: 'both', topicId: unknown },
      ],
    })
    expect(response.responses.map(({ name, topicId, errorCode }) => ({ name, topicId, errorCode }))).toEqual([
      { name: 'doomed-by-id', topicId: uuidToBytes(byId.id), errorCode: 0 },
      { name: 'doomed-by-name', topicId: uuidToBytes(byName.id), errorCode: 0 },
      { name: null, topicId: unknown, errorCode: KafkaError.UNKNOWN_TOPIC_ID },
      { name: 'both', topicId: unknown, errorCode: KafkaError.INVALID_REQUEST },
    ])
    expect(response.responses.map((r) => r.errorMessage === null)).toEqual([true, true, false, false])
    expect([kafka.log.hasTopic('doomed-by-id'), kafka.log.hasTopic('doomed-by-name')]).toEqual([false, false])
  })

  it("keeps the group coordinator's offsets topic: closed to clients (internal-topics.test.ts has a super user's answer)", async () => {
    expect(
      (await client.request(wireApis.deleteTopics, 3, { topics: [], topicNames: ['__consumer_offsets'], timeoutMs: 1000 })).responses[0]!
        .errorCode,
    ).toBe(KafkaError.TOPIC_AUTHORIZATION_FAILED)
  })
})

describe('DescribeConfigs', () => {
  it("v4 lists every topic config with its source, a broker's read-only settings, and errors per resource", async () => {
    await kafka.log.createTopic('orders', { partitions: 1, 'retention.ms': '3600000' })
    const response = await client.request(wireApis.describeConfigs, 4, {
      resources: [
        { resourceType: 2, resourceName: 'orders', configurationKeys: null },
        { resourceType: 2, resourceName: 'orders', configurationKeys: ['retention.ms', 'no.such.key'] },
        { resourceType: 4, resourceName: '0', configurationKeys: null },
        { resourceType: 2, resourceName: 'missing', configurationKeys: null },
        { resourceType: 4, resourceName: '7', configurationKeys: null },
        { resourceType: 99, resourceName: 'x', configurationKeys: null },
      ],
      includeSynonyms: true,
      includeDocumentation: true,
    })
    const [all, filtered, broker, missing, otherBroker, unknownType] = response.results
    expect(all!.configs.map((c) => c.name)).toEqual([
      'cleanup.policy',
      'compression.type',
      'delete.retention.ms',
      'durability',
      'flush.messages',
      'flush.ms',
      'index.interval.bytes',
      'max.message.bytes',
      'message.timestamp.type',
      'min.cleanable.dirty.ratio',
      'min.compaction.lag.ms',
      'retention.bytes',
      'retention.ms',
      'segment.bytes',
      'segment.ms',
    ])
    const retention = all!.configs.find((c) => c.name === 'retention.ms')!
    expect(retention).toMatchObject({
      value: '3600000',
      readOnly: false,
      isDefault: false,
      configSource: ConfigSource.TOPIC_CONFIG,
      isSensitive: false,
      configType: 5,
    })
    expect(retention.synonyms).toEqual([{ name: 'retention.ms', value: '3600000', source: ConfigSource.TOPIC_CONFIG }])
    expect(retention.documentation).toMatch(/deleted/)
    expect(all!.configs.find((c) => c.name === 'cleanup.policy')).toMatchObject({
      value: 'delete',
      isDefault: true,
      configSource: ConfigSource.DEFAULT_CONFIG,
    })
    expect(filtered!.configs.map((c) => c.name)).toEqual(['retention.ms'])
    expect(broker!.errorCode).toBe(0)
    expect(broker!.configs.every((c) => c.readOnly && c.configSource === ConfigSource.STATIC_BROKER_CONFIG)).toBe(true)
    expect(broker!.configs.find((c) => c.name === 'num.partitions')!.value).toBe('2')
    expect(missing).toMatchObject({ errorCode: KafkaError.UNKNOWN_TOPIC_OR_PARTITION, resourceName: 'missing', configs: [] })
    expect(missing!.errorMessage).toContain('missing')
    expect(otherBroker!.errorCode).toBe(KafkaError.INVALID_REQUEST)
    expect(unknownType!.errorCode).toBe(KafkaError.INVALID_REQUEST)
  })

  it('v0 says is_default and leaves synonyms and documentation out', async () => {
    await kafka.log.createTopic('orders', { partitions: 1, 'segment.ms': '60000' })
    const response = await client.request(wireApis.describeConfigs, 0, {
      resources: [{ resourceType: 2, resourceName: 'orders', configurationKeys: ['segment.ms', 'segment.bytes'] }],
      includeSynonyms: false,
      includeDocumentation: false,
    })
    expect(response.results[0]!.configs.map((c) => [c.name, c.value, c.isDefault])).toEqual([
      ['segment.bytes', String(256 * 1024 * 1024), true],
      ['segment.ms', '60000', false],
    ])
  })
})

describe('CreatePartitions', () => {
  it('v2 grows a topic; validate_only changes nothing', async () => {
    await kafka.log.createTopic('orders', { partitions: 1 })
    const checked = await client.request(wireApis.createPartitions, 2, {
      topics: [{ name: 'orders', count: 4, assignments: null }],
      timeoutMs: 1000,
      validateOnly: true,
    })
    expect(checked.results).toEqual([{ name: 'orders', errorCode: 0, errorMessage: null }])
    expect((await kafka.log.describeTopic('orders')).partitions).toHaveLength(1)
    await client.request(wireApis.createPartitions, 2, {
      topics: [{ name: 'orders', count: 4, assignments: [[0], [0], [0]] }],
      timeoutMs: 1000,
      validateOnly: false,
    })
    expect((await kafka.log.describeTopic('orders')).partitions).toHaveLength(4)
  })

  it('v1 refuses shrinking, unknown topics and impossible assignments per topic', async () => {
    await kafka.log.createTopic('three', { partitions: 3 })
    await kafka.log.createTopic('one', { partitions: 1 })
    const response = await client.request(wireApis.createPartitions, 1, {
      topics: [
        { name: 'three', count: 2, assignments: null },
        { name: 'missing', count: 2, assignments: null },
        { name: 'one', count: 3, assignments: [[0]] },
      ],
      timeoutMs: 1000,
      validateOnly: false,
    })
    expect(response.results.map((r) => [r.name, r.errorCode])).toEqual([
      ['three', KafkaError.INVALID_PARTITIONS],
      ['missing', KafkaError.UNKNOWN_TOPIC_OR_PARTITION],
      ['one', KafkaError.INVALID_REPLICA_ASSIGNMENT],
    ])
    expect(response.results[0]!.errorMessage).toContain('must be larger')
    expect((await kafka.log.describeTopic('one')).partitions).toHaveLength(1)
  })
})

describe('InitProducerId', () => {
  const fresh = {
    transactionalId: null,
    transactionTimeoutMs: 60_000,
    producerId: -1,
    producerEpoch: -1,
    enable2Pc: false,
    keepPreparedTxn: false,
  }

  it('v0 and v2 hand out distinct ids at epoch 0; a transactional id gets its id from the transaction coordinator', async () => {
    const first = await client.request(wireApis.initProducerId, 0, fresh)
    const second = await client.request(wireApis.initProducerId, 2, fresh)
    expect(first).toMatchObject({ errorCode: 0, producerEpoch: 0 })
    expect(second).toMatchObject({ errorCode: 0, producerEpoch: 0 })
    expect(second.producerId).not.toBe(first.producerId)
    const transactional = await client.request(wireApis.initProducerId, 2, { ...fresh, transactionalId: 'tx-1' })
    expect(transactional).toMatchObject({ errorCode: 0, producerEpoch: 0 })
    expect(await client.request(wireApis.initProducerId, 2, { ...fresh, transactionalId: 'tx-1' })).toMatchObject({
      errorCode: 0,
      producerId: transactional.producerId,
      producerEpoch: 1,
    })
    expect(
      await client.request(wireApis.initProducerId, 2, { ...fresh, transactionalId: 'tx-1', transactionTimeoutMs: 3_600_000 }),
    ).toMatchObject({ errorCode: KafkaError.INVALID_TRANSACTION_TIMEOUT, producerId: -1 })
    expect((await client.request(wireApis.initProducerId, 0, { ...fresh, transactionalId: '' })).errorCode).toBe(KafkaError.INVALID_REQUEST)
  })

  it('v3+ bumps the epoch of a known id, repeats the answer to a retry and fences a stale epoch', async () => {
    const { producerId } = await client.request(wireApis.initProducerId, 3, fresh)
    const bump = (version: number, producerEpoch: number) =>
      client.request(wireApis.initProducerId, version, { ...fresh, producerId, producerEpoch })
    expect(await bump(3, 0)).toMatchObject({ errorCode: 0, producerId, producerEpoch: 1 })
    expect(await bump(3, 0)).toMatchObject({ errorCode: 0, producerId, producerEpoch: 1 })
    expect(await bump(4, 1)).toMatchObject({ errorCode: 0, producerId, producerEpoch: 2 })
    expect((await bump(3, 0)).errorCode).toBe(KafkaError.INVALID_PRODUCER_EPOCH)
    expect((await bump(4, 0)).errorCode).toBe(KafkaError.PRODUCER_FENCED)
    expect((await client.request(wireApis.initProducerId, 4, { ...fresh, producerId })).errorCode).toBe(KafkaError.INVALID_REQUEST)
    // An exhausted epoch is not bumped: the producer gets a new id.
    const renewed = await client.request(wireApis.initProducerId, 3, { ...fresh, producerId: producerId + 500, producerEpoch: 32_766 })
    expect(renewed).toMatchObject({ errorCode: 0, producerEpoch: 0 })
    expect(renewed.producerId).toBeGreaterThan(producerId)
  })
})

describe('DescribeCluster', () => {
  it('names the cluster, this broker as its controller and only broker, and refuses to describe controllers', async () => {
    for (const v of [0, 1, 2]) {
      const described = await client.request(wireApis.describeCluster, v, {
        includeClusterAuthorizedOperations: true,
        endpointType: 1,
        includeFencedBrokers: true,
      })
      expect(described, `v${v}`).toMatchObject({
        errorCode: 0,
        errorMessage: null,
        clusterId: kafka.listener.broker.clusterId,
        controllerId: kafka.listener.broker.nodeId,
        brokers: [{ brokerId: kafka.listener.broker.nodeId, host: '127.0.0.1', port: kafka.port, rack: null, isFenced: false }],
      })
      // Describing the cluster (as managing ACLs) is for super users: an anonymous client may do none of its operations.
      expect(described.clusterAuthorizedOperations).toBe(0)
    }
    expect(
      (
        await client.request(wireApis.describeCluster, 1, {
          includeClusterAuthorizedOperations: false,
          endpointType: 1,
          includeFencedBrokers: false,
        })
      ).clusterAuthorizedOperations,
    ).toBe(-2147483648)
    const controllers = await client.request(wireApis.describeCluster, 1, {
      includeClusterAuthorizedOperations: false,
      endpointType: 2,
      includeFencedBrokers: false,
    })
    expect(controllers).toMatchObject({ errorCode: KafkaError.UNSUPPORTED_ENDPOINT_TYPE, brokers: [] })
    expect(controllers.errorMessage).toMatch(/not controllers/)
  })
})

describe('OffsetDelete', () => {
  it('removes the offsets of topics no member consumes, keeps those a member subscribes to, and names an unknown group', async () => {
    const coordinator = await kafka.listener.broker.groups()
    for (const name of ['orders', 'audit']) await kafka.log.createTopic(name, { partitions: 2 })
    await coordinator.alterOffsets('reporting', [
      { topic: 'orders', partition: 0, offset: 5 },
      { topic: 'orders', partition: 1, offset: 7 },
      { topic: 'audit', partition: 0, offset: 3 },
    ])
    // A consumer-protocol member that subscribes to orders only.
    const joined = await coordinator.joinGroup({
      groupId: 'reporting',
      memberId: '',
      sessionTimeoutMs: 30_000,
      rebalanceTimeoutMs: 1_000,
      protocolType: 'consumer',
      protocols: [{ name: 'range', metadata: encodeSubscription({ topics: ['orders'], userData: null }) }],
    })
    expect(joined.memberId).not.toBe('')
    const response = await client.request(wireApis.offsetDelete, 0, {
      groupId: 'reporting',
      topics: [
        { name: 'orders', partitions: [0] },
        { name: 'audit', partitions: [0] },
      ],
    })
    expect(response).toEqual({
      errorCode: 0,
      throttleTimeMs: 0,
      topics: [
        { name: 'orders', partitions: [{ partitionIndex: 0, errorCode: KafkaError.GROUP_SUBSCRIBED_TO_TOPIC }] },
        { name: 'audit', partitions: [{ partitionIndex: 0, errorCode: 0 }] },
      ],
    })
    expect(coordinator.fetchOffsets('reporting').map(({ topic, partition, offset }) => ({ topic, partition, offset }))).toEqual([
      { topic: 'orders', partition: 0, offset: 5 },
      { topic: 'orders', partition: 1, offset: 7 },
    ])
    const unknown = await client.request(wireApis.offsetDelete, 0, { groupId: 'nobody', topics: [{ name: 'orders', partitions: [0] }] })
    expect(unknown.errorCode).toBe(KafkaError.GROUP_ID_NOT_FOUND)
    // Once the member has left, the group is empty and its last offsets go too.
    coordinator.leaveGroup('reporting', joined.memberId)
    expect(
      (
        await client.request(wireApis.offsetDelete, 0, { groupId: 'reporting', topics: [{ name: 'orders', partitions: [0, 1] }] })
      ).topics[0]?.partitions.map((p) => p.errorCode),
    ).toEqual([0, 0])
    expect(coordinator.fetchOffsets('reporting')).toEqual([])
  })
})
