/**
 * An embedded Kafka listener and one bare wire client for a whole test file: registers its own
 * beforeAll/afterAll, so a wire-level test file states only what it sends and what comes back.
 */
import { afterAll, beforeAll } from 'vitest'
import { startEmbeddedKafka, type EmbeddedKafka } from './embedded-kafka.ts'
import { KafkaWireClient } from './kafka-wire-client.ts'

export interface WireClientPerFile {
  readonly kafka: EmbeddedKafka
  readonly client: KafkaWireClient
}

export function wireClientPerFile(): WireClientPerFile {
  let kafka: EmbeddedKafka | undefined
  let client: KafkaWireClient | undefined
  beforeAll(async () => {
    kafka = await startEmbeddedKafka()
    client = await KafkaWireClient.connect(kafka.port)
  })
  afterAll(async () => {
    client?.close()
    await kafka?.stop()
  })
  return {
    get kafka() {
      return kafka!
    },
    get client() {
      return client!
    },
  }
}
