/**
 * What the newer versions the flexible-only clients need change on the wire: Fetch v13 and Metadata
 * v10+ name topics by id (an unknown id is UNKNOWN_TOPIC_ID), ListOffsets v7 finds the record with
 * the largest timestamp (-3) and v8 the local log start (-4, the log start here).
 */
import { describe, expect, it } from 'vitest'
import { EARLIEST_LOCAL_TIMESTAMP, MAX_TIMESTAMP } from '../../../core/kafka/protocol/apis/list-offsets.ts'
import { KafkaError } from '../../../core/kafka/protocol/error-codes.ts'
import { uuidToBytes } from '../../../core/kafka/protocol/uuid.ts'
import { wireApis } from '../../support/kafka-wire-apis.ts'
import { wireClientPerFile } from '../../support/wire-client-per-file.ts'

const wire = wireClientPerFile()

const listOffsets = (version: number, timestamp: number) =>
  wire.client.request(wireApis.listOffsets, version, {
    replicaId: -1,
    isolationLevel: 0,
    topics: [{ name: 'clock', partitions: [{ partitionIndex: 0, currentLeaderEpoch: -1, timestamp }] }],
  })

describe('newer versions for flexible-only clients', () => {
  it('fetches by topic id at v13 and answers an unknown id with UNKNOWN_TOPIC_ID', async () => {
    const topic = await wire.kafka.log.createTopic('by-id', { partitions: 1 })
    await wire.kafka.log.append('by-id', [{ key: Buffer.from('k'), value: Buffer.from('v'), partition: 0 }])
    const unknown = Buffer.alloc(16, 7)
    const fetchFrom = (topicId: Buffer) => ({
      topic: '',
      topicId,
      partitions: [{ partition: 0, currentLeaderEpoch: -1, fetchOffset: 0, partitionMaxBytes: 1 << 20 }],
    })
    const response = await wire.client.request(wireApis.fetch, 13, {
      replicaId: -1,
      maxWaitMs: 0,
      minBytes: 0,
      maxBytes: 1 << 20,
      isolationLevel: 0,
      sessionId: 0,
      sessionEpoch: -1,
      topics: [fetchFrom(uuidToBytes(topic.id)), fetchFrom(unknown)],
      rackId: '',
    })
    expect(response.topics.map((t) => [t.topicId, t.partitions.map((p) => [p.errorCode, p.highWatermark, p.records.length > 0])])).toEqual([
      [uuidToBytes(topic.id), [[KafkaError.NONE, 1, true]]],
      [unknown, [[KafkaError.UNKNOWN_TOPIC_ID, -1, false]]],
    ])
  })

  it('describes a topic by its id at Metadata v12 whatever name comes beside it, and an unknown id with UNKNOWN_TOPIC_ID', async () => {
    const topic = await wire.kafka.log.createTopic('described-by-id', { partitions: 2 })
    const unknown = Buffer.alloc(16, 9)
    // The Java admin sends "" as the name of a topic it names by id; Kafka looks at the id alone.
    const response = await wire.client.request(wireApis.metadata, 12, {
      topics: [
        { topicId: uuidToBytes(topic.id), name: '' },
        { topicId: unknown, name: '' },
        { topicId: uuidToBytes(topic.id), name: null },
      ],
      allowAutoTopicCreation: false,
      includeTopicAuthorizedOperations: false,
    })
    expect(response.topics.map((t) => [t.errorCode, t.name, t.topicId, t.partitions.length])).toEqual([
      [KafkaError.NONE, 'described-by-id', uuidToBytes(topic.id), 2],
      [KafkaError.UNKNOWN_TOPIC_ID, null, unknown, 0],
      [KafkaError.NONE, 'described-by-id', uuidToBytes(topic.id), 2],
    ])
  })

  it('lists the record with the largest timestamp at v7 and the local log start at v8', async () => {
    await wire.kafka.log.createTopic('clock', { partitions: 1 })
    await wire.kafka.log.append(
      'clock',
      [1_000, 5_000, 3_000, 5_000, 2_000].map((timestamp) => ({ key: null, value: Buffer.from('x'), timestamp, partition: 0 })),
    )
    expect((await listOffsets(7, MAX_TIMESTAMP)).topics[0]!.partitions[0]).toMatchObject({
      errorCode: 0,
      offset: 1,
      timestamp: 5_000,
      leaderEpoch: 0,
    })
    expect((await listOffsets(8, EARLIEST_LOCAL_TIMESTAMP)).topics[0]!.partitions[0]).toMatchObject({ errorCode: 0, offset: 0 })
    await wire.kafka.log.createTopic('empty', { partitions: 1 })
    const empty = await wire.client.request(wireApis.listOffsets, 7, {
      replicaId: -1,
      isolationLevel: 0,
      topics: [{ name: 'empty', partitions: [{ partitionIndex: 0, currentLeaderEpoch: -1, timestamp: MAX_TIMESTAMP }] }],
    })
    // Nothing found: no leader epoch either, as Kafka answers (the Java admin reads it as "none").
    expect(empty.topics[0]!.partitions[0]).toMatchObject({ errorCode: 0, offset: -1, timestamp: -1, leaderEpoch: -1 })
  })
})
