/**
 * Metadata: this node is the one broker and the leader of every partition. It advertises the address
 * the client connected to, so a client that reached the listener through any interface can reach it
 * again. Unknown topics are created when the client allows it and auto.create.topics.enable is on.
 */
import { ApiKey } from '../../protocol/api-keys.ts'
import {
  decodeMetadataRequest,
  encodeMetadataResponse,
  metadataVersions,
  type MetadataRequest,
  type MetadataResponse,
  type MetadataTopic,
} from '../../protocol/apis/metadata.ts'
import { KafkaError, kafkaErrorCodeOf } from '../../protocol/error-codes.ts'
import { uuidToBytes, ZERO_UUID } from '../../protocol/uuid.ts'
import type { TopicDescription } from '../../../log/log.ts'
import { defineHandler, type RequestContext } from '../api-handler.ts'
import type { Broker } from '../broker.ts'
import { topicById } from '../topic-by-id.ts'
import { canTopic } from '../auth/can.ts'
import { LEADER_EPOCH } from '../leader-epoch.ts'

export const metadataHandler = defineHandler({
  apiKey: ApiKey.Metadata,
  versions: metadataVersions,
  decodeRequest: decodeMetadataRequest,
  handle: async (request: MetadataRequest, context): Promise<MetadataResponse> => ({
    throttleTimeMs: 0,
    brokers: [{ nodeId: context.broker.nodeId, ...context.broker.addressFor(context.connection), rack: null }],
    clusterId: context.broker.clusterId,
    controllerId: context.broker.nodeId,
    topics: await describeRequested(context, request),
    errorCode: KafkaError.NONE,
  }),
  encodeResponse: encodeMetadataResponse,
})

/**
 * As Kafka answers: a topic the client may not describe is left out of an all-topics answer and
 * refused when named (whether or not it exists, so its existence is not given away), and a missing
 * topic it may not create is refused rather than created.
 */
async function describeRequested(context: RequestContext, request: MetadataRequest): Promise<MetadataTopic[]> {
  const { broker } = context
  if (request.topics === null) {
    const names = (await broker.log.listTopics({ includeInternal: true })).filter((name) => canTopic(context, 'Describe', name))
    return Promise.all(names.map(async (name) => topicMetadata(broker, await broker.log.describeTopic(name))))
  }
  return Promise.all(
    request.topics.map(async (requested) => {
      // As Kafka reads a request: a non-zero id names the topic and the name beside it is ignored (the
      // Java client sends "" there, not null).
      const { topicId } = requested
      const name = topicId.equals(ZERO_UUID) ? requested.name : null
      try {
        if (name !== null && !canTopic(context, 'Describe', name)) return missingTopic(name, topicId, KafkaError.TOPIC_AUTHORIZATION_FAILED)
        const mayCreate = name !== null && request.allowAutoTopicCreation && broker.autoCreateTopics && !broker.log.hasTopic(name)
        if (mayCreate && !canTopic(context, 'Create', name)) return missingTopic(name, topicId, KafkaError.TOPIC_AUTHORIZATION_FAILED)
        const topic = name === null ? await topicById(broker, topicId) : await broker.topicForClient(name, request.allowAutoTopicCreation)
        if (topic && name === null && !canTopic(context, 'Describe', topic.name))
          return missingTopic(null, topicId, KafkaError.TOPIC_AUTHORIZATION_FAILED)
        if (topic) return topicMetadata(broker, topic)
        return missingTopic(name, topicId, name === null ? KafkaError.UNKNOWN_TOPIC_ID : KafkaError.UNKNOWN_TOPIC_OR_PARTITION)
      } catch (error) {
        return missingTopic(name, topicId, kafkaErrorCodeOf(error))
      }
    }),
  )
}

function topicMetadata(broker: Broker, topic: TopicDescription): MetadataTopic {
  const replicas = [broker.nodeId]
  return {
    errorCode: KafkaError.NONE,
    name: topic.name,
    topicId: uuidToBytes(topic.id),
    isInternal: topic.name.startsWith('__'),
    partitions: topic.partitions.map((p) => ({
      errorCode: KafkaError.NONE,
      partitionIndex: p.partition,
      leaderId: broker.nodeId,
      leaderEpoch: LEADER_EPOCH,
      replicaNodes: replicas,
      isrNodes: replicas,
      offlineReplicas: [],
    })),
  }
}

function missingTopic(name: string | null, topicId: Buffer, errorCode: number): MetadataTopic {
  return { errorCode, name, topicId: name === null ? topicId : ZERO_UUID, isInternal: false, partitions: [] }
}
