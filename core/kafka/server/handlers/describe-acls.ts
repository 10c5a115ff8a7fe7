/**
 * DescribeAcls: the stored ACLs a filter matches, grouped by resource pattern as Kafka answers. The
 * principal needs Describe on the cluster.
 */
import { AclPatternType } from '../../protocol/acl-codes.ts'
import { ApiKey } from '../../protocol/api-keys.ts'
import {
  decodeDescribeAclsRequest,
  describeAclsVersions,
  encodeDescribeAclsResponse,
  type AclFilter,
  type DescribeAclsResponse,
  type DescribedAclResource,
} from '../../protocol/apis/describe-acls.ts'
import { KafkaError } from '../../protocol/error-codes.ts'
import { defineHandler } from '../api-handler.ts'
import { matchesFilter, type AclBinding } from '../auth/acl-binding.ts'
import { canCluster } from '../auth/can.ts'
import { wireAcl } from './acl-request.ts'

export const describeAclsHandler = defineHandler({
  apiKey: ApiKey.DescribeAcls,
  versions: describeAclsVersions,
  decodeRequest: decodeDescribeAclsRequest,
  handle: async (filter: AclFilter, context): Promise<DescribeAclsResponse> => {
    const refuse = (errorCode: number, errorMessage: string): DescribeAclsResponse => ({
      throttleTimeMs: 0,
      errorCode,
      errorMessage,
      resources: [],
    })
    const acls = context.broker.acls
    if (!acls) return refuse(KafkaError.SECURITY_DISABLED, 'this listener keeps no ACLs')
    if (!canCluster(context, 'Describe'))
      return refuse(
        KafkaError.CLUSTER_AUTHORIZATION_FAILED,
        'describing ACLs needs Describe on the cluster: connect as a super user (TRIBUTARY_KAFKA_SUPER_USERS)',
      )
    if (filter.patternTypeFilter === AclPatternType.UNKNOWN)
      return refuse(KafkaError.INVALID_REQUEST, 'the pattern type filter must not be UNKNOWN')
    return {
      throttleTimeMs: 0,
      errorCode: KafkaError.NONE,
      errorMessage: null,
      resources: byResource(acls.list().filter((acl) => matchesFilter(acl, filter))),
    }
  },
  encodeResponse: encodeDescribeAclsResponse,
})

function byResource(matched: readonly AclBinding[]): DescribedAclResource[] {
  const resources = new Map<
    string,
    { resourceType: number; resourceName: string; patternType: number; acls: DescribedAclResource['acls'][number][] }
  >()
  for (const acl of matched) {
    const wire = wireAcl(acl)
    const key = `${wire.resourceType}\0${wire.resourcePatternType}\0${wire.resourceName}`
    const resource = resources.get(key) ?? {
      resourceType: wire.resourceType,
      resourceName: wire.resourceName,
      patternType: wire.resourcePatternType,
      acls: [],
    }
    resource.acls.push({ principal: wire.principal, host: wire.host, operation: wire.operation, permissionType: wire.permissionType })
    resources.set(key, resource)
  }
  return [...resources.values()]
}
