/**
 * DescribeCluster: the cluster id, the controller and the brokers, which the Java Admin client's
 * describeCluster asks for. The listener is a one-broker cluster that is its own controller. As Kafka
 * does, anyone connected may ask; the cluster's authorized operations are given only when asked for,
 * and are none for a principal that may not describe the cluster; controllers cannot be described through
 * a broker (UNSUPPORTED_ENDPOINT_TYPE).
 */
import { ApiKey } from '../../protocol/api-keys.ts'
import {
  decodeDescribeClusterRequest,
  describeClusterVersions,
  encodeDescribeClusterResponse,
  ENDPOINT_BROKERS,
  type DescribeClusterResponse,
} from '../../protocol/apis/describe-cluster.ts'
import { AUTHORIZED_OPERATIONS_OMITTED } from '../../protocol/apis/describe-groups.ts'
import { KafkaError } from '../../protocol/error-codes.ts'
import { defineHandler, type RequestContext } from '../api-handler.ts'
import { operationCode } from '../auth/acl-binding.ts'
import type { AclOperation } from '../auth/authorizer.ts'
import { canCluster } from '../auth/can.ts'

/** The operations Kafka defines on the cluster resource. */
const CLUSTER_OPERATIONS: readonly AclOperation[] = [
  'Create',
  'ClusterAction',
  'DescribeConfigs',
  'AlterConfigs',
  'IdempotentWrite',
  'Alter',
  'Describe',
]

/** As Kafka: 0 for a principal that may not describe the cluster, else the bits of what it may do. */
function clusterOperations(context: RequestContext): number {
  if (!canCluster(context, 'Describe')) return 0
  return CLUSTER_OPERATIONS.filter((operation) => canCluster(context, operation)).reduce(
    (bits, operation) => bits | (1 << operationCode(operation)),
    0,
  )
}

export const describeClusterHandler = defineHandler({
  apiKey: ApiKey.DescribeCluster,
  versions: describeClusterVersions,
  decodeRequest: decodeDescribeClusterRequest,
  handle: async (request, context): Promise<DescribeClusterResponse> => {
    const base = { throttleTimeMs: 0, endpointType: request.endpointType, clusterId: context.broker.clusterId }
    if (request.endpointType !== ENDPOINT_BROKERS) {
      return {
        ...base,
        errorCode: KafkaError.UNSUPPORTED_ENDPOINT_TYPE,
        errorMessage: 'this listener is a broker: it describes brokers (endpoint type 1), not controllers',
        controllerId: -1,
        brokers: [],
        clusterAuthorizedOperations: AUTHORIZED_OPERATIONS_OMITTED,
      }
    }
    return {
      ...base,
      errorCode: KafkaError.NONE,
      errorMessage: null,
      controllerId: context.broker.nodeId,
      brokers: [{ brokerId: context.broker.nodeId, ...context.broker.addressFor(context.connection), rack: null, isFenced: false }],
      clusterAuthorizedOperations: request.includeClusterAuthorizedOperations ? clusterOperations(context) : AUTHORIZED_OPERATIONS_OMITTED,
    }
  },
  encodeResponse: encodeDescribeClusterResponse,
})
