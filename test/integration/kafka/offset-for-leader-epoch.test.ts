/**
 * OffsetForLeaderEpoch over a bare socket, answered as a Kafka 4.3 broker answered the same requests
 * for a partition that never changed leader: epoch 0, the one Metadata reports, ends at the high
 * watermark ListOffsets gives; later or undefined epochs are unknown; a current leader epoch ahead of
 * the listener's is UNKNOWN_LEADER_EPOCH and one behind it FENCED_LEADER_EPOCH.
 */
import kafkajs from 'kafkajs'
import { beforeAll, describe, expect, it } from 'vitest'
import { KafkaError } from '../../../core/kafka/protocol/error-codes.ts'
import { wireApis } from '../../support/kafka-wire-apis.ts'
import { saslListenerPerFile } from '../../support/sasl-plain-clients.ts'

const { AclResourceTypes, AclOperationTypes, AclPermissionTypes, ResourcePatternTypes } = kafkajs

const users = { admin: 'admin-pass', alice: 'alice-pass' }
const subject = saslListenerPerFile(users)

beforeAll(async () => {
  await subject.log.createTopic('orders', { partitions: 2 })
  await subject.log.createTopic('private')
  await subject.log.append(
    'orders',
    Array.from({ length: 10 }, (_, i) => ({ key: null, value: Buffer.from(`v${i}`), partition: 0 })),
  )
  await subject.log.deleteRecords('orders', 0, 3)
  await subject.withAdmin('admin', (admin) =>
    admin.createAcls({
      acl: [
        {
          resourceType: AclResourceTypes.TOPIC,
          resourceName: 'private',
          resourcePatternType: ResourcePatternTypes.LITERAL,
          principal: 'User:admin',
          host: '*',
          operation: AclOperationTypes.DESCRIBE,
          permissionType: AclPermissionTypes.ALLOW,
        },
      ],
    }),
  )
})

const ask = (
  user: keyof typeof users,
  v: number,
  topics: Array<{ topic: string; partitions: Array<[partition: number, currentLeaderEpoch: number, leaderEpoch: number]> }>,
) =>
  subject.withWire(
    user,
    async (wire) =>
      (
        await wire.request(wireApis.offsetForLeaderEpoch, v, {
          replicaId: -1,
          topics: topics.map((t) => ({
            topic: t.topic,
            partitions: t.partitions.map(([partition, currentLeaderEpoch, leaderEpoch]) => ({
              partition,
              currentLeaderEpoch,
              leaderEpoch,
            })),
          })),
        })
      ).topics,
  )

describe('OffsetForLeaderEpoch', () => {
  it('answers the epoch Metadata reports with the high watermark, at every version', async () => {
    const metadata = await subject.withWire('admin', (wire) =>
      wire.request(wireApis.metadata, 12, {
        topics: [{ topicId: Buffer.alloc(16), name: 'orders' }],
        allowAutoTopicCreation: false,
        includeTopicAuthorizedOperations: false,
      }),
    )
    const epochs = metadata.topics[0]!.partitions.map((p) => p.leaderEpoch)
    expect(epochs).toEqual([0, 0])
    for (const v of [2, 3, 4]) {
      expect(
        await ask('admin', v, [
          {
            topic: 'orders',
            partitions: [
              [0, -1, 0],
              [0, 0, 0],
              [1, 0, 0],
            ],
          },
        ]),
        `v${v}`,
      ).toEqual([
        {
          topic: 'orders',
          partitions: [
            { errorCode: KafkaError.NONE, partition: 0, leaderEpoch: 0, endOffset: 10 },
            { errorCode: KafkaError.NONE, partition: 0, leaderEpoch: 0, endOffset: 10 },
            { errorCode: KafkaError.NONE, partition: 1, leaderEpoch: 0, endOffset: 0 },
          ],
        },
      ])
    }
  })

  it('answers unknown epochs, fenced and unknown current epochs, and unknown partitions as Kafka does', async () => {
    expect(
      await ask('admin', 4, [
        {
          topic: 'orders',
          partitions: [
            [0, 0, 1],
            [0, -1, -1],
            [0, 0, 5],
            [0, 1, 0],
            [0, -3, 0],
            [0, -1, -4],
            [4, -1, 0],
          ],
        },
        { topic: 'nosuch', partitions: [[0, -1, 0]] },
      ]),
    ).toEqual([
      {
        topic: 'orders',
        partitions: [
          { errorCode: KafkaError.NONE, partition: 0, leaderEpoch: -1, endOffset: -1 },
          { errorCode: KafkaError.NONE, partition: 0, leaderEpoch: -1, endOffset: -1 },
          { errorCode: KafkaError.NONE, partition: 0, leaderEpoch: -1, endOffset: -1 },
          { errorCode: KafkaError.UNKNOWN_LEADER_EPOCH, partition: 0, leaderEpoch: -1, endOffset: -1 },
          { errorCode: KafkaError.FENCED_LEADER_EPOCH, partition: 0, leaderEpoch: -1, endOffset: -1 },
          // An epoch before the first: the first known epoch's start, which is the log start.
          { errorCode: KafkaError.NONE, partition: 0, leaderEpoch: -4, endOffset: 3 },
          { errorCode: KafkaError.UNKNOWN_TOPIC_OR_PARTITION, partition: 4, leaderEpoch: -1, endOffset: -1 },
        ],
      },
      { topic: 'nosuch', partitions: [{ errorCode: KafkaError.UNKNOWN_TOPIC_OR_PARTITION, partition: 0, leaderEpoch: -1, endOffset: -1 }] },
    ])
  })

  it('needs Describe on the topic', async () => {
    expect(
      await ask('alice', 4, [
        { topic: 'private', partitions: [[0, -1, 0]] },
        { topic: 'orders', partitions: [[1, -1, 0]] },
      ]),
    ).toEqual([
      {
        topic: 'private',
        partitions: [{ errorCode: KafkaError.TOPIC_AUTHORIZATION_FAILED, partition: 0, leaderEpoch: -1, endOffset: -1 }],
      },
      { topic: 'orders', partitions: [{ errorCode: KafkaError.NONE, partition: 1, leaderEpoch: 0, endOffset: 0 }] },
    ])
  })
})
