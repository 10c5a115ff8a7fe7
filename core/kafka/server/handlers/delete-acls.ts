/**
 * DeleteAcls: removes the stored ACLs each filter matches and answers, per filter, the ACLs it
 * matched (an ACL two filters match is deleted once and listed under both, as Kafka lists it). The
 * principal needs Alter on the cluster.
 */
import { AclPatternType } from '../../protocol/acl-codes.ts'
import { ApiKey } from '../../protocol/api-keys.ts'
import {
  decodeDeleteAclsRequest,
  deleteAclsVersions,
  encodeDeleteAclsResponse,
  type DeleteAclsRequest,
  type DeleteAclsResponse,
} from '../../protocol/apis/delete-acls.ts'
import { KafkaError } from '../../protocol/error-codes.ts'
import { adminError } from '../admin-error.ts'
import { defineHandler } from '../api-handler.ts'
import { matchesFilter, type AclBinding } from '../auth/acl-binding.ts'
import { canCluster } from '../auth/can.ts'
import { wireAcl } from './acl-request.ts'

export const deleteAclsHandler = defineHandler({
  apiKey: ApiKey.DeleteAcls,
  versions: deleteAclsVersions,
  decodeRequest: decodeDeleteAclsRequest,
  handle: async (request: DeleteAclsRequest, context): Promise<DeleteAclsResponse> => {
    const all = (errorCode: number, errorMessage: string): DeleteAclsResponse => ({
      throttleTimeMs: 0,
      filterResults: request.filters.map(() => ({ errorCode, errorMessage, matchingAcls: [] })),
    })
    const acls = context.broker.acls
    if (!acls) return all(KafkaError.SECURITY_DISABLED, 'this listener keeps no ACLs')
    if (!canCluster(context, 'Alter'))
      return all(
        KafkaError.CLUSTER_AUTHORIZATION_FAILED,
        'deleting ACLs needs Alter on the cluster: connect as a super user (TRIBUTARY_KAFKA_SUPER_USERS)',
      )
    const stored = acls.list()
    const matches = request.filters.map((filter) =>
      filter.patternTypeFilter === AclPatternType.UNKNOWN ? undefined : stored.filter((acl) => matchesFilter(acl, filter)),
    )
    const doomed = new Set<AclBinding>(matches.flatMap((m) => m ?? []))
    try {
      await acls.remove([...doomed])
    } catch (error) {
      const { errorCode, errorMessage } = adminError(error, context.broker, { api: 'DeleteAcls' })
      return all(errorCode, errorMessage)
    }
    if (doomed.size > 0)
      context.broker.logger.info({ principal: context.session.principal, acls: doomed.size }, 'deleted ACLs for a Kafka client')
    return {
      throttleTimeMs: 0,
      filterResults: matches.map((matched) =>
        matched === undefined
          ? { errorCode: KafkaError.INVALID_REQUEST, errorMessage: 'the pattern type filter must not be UNKNOWN', matchingAcls: [] }
          : {
              errorCode: KafkaError.NONE,
              errorMessage: null,
              matchingAcls: matched.map((acl) => {
                const wire = wireAcl(acl)
                return { errorCode: KafkaError.NONE, errorMessage: null, ...wire, patternType: wire.resourcePatternType }
              }),
            },
      ),
    }
  },
  encodeResponse: encodeDeleteAclsResponse,
})
