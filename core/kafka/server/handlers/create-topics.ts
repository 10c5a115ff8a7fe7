/**
 * CreateTopics: topics of the embedded log, refused or made as Kafka would on a one-broker cluster.
 * Every topic is answered on its own. Replication is 1 by nature: a factor of -1 (the default) or 1
 * is accepted, and a manual assignment only when it puts each partition on this broker alone. A
 * created topic is answered with its id (v7+); a validate-only one with the zero id.
 */
import { OFFSETS_TOPIC } from '../../../log/groups/offset-store.ts'
import { MAX_PARTITIONS, parseTopicConfig, validateTopicName } from '../../../log/topic-config.ts'
import { TributaryError } from '../../../errors.ts'
import { ApiKey } from '../../protocol/api-keys.ts'
import {
  createTopicsVersions,
  decodeCreateTopicsRequest,
  encodeCreateTopicsResponse,
  type CreatableTopic,
  type CreatableTopicResult,
  type CreateTopicsRequest,
  type CreateTopicsResponse,
} from '../../protocol/apis/create-topics.ts'
import { KafkaError } from '../../protocol/error-codes.ts'
import { uuidToBytes, ZERO_UUID } from '../../protocol/uuid.ts'
import { answerEach, replicaPlacementProblem } from '../admin-checks.ts'
import { adminError, type AdminError } from '../admin-error.ts'
import { defineHandler } from '../api-handler.ts'
import type { Broker } from '../broker.ts'
import { canTopic } from '../auth/can.ts'
import { topicConfigEntries, topicConfigFromKafka } from '../topic-config-entries.ts'

export const createTopicsHandler = defineHandler({
  apiKey: ApiKey.CreateTopics,
  versions: createTopicsVersions,
  decodeRequest: decodeCreateTopicsRequest,
  handle: async (request: CreateTopicsRequest, context): Promise<CreateTopicsResponse> => ({
    throttleTimeMs: 0,
    topics: await answerEach(
      request.topics,
      (name) => failed(name, invalidRequest('Duplicate topic name.')),
      (topic) =>
        canTopic(context, 'Create', topic.name)
          ? createTopic(context.broker, topic, request.validateOnly)
          : Promise.resolve(
              failed(topic.name, {
                errorCode: KafkaError.TOPIC_AUTHORIZATION_FAILED,
                errorMessage: `not authorized to create topic ${topic.name}`,
              }),
            ),
    ),
  }),
  encodeResponse: encodeCreateTopicsResponse,
})

async function createTopic(broker: Broker, topic: CreatableTopic, validateOnly: boolean): Promise<CreatableTopicResult> {
  const { name } = topic
  try {
    // Kafka's order: the name, then whether it exists, then the configs, then the layout.
    validateTopicName(name)
    if (name === OFFSETS_TOPIC) return failed(name, invalidRequest(`${OFFSETS_TOPIC} is made by the group coordinator, not by clients`))
    if (broker.log.hasTopic(name))
      throw new TributaryError('TRB_TOPIC_EXISTS', `topic ${name} already exists`, { details: { topic: name } })
    const configs = topicConfigFromKafka(name, topic.configs)
    const layout = checkLayout(topic)
    if (typeof layout !== 'number') return failed(name, layout)
    const partitions = layout === -1 ? broker.defaultPartitions : layout
    const input = { ...configs, partitions }
    let topicId: Buffer = ZERO_UUID
    if (!validateOnly) {
      topicId = uuidToBytes((await broker.log.createTopic(name, input)).id)
      broker.logger.info({ topic: name, partitions }, 'created a topic for a Kafka client')
    }
    const entries = topicConfigEntries(parseTopicConfig(name, input), {
      overrides: Object.keys(configs),
      includeSynonyms: false,
      includeDocumentation: false,
    })
    return {
      name,
      topicId,
      errorCode: KafkaError.NONE,
      errorMessage: null,
      topicConfigErrorCode: KafkaError.NONE,
      numPartitions: partitions,
      replicationFactor: 1,
      configs: entries.map(({ name: key, value, readOnly, configSource, isSensitive }) => ({
        name: key,
        value,
        readOnly,
        configSource,
        isSensitive,
      })),
    }
  } catch (error) {
    return failed(name, adminError(error, broker, { api: 'CreateTopics', topic: name }))
  }
}

/**
 * The partition count a topic asks for (-1: the broker's default), or why its partitions and
 * replicas cannot be laid out here. The checks and messages follow Kafka's controller.
 */
function checkLayout(topic: CreatableTopic): number | AdminError {
  if (topic.assignments.length > 0) {
    if (topic.replicationFactor !== -1)
      return invalidRequest('A manual partition assignment was specified, but replication factor was not set to -1.')
    if (topic.numPartitions !== -1)
      return invalidRequest('A manual partition assignment was specified, but numPartitions was not set to -1.')
    const indexes = new Set<number>()
    for (const { partitionIndex, brokerIds } of topic.assignments) {
      if (indexes.has(partitionIndex))
        return invalidAssignment(`Found multiple manual partition assignments for partition ${partitionIndex}`)
      indexes.add(partitionIndex)
      const problem = replicaPlacementProblem(brokerIds)
      if (problem) return invalidAssignment(`partition ${partitionIndex}: ${problem}`)
    }
    for (let i = 0; i < indexes.size; i++) {
      if (!indexes.has(i)) return invalidAssignment('partitions should be a consecutive 0-based integer sequence')
    }
    return indexes.size > MAX_PARTITIONS ? tooManyPartitions(indexes.size) : indexes.size
  }
  if (topic.replicationFactor === 0 || topic.replicationFactor < -1) {
    return {
      errorCode: KafkaError.INVALID_REPLICATION_FACTOR,
      errorMessage: 'Replication factor must be larger than 0, or -1 to use the default value.',
    }
  }
  if (topic.replicationFactor > 1) {
    return {
      errorCode: KafkaError.INVALID_REPLICATION_FACTOR,
      errorMessage: `Unable to replicate the partition ${topic.replicationFactor} time(s): this cluster has one broker (node 0).`,
    }
  }
  if (topic.numPartitions === 0 || topic.numPartitions < -1) {
    return { errorCode: KafkaError.INVALID_PARTITIONS, errorMessage: 'Number of partitions was set to an invalid non-positive value.' }
  }
  return topic.numPartitions > MAX_PARTITIONS ? tooManyPartitions(topic.numPartitions) : topic.numPartitions
}

function invalidRequest(errorMessage: string): AdminError {
  return { errorCode: KafkaError.INVALID_REQUEST, errorMessage }
}

function invalidAssignment(errorMessage: string): AdminError {
  return { errorCode: KafkaError.INVALID_REPLICA_ASSIGNMENT, errorMessage }
}

function tooManyPartitions(count: number): AdminError {
  return {
    errorCode: KafkaError.INVALID_PARTITIONS,
    errorMessage: `${count} partitions is more than the ${MAX_PARTITIONS} a topic may have`,
  }
}

function failed(name: string, error: AdminError): CreatableTopicResult {
  return {
    name,
    topicId: ZERO_UUID,
    ...error,
    topicConfigErrorCode: KafkaError.NONE,
    numPartitions: -1,
    replicationFactor: -1,
    configs: [],
  }
}
