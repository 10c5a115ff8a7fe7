/**
 * The consumer group protocol of KIP-848 (group.protocol=consumer, the ConsumerGroupHeartbeat API,
 * key 68) is not served by the listener. ApiVersions does not list it, so the Java consumer
 * (kafka-clients 4.3.1) fails at once with the UnsupportedVersionException it gives for any broker
 * without it, and never hangs or sends the request. A ConsumerGroupHeartbeat sent anyway closes the
 * connection, as a Kafka broker closes one that sends an API it does not enable.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startJavaMember, startKafkaForJavaClient, type KafkaForJavaClient } from '../../support/kafka-java-client.ts'
import { wireApis } from '../../support/kafka-wire-apis.ts'
import { KafkaWireClient } from '../../support/kafka-wire-client.ts'

const CONSUMER_GROUP_HEARTBEAT = 68
const CONSUMER_GROUP_DESCRIBE = 69

let kafka: KafkaForJavaClient

beforeAll(async () => {
  kafka = await startKafkaForJavaClient()
  await kafka.log.createTopic('kip-848', { partitions: 2 })
}, 300_000)

afterAll(async () => {
  await kafka?.stop()
})

/** A well-formed ConsumerGroupHeartbeat v0 request (flexible: header v2) joining group "g" for topic "kip-848". */
function consumerGroupHeartbeat(correlationId: number): Buffer {
  const compact = (text: string) => Buffer.concat([Buffer.from([text.length + 1]), Buffer.from(text)])
  const int32 = (value: number) => Buffer.from([value >>> 24, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff])
  const header = Buffer.concat([
    Buffer.from([0, CONSUMER_GROUP_HEARTBEAT, 0, 0]),
    int32(correlationId),
    Buffer.from([0, 5]),
    Buffer.from('probe'),
    Buffer.from([0]),
  ])
  // group_id member_id member_epoch instance_id(null) rack_id(null) rebalance_timeout_ms [subscribed_topic_names] server_assignor(null) topic_partitions(null) tags
  const body = Buffer.concat([
    compact('g'),
    compact(''),
    int32(0),
    Buffer.from([0, 0]),
    int32(300_000),
    Buffer.from([2]),
    compact('kip-848'),
    Buffer.from([0, 0, 0]),
  ])
  return Buffer.concat([header, body])
}

describe('group.protocol=consumer (KIP-848) against a listener that does not serve it', () => {
  it('is not listed by ApiVersions, and the Java consumer fails with UnsupportedVersionException at once', async () => {
    const client = await KafkaWireClient.connect(kafka.port)
    // v4, the version the Java client 4.x asks with first, is answered as it is (not with UNSUPPORTED_VERSION and a retry).
    const { errorCode, apiKeys } = await client.request(wireApis.apiVersions, 4, {
      clientSoftwareName: 'wire-client',
      clientSoftwareVersion: '1',
    })
    client.close()
    expect(errorCode).toBe(0)
    expect(apiKeys.find((k) => k.apiKey === 18)).toEqual({ apiKey: 18, minVersion: 0, maxVersion: 4 })
    expect(apiKeys.map((k) => k.apiKey)).not.toContain(CONSUMER_GROUP_HEARTBEAT)
    expect(apiKeys.map((k) => k.apiKey)).not.toContain(CONSUMER_GROUP_DESCRIBE)

    const closedBefore = kafka.listener.counters.protocol
    const member = await startJavaMember(kafka.bootstrap, 'kip-848-group', 'kip-848', 'consumer')
    expect(await member.exited(30_000)).toBe(1)
    expect(member.lines).toEqual([
      {
        error: 'UnsupportedVersionException',
        message:
          'The cluster does not support the new CONSUMER group protocol. Set group.protocol=classic on the consumer configs to revert to the CLASSIC protocol until the cluster is upgraded.',
      },
    ])
    // The client found out from ApiVersions: no connection was closed for a request the listener cannot serve.
    expect(kafka.listener.counters.protocol).toBe(closedBefore)
    expect((await kafka.log.listGroups()).map((g) => g.groupId)).not.toContain('kip-848-group')
  }, 60_000)

  it('closes a connection that sends ConsumerGroupHeartbeat anyway, as Kafka does for an API it does not enable, and serves the next one', async () => {
    const client = await KafkaWireClient.connect(kafka.port)
    const closedBefore = kafka.listener.counters.protocol
    client.sendFrame(consumerGroupHeartbeat(1))
    await expect(client.readFrame()).rejects.toThrow()
    await client.closed
    expect(kafka.listener.counters.protocol).toBe(closedBefore + 1)

    const next = await KafkaWireClient.connect(kafka.port)
    expect((await next.request(wireApis.apiVersions, 3, { clientSoftwareName: 'wire-client', clientSoftwareVersion: '1' })).errorCode).toBe(
      0,
    )
    next.close()
  })
})
