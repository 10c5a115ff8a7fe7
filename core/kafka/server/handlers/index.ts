/**
 * Every Kafka API the listener serves, listed explicitly. ApiVersions advertises exactly these, so
 * an API missing here is one clients know not to call.
 */
import type { ApiVersionRange } from '../../protocol/apis/api-versions.ts'
import type { AnyApiHandler } from '../api-handler.ts'
import { apiVersionsHandler } from './api-versions.ts'
import { fetchHandler } from './fetch.ts'
import { listOffsetsHandler } from './list-offsets.ts'
import { metadataHandler } from './metadata.ts'
import { produceHandler } from './produce.ts'
import { createPartitionsHandler } from './create-partitions.ts'
import { createTopicsHandler } from './create-topics.ts'
import { deleteTopicsHandler } from './delete-topics.ts'
import { describeConfigsHandler } from './describe-configs.ts'
import { initProducerIdHandler } from './init-producer-id.ts'
import { saslAuthenticateHandler } from './sasl-authenticate.ts'
import { saslHandshakeHandler } from './sasl-handshake.ts'
import { deleteGroupsHandler } from './delete-groups.ts'
import { describeGroupsHandler } from './describe-groups.ts'
import { findCoordinatorHandler } from './find-coordinator.ts'
import { heartbeatHandler } from './heartbeat.ts'
import { joinGroupHandler } from './join-group.ts'
import { leaveGroupHandler } from './leave-group.ts'
import { listGroupsHandler } from './list-groups.ts'
import { offsetCommitHandler } from './offset-commit.ts'
import { offsetDeleteHandler } from './offset-delete.ts'
import { offsetFetchHandler } from './offset-fetch.ts'
import { syncGroupHandler } from './sync-group.ts'
import { createAclsHandler } from './create-acls.ts'
import { deleteAclsHandler } from './delete-acls.ts'
import { describeAclsHandler } from './describe-acls.ts'
import { describeClusterHandler } from './describe-cluster.ts'
import { describeLogDirsHandler } from './describe-log-dirs.ts'
import { deleteRecordsHandler } from './delete-records.ts'
import { alterConfigsHandler } from './alter-configs.ts'
import { incrementalAlterConfigsHandler } from './incremental-alter-configs.ts'
import { offsetForLeaderEpochHandler } from './offset-for-leader-epoch.ts'
import { addPartitionsToTxnHandler } from './add-partitions-to-txn.ts'
import { addOffsetsToTxnHandler } from './add-offsets-to-txn.ts'
import { endTxnHandler } from './end-txn.ts'
import { txnOffsetCommitHandler } from './txn-offset-commit.ts'
import { describeTransactionsHandler } from './describe-transactions.ts'
import { listTransactionsHandler } from './list-transactions.ts'

const handlers: AnyApiHandler[] = [
  produceHandler,
  fetchHandler,
  listOffsetsHandler,
  metadataHandler,
  offsetCommitHandler,
  offsetFetchHandler,
  findCoordinatorHandler,
  joinGroupHandler,
  heartbeatHandler,
  leaveGroupHandler,
  syncGroupHandler,
  describeGroupsHandler,
  listGroupsHandler,
  deleteGroupsHandler,
  apiVersionsHandler(() => advertisedVersions),
  saslHandshakeHandler,
  saslAuthenticateHandler,
  createTopicsHandler,
  deleteTopicsHandler,
  initProducerIdHandler,
  describeConfigsHandler,
  createPartitionsHandler,
  describeAclsHandler,
  createAclsHandler,
  deleteAclsHandler,
  describeClusterHandler,
  offsetDeleteHandler,
  describeLogDirsHandler,
  deleteRecordsHandler,
  alterConfigsHandler,
  incrementalAlterConfigsHandler,
  offsetForLeaderEpochHandler,
  addPartitionsToTxnHandler,
  addOffsetsToTxnHandler,
  endTxnHandler,
  txnOffsetCommitHandler,
  describeTransactionsHandler,
  listTransactionsHandler,
]

export const handlerRegistry: ReadonlyMap<number, AnyApiHandler> = new Map(handlers.map((h) => [h.apiKey, h]))

export const advertisedVersions: readonly ApiVersionRange[] = handlers
  .map((h) => ({ apiKey: h.apiKey, minVersion: h.versions.min, maxVersion: h.versions.max }))
  .sort((a, b) => a.apiKey - b.apiKey)
