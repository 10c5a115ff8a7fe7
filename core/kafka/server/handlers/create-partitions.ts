/**
 * CreatePartitions: grows topics of the embedded log, each answered on its own. Manual assignments
 * are accepted when they put every new partition on this broker alone.
 */
import { MAX_PARTITIONS } from '../../../log/topic-config.ts'
import { ApiKey } from '../../protocol/api-keys.ts'
import {
  createPartitionsVersions,
  decodeCreatePartitionsRequest,
  encodeCreatePartitionsResponse,
  type CreatePartitionsRequest,
  type CreatePartitionsResponse,
  type CreatePartitionsTopic,
  type CreatePartitionsTopicResult,
} from '../../protocol/apis/create-partitions.ts'
import { KafkaError } from '../../protocol/error-codes.ts'
import { answerEach, replicaPlacementProblem } from '../admin-checks.ts'
import { adminError, type AdminError } from '../admin-error.ts'
import { defineHandler } from '../api-handler.ts'
import type { Broker } from '../broker.ts'
import { canTopic } from '../auth/can.ts'

export const createPartitionsHandler = defineHandler({
  apiKey: ApiKey.CreatePartitions,
  versions: createPartitionsVersions,
  decodeRequest: decodeCreatePartitionsRequest,
  handle: async (request: CreatePartitionsRequest, context): Promise<CreatePartitionsResponse> => ({
    throttleTimeMs: 0,
    results: await answerEach(
      request.topics,
      (name): CreatePartitionsTopicResult => ({ name, errorCode: KafkaError.INVALID_REQUEST, errorMessage: 'Duplicate topic in request.' }),
      async (topic) =>
        canTopic(context, 'Alter', topic.name)
          ? { name: topic.name, ...(await createPartitions(context.broker, topic, request.validateOnly)) }
          : {
              name: topic.name,
              errorCode: KafkaError.TOPIC_AUTHORIZATION_FAILED,
              errorMessage: `not authorized to alter topic ${topic.name}`,
            },
    ),
  }),
  encodeResponse: encodeCreatePartitionsResponse,
})

async function createPartitions(
  broker: Broker,
  topic: CreatePartitionsTopic,
  validateOnly: boolean,
): Promise<AdminError | { errorCode: 0; errorMessage: null }> {
  try {
    const current = (await broker.log.describeTopic(topic.name)).partitions.length
    const refused = checkGrowth(topic, current)
    if (refused) return refused
    if (!validateOnly) {
      await broker.log.createPartitions(topic.name, topic.count)
      broker.logger.info({ topic: topic.name, from: current, to: topic.count }, 'added partitions for a Kafka client')
    }
    return { errorCode: KafkaError.NONE, errorMessage: null }
  } catch (error) {
    return adminError(error, broker, { api: 'CreatePartitions', topic: topic.name })
  }
}

/** Why the topic cannot grow as asked, with Kafka's codes; undefined when it can. */
function checkGrowth(topic: CreatePartitionsTopic, current: number): AdminError | undefined {
  if (topic.count <= current) {
    return {
      errorCode: KafkaError.INVALID_PARTITIONS,
      errorMessage: `Topic ${topic.name} has ${current} partitions; the new count must be larger, not ${topic.count}.`,
    }
  }
  if (topic.count > MAX_PARTITIONS) {
    return {
      errorCode: KafkaError.INVALID_PARTITIONS,
      errorMessage: `${topic.count} partitions is more than the ${MAX_PARTITIONS} a topic may have.`,
    }
  }
  if (topic.assignments === null) return undefined
  const added = topic.count - current
  if (topic.assignments.length !== added) {
    return {
      errorCode: KafkaError.INVALID_REPLICA_ASSIGNMENT,
      errorMessage: `Attempted to add ${added} additional partition(s), but only ${topic.assignments.length} assignment(s) were specified.`,
    }
  }
  for (const [i, brokerIds] of topic.assignments.entries()) {
    const problem = replicaPlacementProblem(brokerIds)
    if (problem) return { errorCode: KafkaError.INVALID_REPLICA_ASSIGNMENT, errorMessage: `partition ${current + i}: ${problem}` }
  }
  return undefined
}
