/** The client side of every API the listener serves (core/kafka/server/handlers/index.ts), for KafkaWireClient. */
import { ApiKey } from '../../core/kafka/protocol/api-keys.ts'
import { apiVersionsVersions, decodeApiVersionsResponse, encodeApiVersionsRequest } from '../../core/kafka/protocol/apis/api-versions.ts'
import {
  createPartitionsVersions,
  decodeCreatePartitionsResponse,
  encodeCreatePartitionsRequest,
} from '../../core/kafka/protocol/apis/create-partitions.ts'
import {
  createTopicsVersions,
  decodeCreateTopicsResponse,
  encodeCreateTopicsRequest,
} from '../../core/kafka/protocol/apis/create-topics.ts'
import {
  decodeDeleteGroupsResponse,
  deleteGroupsVersions,
  encodeDeleteGroupsRequest,
} from '../../core/kafka/protocol/apis/delete-groups.ts'
import {
  decodeDeleteTopicsResponse,
  deleteTopicsVersions,
  encodeDeleteTopicsRequest,
} from '../../core/kafka/protocol/apis/delete-topics.ts'
import {
  decodeOffsetDeleteResponse,
  encodeOffsetDeleteRequest,
  offsetDeleteVersions,
} from '../../core/kafka/protocol/apis/offset-delete.ts'
import {
  alterConfigsVersions,
  decodeAlterConfigsResponse,
  encodeAlterConfigsRequest,
} from '../../core/kafka/protocol/apis/alter-configs.ts'
import {
  decodeIncrementalAlterConfigsResponse,
  encodeIncrementalAlterConfigsRequest,
  incrementalAlterConfigsVersions,
} from '../../core/kafka/protocol/apis/incremental-alter-configs.ts'
import {
  decodeOffsetForLeaderEpochResponse,
  encodeOffsetForLeaderEpochRequest,
  offsetForLeaderEpochVersions,
} from '../../core/kafka/protocol/apis/offset-for-leader-epoch.ts'
import {
  decodeDeleteRecordsResponse,
  deleteRecordsVersions,
  encodeDeleteRecordsRequest,
} from '../../core/kafka/protocol/apis/delete-records.ts'
import {
  decodeDescribeLogDirsResponse,
  describeLogDirsVersions,
  encodeDescribeLogDirsRequest,
} from '../../core/kafka/protocol/apis/describe-log-dirs.ts'
import {
  decodeDescribeClusterResponse,
  describeClusterVersions,
  encodeDescribeClusterRequest,
} from '../../core/kafka/protocol/apis/describe-cluster.ts'
import {
  decodeDescribeConfigsResponse,
  describeConfigsVersions,
  encodeDescribeConfigsRequest,
} from '../../core/kafka/protocol/apis/describe-configs.ts'
import {
  decodeDescribeGroupsResponse,
  describeGroupsVersions,
  encodeDescribeGroupsRequest,
} from '../../core/kafka/protocol/apis/describe-groups.ts'
import { decodeFetchResponse, encodeFetchRequest, fetchVersions } from '../../core/kafka/protocol/apis/fetch.ts'
import {
  decodeFindCoordinatorResponse,
  encodeFindCoordinatorRequest,
  findCoordinatorVersions,
} from '../../core/kafka/protocol/apis/find-coordinator.ts'
import { decodeHeartbeatResponse, encodeHeartbeatRequest, heartbeatVersions } from '../../core/kafka/protocol/apis/heartbeat.ts'
import {
  decodeInitProducerIdResponse,
  encodeInitProducerIdRequest,
  initProducerIdVersions,
} from '../../core/kafka/protocol/apis/init-producer-id.ts'
import { decodeJoinGroupResponse, encodeJoinGroupRequest, joinGroupVersions } from '../../core/kafka/protocol/apis/join-group.ts'
import { decodeLeaveGroupResponse, encodeLeaveGroupRequest, leaveGroupVersions } from '../../core/kafka/protocol/apis/leave-group.ts'
import { decodeListGroupsResponse, encodeListGroupsRequest, listGroupsVersions } from '../../core/kafka/protocol/apis/list-groups.ts'
import { decodeListOffsetsResponse, encodeListOffsetsRequest, listOffsetsVersions } from '../../core/kafka/protocol/apis/list-offsets.ts'
import { decodeMetadataResponse, encodeMetadataRequest, metadataVersions } from '../../core/kafka/protocol/apis/metadata.ts'
import {
  decodeOffsetCommitResponse,
  encodeOffsetCommitRequest,
  offsetCommitVersions,
} from '../../core/kafka/protocol/apis/offset-commit.ts'
import { decodeOffsetFetchResponse, encodeOffsetFetchRequest, offsetFetchVersions } from '../../core/kafka/protocol/apis/offset-fetch.ts'
import { decodeProduceResponse, encodeProduceRequest, produceVersions } from '../../core/kafka/protocol/apis/produce.ts'
import {
  decodeSaslAuthenticateResponse,
  encodeSaslAuthenticateRequest,
  saslAuthenticateVersions,
} from '../../core/kafka/protocol/apis/sasl-authenticate.ts'
import {
  decodeSaslHandshakeResponse,
  encodeSaslHandshakeRequest,
  saslHandshakeVersions,
} from '../../core/kafka/protocol/apis/sasl-handshake.ts'
import { decodeSyncGroupResponse, encodeSyncGroupRequest, syncGroupVersions } from '../../core/kafka/protocol/apis/sync-group.ts'
import { createAclsVersions, decodeCreateAclsResponse, encodeCreateAclsRequest } from '../../core/kafka/protocol/apis/create-acls.ts'
import { decodeDeleteAclsResponse, deleteAclsVersions, encodeDeleteAclsRequest } from '../../core/kafka/protocol/apis/delete-acls.ts'
import {
  decodeDescribeAclsResponse,
  describeAclsVersions,
  encodeDescribeAclsRequest,
} from '../../core/kafka/protocol/apis/describe-acls.ts'
import {
  addOffsetsToTxnVersions,
  decodeAddOffsetsToTxnResponse,
  encodeAddOffsetsToTxnRequest,
} from '../../core/kafka/protocol/apis/add-offsets-to-txn.ts'
import {
  addPartitionsToTxnVersions,
  decodeAddPartitionsToTxnResponse,
  encodeAddPartitionsToTxnRequest,
} from '../../core/kafka/protocol/apis/add-partitions-to-txn.ts'
import { decodeEndTxnResponse, encodeEndTxnRequest, endTxnVersions } from '../../core/kafka/protocol/apis/end-txn.ts'
import {
  decodeTxnOffsetCommitResponse,
  encodeTxnOffsetCommitRequest,
  txnOffsetCommitVersions,
} from '../../core/kafka/protocol/apis/txn-offset-commit.ts'
import {
  decodeDescribeTransactionsResponse,
  describeTransactionsVersions,
  encodeDescribeTransactionsRequest,
} from '../../core/kafka/protocol/apis/describe-transactions.ts'
import {
  decodeListTransactionsResponse,
  encodeListTransactionsRequest,
  listTransactionsVersions,
} from '../../core/kafka/protocol/apis/list-transactions.ts'
import type { WireApi } from './kafka-wire-client.ts'

function api<Req, Res>(
  apiKey: number,
  versions: WireApi<Req, Res>['versions'],
  encodeRequest: WireApi<Req, Res>['encodeRequest'],
  decodeResponse: WireApi<Req, Res>['decodeResponse'],
): WireApi<Req, Res> {
  return { apiKey, versions, encodeRequest, decodeResponse }
}

export const wireApis = {
  produce: api(ApiKey.Produce, produceVersions, encodeProduceRequest, decodeProduceResponse),
  fetch: api(ApiKey.Fetch, fetchVersions, encodeFetchRequest, decodeFetchResponse),
  listOffsets: api(ApiKey.ListOffsets, listOffsetsVersions, encodeListOffsetsRequest, decodeListOffsetsResponse),
  metadata: api(ApiKey.Metadata, metadataVersions, encodeMetadataRequest, decodeMetadataResponse),
  offsetCommit: api(ApiKey.OffsetCommit, offsetCommitVersions, encodeOffsetCommitRequest, decodeOffsetCommitResponse),
  offsetFetch: api(ApiKey.OffsetFetch, offsetFetchVersions, encodeOffsetFetchRequest, decodeOffsetFetchResponse),
  findCoordinator: api(ApiKey.FindCoordinator, findCoordinatorVersions, encodeFindCoordinatorRequest, decodeFindCoordinatorResponse),
  joinGroup: api(ApiKey.JoinGroup, joinGroupVersions, encodeJoinGroupRequest, decodeJoinGroupResponse),
  heartbeat: api(ApiKey.Heartbeat, heartbeatVersions, encodeHeartbeatRequest, decodeHeartbeatResponse),
  leaveGroup: api(ApiKey.LeaveGroup, leaveGroupVersions, encodeLeaveGroupRequest, decodeLeaveGroupResponse),
  syncGroup: api(ApiKey.SyncGroup, syncGroupVersions, encodeSyncGroupRequest, decodeSyncGroupResponse),
  describeAcls: api(ApiKey.DescribeAcls, describeAclsVersions, encodeDescribeAclsRequest, decodeDescribeAclsResponse),
  createAcls: api(ApiKey.CreateAcls, createAclsVersions, encodeCreateAclsRequest, decodeCreateAclsResponse),
  deleteAcls: api(ApiKey.DeleteAcls, deleteAclsVersions, encodeDeleteAclsRequest, decodeDeleteAclsResponse),
  describeGroups: api(ApiKey.DescribeGroups, describeGroupsVersions, encodeDescribeGroupsRequest, decodeDescribeGroupsResponse),
  listGroups: api(ApiKey.ListGroups, listGroupsVersions, encodeListGroupsRequest, decodeListGroupsResponse),
  deleteGroups: api(ApiKey.DeleteGroups, deleteGroupsVersions, encodeDeleteGroupsRequest, decodeDeleteGroupsResponse),
  apiVersions: api(ApiKey.ApiVersions, apiVersionsVersions, encodeApiVersionsRequest, decodeApiVersionsResponse),
  saslHandshake: api(ApiKey.SaslHandshake, saslHandshakeVersions, encodeSaslHandshakeRequest, decodeSaslHandshakeResponse),
  saslAuthenticate: api(ApiKey.SaslAuthenticate, saslAuthenticateVersions, encodeSaslAuthenticateRequest, decodeSaslAuthenticateResponse),
  createTopics: api(ApiKey.CreateTopics, createTopicsVersions, encodeCreateTopicsRequest, decodeCreateTopicsResponse),
  deleteTopics: api(ApiKey.DeleteTopics, deleteTopicsVersions, encodeDeleteTopicsRequest, decodeDeleteTopicsResponse),
  initProducerId: api(ApiKey.InitProducerId, initProducerIdVersions, encodeInitProducerIdRequest, decodeInitProducerIdResponse),
  describeConfigs: api(ApiKey.DescribeConfigs, describeConfigsVersions, encodeDescribeConfigsRequest, decodeDescribeConfigsResponse),
  createPartitions: api(ApiKey.CreatePartitions, createPartitionsVersions, encodeCreatePartitionsRequest, decodeCreatePartitionsResponse),
  offsetDelete: api(ApiKey.OffsetDelete, offsetDeleteVersions, encodeOffsetDeleteRequest, decodeOffsetDeleteResponse),
  describeLogDirs: api(ApiKey.DescribeLogDirs, describeLogDirsVersions, encodeDescribeLogDirsRequest, decodeDescribeLogDirsResponse),
  deleteRecords: api(ApiKey.DeleteRecords, deleteRecordsVersions, encodeDeleteRecordsRequest, decodeDeleteRecordsResponse),
  alterConfigs: api(ApiKey.AlterConfigs, alterConfigsVersions, encodeAlterConfigsRequest, decodeAlterConfigsResponse),
  incrementalAlterConfigs: api(
    ApiKey.IncrementalAlterConfigs,
    incrementalAlterConfigsVersions,
    encodeIncrementalAlterConfigsRequest,
    decodeIncrementalAlterConfigsResponse,
  ),
  offsetForLeaderEpoch: api(
    ApiKey.OffsetForLeaderEpoch,
    offsetForLeaderEpochVersions,
    encodeOffsetForLeaderEpochRequest,
    decodeOffsetForLeaderEpochResponse,
  ),
  describeCluster: api(ApiKey.DescribeCluster, describeClusterVersions, encodeDescribeClusterRequest, decodeDescribeClusterResponse),
  addPartitionsToTxn: api(
    ApiKey.AddPartitionsToTxn,
    addPartitionsToTxnVersions,
    encodeAddPartitionsToTxnRequest,
    decodeAddPartitionsToTxnResponse,
  ),
  addOffsetsToTxn: api(ApiKey.AddOffsetsToTxn, addOffsetsToTxnVersions, encodeAddOffsetsToTxnRequest, decodeAddOffsetsToTxnResponse),
  endTxn: api(ApiKey.EndTxn, endTxnVersions, encodeEndTxnRequest, decodeEndTxnResponse),
  txnOffsetCommit: api(ApiKey.TxnOffsetCommit, txnOffsetCommitVersions, encodeTxnOffsetCommitRequest, decodeTxnOffsetCommitResponse),
  describeTransactions: api(
    ApiKey.DescribeTransactions,
    describeTransactionsVersions,
    encodeDescribeTransactionsRequest,
    decodeDescribeTransactionsResponse,
  ),
  listTransactions: api(ApiKey.ListTransactions, listTransactionsVersions, encodeListTransactionsRequest, decodeListTransactionsResponse),
}
