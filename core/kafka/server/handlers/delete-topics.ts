/**
 * DeleteTopics: removes topics of the embedded log, each answered on its own. The group
 * coordinator's offsets topic is kept: deleting it under the coordinator would lose every group's
 * committed offsets, so it is answered as a topic whose deletion is disabled.
 */
import { OFFSETS_TOPIC } from '../../../log/groups/offset-store.ts'
import { ApiKey } from '../../protocol/api-keys.ts'
import {
  decodeDeleteTopicsRequest, deleteTopicsVersions, encodeDeleteTopicsResponse,
  type DeletableTopicResult, type DeleteTopicsRequest, type DeleteTopicsResponse,
} from '../../protocol/apis/delete-topics.ts'
import { KafkaError } from '../../protocol/error-codes.ts'
import { adminError } from '../admin-error.ts'
import { defineHandler } from '../api-handler.ts'
import type { RequestContext } from '../api-handler.ts'
import { canTopic } from '../auth/can.ts'

export const deleteTopicsHandler = defineHandler({
  apiKey: ApiKey.DeleteTopics,
  versions: deleteTopicsVersions,
  decodeRequest: decodeDeleteTopicsRequest,
  handle: async (request: DeleteTopicsRequest, context): Promise<DeleteTopicsResponse> => {
    const responses: DeletableTopicResult[] = []
    // A name given twice is deleted and answered once, as Kafka does.
    for (const name of new Set(request.topicNames)) responses.push({ name, errorCode: await deleteTopic(context, name) })
    return { throttleTimeMs: 0, responses }
  },
  encodeResponse: encodeDeleteTopicsResponse,
})

async function deleteTopic(context: RequestContext, name: string): Promise<number> {
  const { broker } = context
  const version = context.header.apiVersion
  if (!canTopic(context, 'Delete', name)) return KafkaError.TOPIC_AUTHORIZATION_FAILED
  if (name === OFFSETS_TOPIC) {
    // Kafka's answer when deletion is disabled: TOPIC_DELETION_DISABLED from v3, INVALID_REQUEST before.
    return version >= 3 ? KafkaError.TOPIC_DELETION_DISABLED : KafkaError.INVALID_REQUEST
  }
  try {
    await broker.log.deleteTopic(name)
    broker.logger.info({ topic: name }, 'deleted a topic for a Kafka client')
    return KafkaError.NONE
  } catch (error) {
    return adminError(error, broker, { api: 'DeleteTopics', topic: name }).errorCode
  }
}
