/**
 * Where clients are sent back to: by default the address they connected to; with an advertised
 * address (Kafka's advertised.listeners, for proxies and container port mappings) that one, in both
 * Metadata and FindCoordinator.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { ZERO_UUID } from '../../../core/kafka/protocol/uuid.ts'
import { startEmbeddedKafka, type EmbeddedKafka } from '../../support/embedded-kafka.ts'
import { wireApis } from '../../support/kafka-wire-apis.ts'
import { KafkaWireClient } from '../../support/kafka-wire-client.ts'

let kafka: EmbeddedKafka | undefined
let client: KafkaWireClient | undefined

afterEach(async () => {
  client?.close()
  await kafka?.stop()
})

async function addresses(advertisedAddress?: { host: string; port: number }) {
  kafka = await startEmbeddedKafka(advertisedAddress ? { advertisedAddress } : {})
  client = await KafkaWireClient.connect(kafka.port)
  const metadata = await client.request(wireApis.metadata, 9, {
    topics: [{ topicId: ZERO_UUID, name: 'orders' }],
    allowAutoTopicCreation: true,
    includeTopicAuthorizedOperations: false,
  })
  const coordinator = await client.request(wireApis.findCoordinator, 4, { key: '', keyType: 0, coordinatorKeys: ['group-a'] })
  return { broker: metadata.brokers[0]!, coordinator: coordinator.coordinators[0]! }
}

describe('the address clients are sent back to', () => {
  it('is the one the client connected to by default', async () => {
    const { broker, coordinator } = await addresses()
    expect(broker).toMatchObject({ host: '127.0.0.1', port: kafka!.port })
    expect(coordinator).toMatchObject({ host: '127.0.0.1', port: kafka!.port })
  })

  it('is the advertised address when one is set', async () => {
    const { broker, coordinator } = await addresses({ host: 'kafka.example', port: 19093 })
    expect(broker).toMatchObject({ host: 'kafka.example', port: 19093 })
    expect(coordinator).toMatchObject({ host: 'kafka.example', port: 19093 })
  })
})
