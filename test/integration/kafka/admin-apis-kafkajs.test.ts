/**
 * The admin APIs driven by kafkajs's own admin client, and SASL/PLAIN from a kafkajs client. kafkajs
 * finds the controller through Metadata before any admin call, so those tests run once the listener
 * serves Metadata; connecting (ApiVersions and SASL) needs nothing more and always runs.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { ConfigResourceTypes, Kafka, logLevel, type Admin } from 'kafkajs'
import { ApiKey } from '../../../core/kafka/protocol/api-keys.ts'
import { ConfigSource } from '../../../core/kafka/protocol/apis/describe-configs.ts'
import { handlerRegistry } from '../../../core/kafka/server/handlers/index.ts'
import { startEmbeddedKafka, type EmbeddedKafka } from '../../support/embedded-kafka.ts'
import { SaslUsers } from '../../../core/kafka/server/sasl-users.ts'

const servesMetadata = handlerRegistry.has(ApiKey.Metadata)
const users = { alice: 's3cret' }

let kafka: EmbeddedKafka | undefined
let admin: Admin | undefined

afterEach(async () => {
  await admin?.disconnect()
  await kafka?.stop()
  admin = undefined
  kafka = undefined
})

async function connectAdmin(options: { sasl?: { username: string; password: string } } = {}): Promise<Admin> {
  kafka = await startEmbeddedKafka({ defaultPartitions: 1, ...(options.sasl ? { sasl: { users: SaslUsers.fromPasswords(users) } } : {}) })
  const client = new Kafka({
    clientId: 'admin-test',
    brokers: [`127.0.0.1:${kafka.port}`],
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
    ...(options.sasl ? { sasl: { mechanism: 'plain' as const, ...options.sasl } } : {}),
  })
  admin = client.admin()
  await admin.connect()
  return admin
}

describe.skipIf(!servesMetadata)('kafkajs admin (needs Metadata)', () => {
  it("creates topics with configs, refusing bad ones with the broker's reason", async () => {
    const a = await connectAdmin()
    expect(
      await a.createTopics({
        topics: [
          {
            topic: 'orders',
            numPartitions: 3,
            configEntries: [
              { name: 'cleanup.policy', value: 'compact' },
              { name: 'retention.ms', value: '86400000' },
            ],
          },
        ],
      }),
    ).toBe(true)
    const stored = await kafka!.log.describeTopic('orders')
    expect(stored.partitions).toHaveLength(3)
    expect(stored.config).toMatchObject({ 'cleanup.policy': 'compact', 'retention.ms': 86_400_000 })
    await expect(
      a.createTopics({ topics: [{ topic: 'zipped', configEntries: [{ name: 'compression.type', value: 'brotli' }] }] }),
    ).rejects.toMatchObject({ errors: [expect.objectContaining({ type: 'INVALID_CONFIG' })] })
    await expect(a.createTopics({ topics: [{ topic: 'replicated', replicationFactor: 3 }] })).rejects.toMatchObject({
      errors: [expect.objectContaining({ type: 'INVALID_REPLICATION_FACTOR' })],
    })
  })

  it("describes a topic's configs and the broker's", async () => {
    const a = await connectAdmin()
    await kafka!.log.createTopic('orders', { partitions: 1, 'retention.ms': '3600000' })
    const described = await a.describeConfigs({
      includeSynonyms: false,
      resources: [
        { type: ConfigResourceTypes.TOPIC, name: 'orders' },
        { type: ConfigResourceTypes.BROKER, name: '0' },
      ],
    })
    const [topic, broker] = described.resources
    expect(topic!.configEntries.find((e) => e.configName === 'retention.ms')).toMatchObject({
      configValue: '3600000',
      isDefault: false,
      configSource: ConfigSource.TOPIC_CONFIG,
    })
    expect(topic!.configEntries.find((e) => e.configName === 'segment.bytes')).toMatchObject({ isDefault: true, readOnly: false })
    expect(broker!.configEntries.find((e) => e.configName === 'broker.id')).toMatchObject({ configValue: '0', readOnly: true })
  })

  it('grows and deletes topics', async () => {
    const a = await connectAdmin()
    await kafka!.log.createTopic('orders', { partitions: 1 })
    await a.createPartitions({ topicPartitions: [{ topic: 'orders', count: 4 }] })
    expect((await kafka!.log.describeTopic('orders')).partitions).toHaveLength(4)
    await expect(a.createPartitions({ topicPartitions: [{ topic: 'orders', count: 2 }] })).rejects.toMatchObject({
      type: 'INVALID_PARTITIONS',
    })
    await a.deleteTopics({ topics: ['orders'] })
    expect(kafka!.log.hasTopic('orders')).toBe(false)
  })

  it('creates topics once authenticated with SASL/PLAIN', async () => {
    const a = await connectAdmin({ sasl: { username: 'alice', password: 's3cret' } })
    expect(await a.createTopics({ topics: [{ topic: 'orders' }] })).toBe(true)
    expect(kafka!.log.hasTopic('orders')).toBe(true)
  })
})

describe('kafkajs with SASL/PLAIN', () => {
  it('connects with good credentials', async () => {
    await connectAdmin({ sasl: { username: 'alice', password: 's3cret' } })
    expect(kafka!.listener.connectionCount).toBe(1)
  })

  it("fails to connect with a wrong password, with the broker's reason", async () => {
    await expect(connectAdmin({ sasl: { username: 'alice', password: 'nope' } })).rejects.toMatchObject({
      name: 'KafkaJSSASLAuthenticationError',
      message: expect.stringContaining('Invalid username or password'),
    })
    admin = undefined
  })
})
