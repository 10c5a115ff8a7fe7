/** Finds a topic by its id (Kafka's Uuid on the wire), for the APIs that name topics by id (KIP-516). */
import type { TopicDescription } from '../../log/log.ts'
import { uuidFromBytes } from '../protocol/uuid.ts'
import type { Broker } from './broker.ts'

export async function topicById(broker: Broker, topicId: Buffer): Promise<TopicDescription | undefined> {
  const wanted = uuidFromBytes(topicId)
  for (const name of await broker.log.listTopics({ includeInternal: true })) {
    const topic = await broker.log.describeTopic(name)
    if (topic.id === wanted) return topic
  }
  return undefined
}
