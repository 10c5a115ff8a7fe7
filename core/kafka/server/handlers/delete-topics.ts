/**
 * DeleteTopics: removes topics of the embedded log, each answered on its own, named by name or (v6+)
 * by id, as Kafka answers: an unknown id is UNKNOWN_TOPIC_ID, a topic given both ways INVALID_REQUEST,
 * and from v6 each answer carries the topic's name and id. The group coordinator's offsets topic is
 * kept: deleting it under the coordinator would lose every group's committed offsets, so it is
 * answered as a topic whose deletion is disabled.
 */
import { OFFSETS_TOPIC } from '../../../log/groups/offset-store.ts'
import { ApiKey } from '../../protocol/api-keys.ts'
import {
  decodeDeleteTopicsRequest,
  deleteTopicsVersions,
  encodeDeleteTopicsResponse,
  type DeletableTopicResult,
  type DeleteTopicsRequest,
  type DeleteTopicsResponse,
  type DeleteTopicState,
} from '../../protocol/apis/delete-topics.ts'
import { KafkaError } from '../../protocol/error-codes.ts'
import { uuidToBytes, ZERO_UUID } from '../../protocol/uuid.ts'
import { adminError } from '../admin-error.ts'
import { defineHandler } from '../api-handler.ts'
import type { RequestContext } from '../api-handler.ts'
import { canTopic } from '../auth/can.ts'
import { topicById } from '../topic-by-id.ts'

export const deleteTopicsHandler = defineHandler({
  apiKey: ApiKey.DeleteTopics,
  versions: deleteTopicsVersions,
  decodeRequest: decodeDeleteTopicsRequest,
  handle: async (request: DeleteTopicsRequest, context): Promise<DeleteTopicsResponse> => {
    const states: DeleteTopicState[] =
      context.header.apiVersion >= 6 ? [...request.topics] : request.topicNames.map((name) => ({ name, topicId: ZERO_UUID }))
    const responses: DeletableTopicResult[] = []
    // A topic given twice is deleted and answered once, as Kafka does.
    const seen = new Set<string>()
    for (const state of states) {
      const key = state.name ?? state.topicId.toString('hex')
      if (seen.has(key)) continue
      seen.add(key)
      responses.push(await deleteTopic(context, state))
    }
    return { throttleTimeMs: 0, responses }
  },
  encodeResponse: encodeDeleteTopicsResponse,
})

async function deleteTopic(context: RequestContext, state: DeleteTopicState): Promise<DeletableTopicResult> {
  const { broker } = context
  const version = context.header.apiVersion
  const byId = !state.topicId.equals(ZERO_UUID)
  const answer = (name: string | null, topicId: Buffer, errorCode: number, errorMessage: string | null = null): DeletableTopicResult => ({
    name,
    topicId,
    errorCode,
    errorMessage,
  })
  if (byId && state.name !== null)
    return answer(state.name, state.topicId, KafkaError.INVALID_REQUEST, 'You may not specify both topic name and topic id.')
  const topic = byId ? await topicById(broker, state.topicId) : undefined
  if (byId && topic === undefined)
    return answer(null, state.topicId, KafkaError.UNKNOWN_TOPIC_ID, `Topic id ${state.topicId.toString('base64url')} not found.`)
  const name = topic?.name ?? state.name ?? ''
  if (!canTopic(context, 'Delete', name))
    return answer(byId ? null : name, state.topicId, KafkaError.TOPIC_AUTHORIZATION_FAILED, 'Topic authorization failed.')
  if (name === OFFSETS_TOPIC) {
    // Kafka's answer when deletion is disabled: TOPIC_DELETION_DISABLED from v3, INVALID_REQUEST before.
    return answer(name, state.topicId, version >= 3 ? KafkaError.TOPIC_DELETION_DISABLED : KafkaError.INVALID_REQUEST)
  }
  try {
    const { id } = await broker.log.describeTopic(name)
    await broker.log.deleteTopic(name)
    broker.logger.info({ topic: name }, 'deleted a topic for a Kafka client')
    return answer(name, uuidToBytes(id), KafkaError.NONE)
  } catch (error) {
    const { errorCode, errorMessage } = adminError(error, broker, { api: 'DeleteTopics', topic: name })
    return answer(name, state.topicId, errorCode, errorMessage)
  }
}
