/**
 * CreateAcls: stores ACLs in the listener's ACL topic, each creation answered on its own. The
 * principal needs Alter on the cluster (a super user, or one granted it explicitly); a listener
 * without ACL storage answers SECURITY_DISABLED, as a Kafka broker without an authorizer does.
 */
import { ApiKey } from '../../protocol/api-keys.ts'
import {
  createAclsVersions,
  decodeCreateAclsRequest,
  encodeCreateAclsResponse,
  type CreateAclsRequest,
  type CreateAclsResponse,
} from '../../protocol/apis/create-acls.ts'
import { KafkaError } from '../../protocol/error-codes.ts'
import { adminError } from '../admin-error.ts'
import { defineHandler } from '../api-handler.ts'
import type { AclBinding } from '../auth/acl-binding.ts'
import { canCluster } from '../auth/can.ts'
import { bindingOf } from './acl-request.ts'

export const createAclsHandler = defineHandler({
  apiKey: ApiKey.CreateAcls,
  versions: createAclsVersions,
  decodeRequest: decodeCreateAclsRequest,
  handle: async (request: CreateAclsRequest, context): Promise<CreateAclsResponse> => {
    const all = (errorCode: number, errorMessage: string) => ({
      throttleTimeMs: 0,
      results: request.creations.map(() => ({ errorCode, errorMessage })),
    })
    const acls = context.broker.acls
    if (!acls) return all(KafkaError.SECURITY_DISABLED, 'this listener keeps no ACLs')
    if (!canCluster(context, 'Alter'))
      return all(
        KafkaError.CLUSTER_AUTHORIZATION_FAILED,
        'creating ACLs needs Alter on the cluster: connect as a super user (TRIBUTARY_KAFKA_SUPER_USERS)',
      )
    const bindings = request.creations.map(bindingOf)
    const valid = bindings.filter((b): b is AclBinding => typeof b !== 'string')
    try {
      await acls.add(valid)
    } catch (error) {
      const { errorCode, errorMessage } = adminError(error, context.broker, { api: 'CreateAcls' })
      return all(errorCode, errorMessage)
    }
    if (valid.length > 0)
      context.broker.logger.info({ principal: context.session.principal, acls: valid.length }, 'created ACLs for a Kafka client')
    return {
      throttleTimeMs: 0,
      results: bindings.map((b) =>
        typeof b === 'string'
          ? { errorCode: KafkaError.INVALID_REQUEST, errorMessage: b }
          : { errorCode: KafkaError.NONE, errorMessage: null },
      ),
    }
  },
  encodeResponse: encodeCreateAclsResponse,
})
