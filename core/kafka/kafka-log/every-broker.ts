/**
 * Waits until every reachable broker of the cluster agrees on a topic: that it exists with a leader
 * for each partition (after CreateTopics), or that it is gone (after DeleteTopics). A KRaft
 * controller answers both once it has recorded the change and each broker applies it a moment later,
 * so a client that next meets a broker still listing the deleted topic, or not yet knowing the new
 * one, would be told the opposite of what the call before said. The Log seam promises a created
 * topic usable, and a deleted one gone, when the call resolves. A broker that cannot be reached (one
 * being restarted) is left out: it learns the change from the controller when it comes back.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { TributaryError } from '../../errors.ts'
import type { BrokerConnections } from './broker-connections.ts'
import { fromKafkaError } from './kafka-error.ts'
import type { BrokerAddress } from './kafkajs-broker.ts'

/** How a broker sees the topic: present (with partitions led), absent, or neither yet. */
type Seen = 'present' | 'absent' | 'settling' | 'unreachable'

async function seenBy(connections: BrokerConnections, broker: BrokerAddress, topic: string, partitions: number): Promise<Seen> {
  try {
    const { topicMetadata } = await connections.with(broker, (client) => client.metadata([topic]))
    const found = topicMetadata.find((entry) => entry.topic === topic)
    if (found === undefined) return 'absent'
    const led = found.partitionMetadata.filter((p) => p.leader >= 0).length
    return led >= partitions ? 'present' : 'settling'
  } catch (error) {
    const reported = fromKafkaError(error, `asking broker ${broker.host}:${broker.port} about topic ${topic}`)
    if (reported.code === 'TRB_TOPIC_NOT_FOUND') return 'absent'
    if (reported.code === 'TRB_LOG_UNAVAILABLE') return 'unreachable'
    if (reported.retriable) return 'settling'
    throw reported
  }
}

export async function untilEveryBroker(
  brokers: readonly BrokerAddress[],
  connections: BrokerConnections,
  topic: string,
  expected: { readonly partitions: number } | 'absent',
  timeoutMs: number,
): Promise<void> {
  const want: Seen = expected === 'absent' ? 'absent' : 'present'
  const partitions = expected === 'absent' ? 0 : expected.partitions
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const seen = await Promise.all(brokers.map((broker) => seenBy(connections, broker, topic, partitions)))
    if (seen.every((view) => view === want || view === 'unreachable')) return
    if (Date.now() > deadline) {
      throw new TributaryError(
        'TRB_LOG_UNAVAILABLE',
        `the brokers do not yet agree that topic ${topic} is ${want} after ${timeoutMs} ms (${seen.join(', ')}); try again`,
        { details: { topic } },
      )
    }
    await sleep(50)
  }
}
