/**
 * DescribeCluster (key 60), versions 0-2; flexible from 0. The Java Admin client's describeCluster
 * (cluster id, controller, brokers) asks it before it would fall back to Metadata.
 *
 * DescribeCluster Request (Version: 0-2) => include_cluster_authorized_operations endpoint_type(1+) include_fenced_brokers(2+) TAG_BUFFER
 * DescribeCluster Response (Version: 0-2) => throttle_time_ms error_code error_message endpoint_type(1+) cluster_id controller_id [brokers] cluster_authorized_operations TAG_BUFFER
 *   brokers => broker_id host port rack is_fenced(2+) TAG_BUFFER
 * endpoint_type: 1 brokers, 2 controllers (KIP-919).
 */
import type { KafkaReader } from '../reader.ts'
import type { KafkaWriter } from '../writer.ts'

export const describeClusterVersions = { min: 0, max: 2, flexibleFrom: 0 } as const

export const ENDPOINT_BROKERS = 1
export const ENDPOINT_CONTROLLERS = 2

export interface DescribeClusterRequest {
  readonly includeClusterAuthorizedOperations: boolean
  readonly endpointType: number
  readonly includeFencedBrokers: boolean
}

export interface DescribedBroker {
  readonly brokerId: number
  readonly host: string
  readonly port: number
  readonly rack: string | null
  readonly isFenced: boolean
}

export interface DescribeClusterResponse {
  readonly throttleTimeMs: number
  readonly errorCode: number
  readonly errorMessage: string | null
  readonly endpointType: number
  readonly clusterId: string
  readonly controllerId: number
  readonly brokers: readonly DescribedBroker[]
  readonly clusterAuthorizedOperations: number
}

export function decodeDescribeClusterRequest(r: KafkaReader, v: number): DescribeClusterRequest {
  const includeClusterAuthorizedOperations = r.bool()
  const endpointType = v >= 1 ? r.int8() : ENDPOINT_BROKERS
  const includeFencedBrokers = v >= 2 ? r.bool() : false
  r.taggedFields()
  return { includeClusterAuthorizedOperations, endpointType, includeFencedBrokers }
}

export function encodeDescribeClusterRequest(w: KafkaWriter, v: number, request: DescribeClusterRequest): void {
  w.bool(request.includeClusterAuthorizedOperations)
  if (v >= 1) w.int8(request.endpointType)
  if (v >= 2) w.bool(request.includeFencedBrokers)
  w.taggedFields()
}

export function encodeDescribeClusterResponse(w: KafkaWriter, v: number, response: DescribeClusterResponse): void {
  w.int32(response.throttleTimeMs).int16(response.errorCode).nullableString(response.errorMessage)
  if (v >= 1) w.int8(response.endpointType)
  w.string(response.clusterId).int32(response.controllerId)
  w.array(response.brokers, (b, broker) => {
    b.int32(broker.brokerId).string(broker.host).int32(broker.port).nullableString(broker.rack)
    if (v >= 2) b.bool(broker.isFenced)
    b.taggedFields()
  })
  w.int32(response.clusterAuthorizedOperations)
  w.taggedFields()
}

export function decodeDescribeClusterResponse(r: KafkaReader, v: number): DescribeClusterResponse {
  const throttleTimeMs = r.int32()
  const errorCode = r.int16()
  const errorMessage = r.nullableString()
  const endpointType = v >= 1 ? r.int8() : ENDPOINT_BROKERS
  const clusterId = r.string()
  const controllerId = r.int32()
  const brokers = r.array((b) => {
    const broker = { brokerId: b.int32(), host: b.string(), port: b.int32(), rack: b.nullableString(), isFenced: v >= 2 ? b.bool() : false }
    b.taggedFields()
    return broker
  })
  const clusterAuthorizedOperations = r.int32()
  r.taggedFields()
  return { throttleTimeMs, errorCode, errorMessage, endpointType, clusterId, controllerId, brokers, clusterAuthorizedOperations }
}
