/**
 * DeleteRecords on the listener: kafkajs's admin deleteTopicRecords moves the low watermark, and a
 * kafkajs consumer and kcat (librdkafka) that start from the beginning then read from it, skipping
 * the deleted records of a batch that straddles it; over a bare socket, every version answers each partition with Kafka's
 * error codes, and a principal without Delete on the topic is refused.
 */
import kafkajs from 'kafkajs'
import { beforeAll, describe, expect, it } from 'vitest'
import { KafkaError } from '../../../core/kafka/protocol/error-codes.ts'
import { kcatConsume } from '../../support/kafka-clients.ts'
import { wireApis } from '../../support/kafka-wire-apis.ts'
import { saslListenerPerFile } from '../../support/sasl-plain-clients.ts'

const { AclResourceTypes, AclOperationTypes, AclPermissionTypes, ResourcePatternTypes } = kafkajs

const users = { admin: 'admin-pass', alice: 'alice-pass', bob: 'bob-pass' }
const subject = saslListenerPerFile(users)
const { kafkajs: client, withAdmin, withWire: wireAs } = subject

beforeAll(async () => {
  const { log } = subject
  await log.createTopic('orders', { partitions: 2 })
  await log.createTopic('compacted', { 'cleanup.policy': 'compact' })
  await log.createTopic('__users-own')
  await log.append('__users-own', [
    { key: null, value: Buffer.from('a') },
    { key: null, value: Buffer.from('b') },
  ])
  await log.append('compacted', [{ key: Buffer.from('k'), value: Buffer.from('v') }])
  // One batch of ten records on partition 0: the start will fall inside it.
  await log.append(
    'orders',
    Array.from({ length: 10 }, (_, i) => ({ key: null, value: Buffer.from(`v${i}`), partition: 0 })),
  )
  await log.append(
    'orders',
    Array.from({ length: 4 }, (_, i) => ({ key: null, value: Buffer.from(`w${i}`), partition: 1 })),
  )
  await log.groups() // makes __consumer_offsets
  await withAdmin('admin', (admin) =>
    admin.createAcls({
      acl: [
        {
          resourceType: AclResourceTypes.TOPIC,
          resourceName: 'orders',
          resourcePatternType: ResourcePatternTypes.LITERAL,
          principal: 'User:alice',
          host: '*',
          operation: AclOperationTypes.DELETE,
          permissionType: AclPermissionTypes.ALLOW,
        },
      ],
    }),
  )
})
describe('DeleteRecords', () => {
  it("moves the low watermark for kafkajs's admin, and a consumer from the beginning starts there", async () => {
    await withAdmin('alice', async (admin) => {
      // kafkajs finds the leaders in metadata it must have loaded already.
      await admin.fetchTopicMetadata({ topics: ['orders'] })
      await admin.deleteTopicRecords({
        topic: 'orders',
        partitions: [
          { partition: 0, offset: '5' },
          { partition: 1, offset: '-1' },
        ],
      })
    })
    const offsets = await withAdmin('alice', (admin) => admin.fetchTopicOffsets('orders'))
    expect(offsets.map((p) => [p.partition, p.low, p.high]).sort()).toEqual([
      [0, '5', '10'],
      [1, '4', '4'],
    ])
    expect((await subject.log.describeTopic('orders')).partitions.map((p) => p.logStartOffset)).toEqual([5, 4])

    const consumer = client('admin').consumer({ groupId: 'from-start', maxWaitTimeInMs: 100 })
    await consumer.connect()
    try {
      await consumer.subscribe({ topic: 'orders', fromBeginning: true })
      const seen: string[] = []
      await new Promise<void>((resolve, reject) => {
        consumer
          .run({
            eachMessage: async ({ partition, message }) => {
              seen.push(`${partition}:${message.offset}:${message.value!.toString()}`)
              if (seen.length === 5) resolve()
            },
          })
          .catch(reject)
      })
      expect(seen).toEqual(['0:5:v5', '0:6:v6', '0:7:v7', '0:8:v8', '0:9:v9'])
    } finally {
      await consumer.disconnect()
    }
    // librdkafka skips the deleted records of the batch the same way.
    const sasl = [
      '-X',
      'security.protocol=SASL_PLAINTEXT',
      '-X',
      'sasl.mechanisms=PLAIN',
      '-X',
      'sasl.username=admin',
      '-X',
      `sasl.password=${users.admin}`,
    ]
    const viaKcat = await kcatConsume(`127.0.0.1:${subject.listener.port}`, 'orders', 5, ['-p', '0', ...sasl])
    expect(viaKcat.map((r) => `${r.partition}:${r.offset}:${r.value}`)).toEqual(['0:5:v5', '0:6:v6', '0:7:v7', '0:8:v8', '0:9:v9'])
  })

  it("answers each partition with Kafka's error codes at every version", async () => {
    for (const v of [0, 1, 2]) {
      const answer = await wireAs('admin', (wire) =>
        wire.request(wireApis.deleteRecords, v, {
          timeoutMs: 30_000,
          topics: [
            {
              name: 'orders',
              partitions: [
                { partitionIndex: 0, offset: 11 },
                { partitionIndex: 1, offset: 2 },
                { partitionIndex: 7, offset: 0 },
              ],
            },
            { name: 'nosuch', partitions: [{ partitionIndex: 0, offset: 0 }] },
            { name: 'compacted', partitions: [{ partitionIndex: 0, offset: 1 }] },
            { name: '__consumer_offsets', partitions: [{ partitionIndex: 0, offset: 0 }] },
            { name: '__users-own', partitions: [{ partitionIndex: 0, offset: 1 }] },
          ],
        }),
      )
      expect(answer, `v${v}`).toEqual({
        throttleTimeMs: 0,
        topics: [
          {
            name: 'orders',
            partitions: [
              { partitionIndex: 0, lowWatermark: -1, errorCode: KafkaError.OFFSET_OUT_OF_RANGE },
              // An offset below the low watermark leaves it where it is.
              { partitionIndex: 1, lowWatermark: 4, errorCode: KafkaError.NONE },
              { partitionIndex: 7, lowWatermark: -1, errorCode: KafkaError.UNKNOWN_TOPIC_OR_PARTITION },
            ],
          },
          { name: 'nosuch', partitions: [{ partitionIndex: 0, lowWatermark: -1, errorCode: KafkaError.UNKNOWN_TOPIC_OR_PARTITION }] },
          { name: 'compacted', partitions: [{ partitionIndex: 0, lowWatermark: -1, errorCode: KafkaError.POLICY_VIOLATION }] },
          {
            name: '__consumer_offsets',
            partitions: [{ partitionIndex: 0, lowWatermark: -1, errorCode: KafkaError.INVALID_TOPIC_EXCEPTION }],
          },
          // Only Kafka's own internal topics are refused, not every name starting with two underscores.
          { name: '__users-own', partitions: [{ partitionIndex: 0, lowWatermark: 1, errorCode: KafkaError.NONE }] },
        ],
      })
    }
  })

  it('answers a partition named twice once, for the last offset given, as Kafka does', async () => {
    const answer = await wireAs('admin', (wire) =>
      wire.request(wireApis.deleteRecords, 2, {
        timeoutMs: 1000,
        topics: [
          { name: 'orders', partitions: [{ partitionIndex: 0, offset: 9 }] },
          { name: 'orders', partitions: [{ partitionIndex: 0, offset: 6 }] },
        ],
      }),
    )
    expect(answer.topics).toEqual([{ name: 'orders', partitions: [{ partitionIndex: 0, lowWatermark: 6, errorCode: KafkaError.NONE }] }])
  })

  it('refuses a principal without Delete on the topic', async () => {
    const refused = await wireAs('bob', (wire) =>
      wire.request(wireApis.deleteRecords, 2, {
        timeoutMs: 1000,
        topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, offset: 7 }] }],
      }),
    )
    expect(refused.topics).toEqual([
      { name: 'orders', partitions: [{ partitionIndex: 0, lowWatermark: -1, errorCode: KafkaError.TOPIC_AUTHORIZATION_FAILED }] },
    ])
    expect(await subject.log.listOffset('orders', 0, 'earliest')).toBe(6)
  })
})
