import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { JoinGroupRequest, JoinGroupResponse } from '../../../core/kafka/protocol/apis/join-group.ts'
import type { OffsetCommitPartition } from '../../../core/kafka/protocol/apis/offset-commit.ts'
import { findCoordinatorVersions } from '../../../core/kafka/protocol/apis/find-coordinator.ts'
import { KafkaError } from '../../../core/kafka/protocol/error-codes.ts'
import { KafkaListener } from '../../../core/kafka/server/listener.ts'
import { EmbeddedLog } from '../../../core/log/embedded-log.ts'
import { decodeAssignment, decodeSubscription, encodeAssignment, encodeSubscription } from '../../../core/log/groups/consumer-protocol.ts'
import { ManualClock } from '../../support/clock.ts'
import { wireApis } from '../../support/kafka-wire-apis.ts'
import { KafkaWireClient } from '../../support/kafka-wire-client.ts'
import { makeTempDir } from '../../support/temp-dir.ts'

let dir: { path: string; remove: () => Promise<void> }
let log: EmbeddedLog
let listener: KafkaListener
const clients: KafkaWireClient[] = []

async function connect(clientId: string): Promise<KafkaWireClient> {
  const client = await KafkaWireClient.connect(listener.port, clientId)
  clients.push(client)
  return client
}

const subscription = (...topics: string[]) => encodeSubscription({ topics, userData: null })
const joinRequest = (overrides: Partial<JoinGroupRequest> = {}): JoinGroupRequest => ({
  groupId: 'g',
  sessionTimeoutMs: 30_000,
  rebalanceTimeoutMs: 60_000,
  memberId: '',
  groupInstanceId: null,
  protocolType: 'consumer',
  protocols: [{ name: 'range', metadata: subscription('orders') }],
  reason: null,
  ...overrides,
})

/** Joins as Kafka clients do from v4: the first answer is MEMBER_ID_REQUIRED with the id to join with. */
async function joinNew(client: KafkaWireClient, v: number, overrides: Partial<JoinGroupRequest> = {}): Promise<JoinGroupResponse> {
  const first = await client.request(wireApis.joinGroup, v, joinRequest(overrides))
  expect(first).toMatchObject({ errorCode: KafkaError.MEMBER_ID_REQUIRED, generationId: -1 })
  return client.request(wireApis.joinGroup, v, joinRequest({ ...overrides, memberId: first.memberId }))
}

/** A group of one member that has synced, at generation 1. */
async function joinAlone(client: KafkaWireClient, groupId = 'g'): Promise<JoinGroupResponse> {
  const joined = await joinNew(client, 7, { groupId })
  await client.request(wireApis.syncGroup, 5, {
    groupId,
    generationId: joined.generationId,
    memberId: joined.memberId,
    groupInstanceId: null,
    protocolType: 'consumer',
    protocolName: 'range',
    assignments: [],
  })
  return joined
}

const commitPartition = (
  partitionIndex: number,
  committedOffset: number,
  committedMetadata: string | null = null,
): OffsetCommitPartition => ({ partitionIndex, committedOffset, committedLeaderEpoch: -1, commitTimestamp: -1, committedMetadata })

beforeEach(async () => {
  dir = await makeTempDir()
  // A clock that only tests move: no session expires while a test runs.
  log = await EmbeddedLog.open({ dataDir: dir.path, clock: new ManualClock(), maintenanceIntervalMs: 0 })
  listener = await KafkaListener.start({ log, port: 0 })
})
afterEach(async () => {
  for (const client of clients.splice(0)) client.close()
  await listener.close()
  await log.close()
  await dir.remove()
})

describe('ApiVersions', () => {
  it('answers v4, the version the Java client 4.x asks in first, with the list instead of UNSUPPORTED_VERSION', async () => {
    const client = await connect('java-4')
    const answer = await client.request(wireApis.apiVersions, 4, {
      clientSoftwareName: 'apache-kafka-java',
      clientSoftwareVersion: '4.3.1',
    })
    expect(answer.errorCode).toBe(0)
    expect(answer.apiKeys.find((k) => k.apiKey === 18)).toEqual({ apiKey: 18, minVersion: 0, maxVersion: 4 })
  })

  it('advertises every version range of the group APIs', async () => {
    const client = await connect('versions')
    const { apiKeys } = await client.request(wireApis.apiVersions, 3, { clientSoftwareName: 'wire-client', clientSoftwareVersion: '1' })
    const served = new Map(apiKeys.map((k) => [k.apiKey, [k.minVersion, k.maxVersion]]))
    expect(
      [
        wireApis.findCoordinator,
        wireApis.joinGroup,
        wireApis.syncGroup,
        wireApis.heartbeat,
        wireApis.leaveGroup,
        wireApis.offsetCommit,
        wireApis.offsetFetch,
        wireApis.describeGroups,
        wireApis.listGroups,
        wireApis.deleteGroups,
      ].map((api) => [api.apiKey, served.get(api.apiKey)]),
    ).toEqual([
      [10, [0, 4]],
      [11, [0, 9]],
      [14, [0, 5]],
      [12, [0, 4]],
      [13, [0, 5]],
      [8, [0, 8]],
      [9, [0, 8]],
      [15, [0, 6]],
      [16, [0, 5]],
      [42, [0, 2]],
    ])
  })
})

describe('FindCoordinator', () => {
  it('names this broker, at the address the client used, for a group or a transactional id at every version', async () => {
    const client = await connect('finder')
    for (let v = findCoordinatorVersions.min; v <= 3; v++) {
      expect(await client.request(wireApis.findCoordinator, v, { key: 'g', keyType: 0, coordinatorKeys: [] })).toMatchObject({
        errorCode: 0,
        nodeId: 0,
        host: '127.0.0.1',
        port: listener.port,
      })
    }
    expect(await client.request(wireApis.findCoordinator, 3, { key: 'tx-1', keyType: 1, coordinatorKeys: [] })).toMatchObject({
      errorCode: 0,
      nodeId: 0,
      port: listener.port,
    })
    expect(await client.request(wireApis.findCoordinator, 1, { key: 'tx-1', keyType: 1, coordinatorKeys: [] })).toMatchObject({
      errorCode: 0,
      nodeId: 0,
    })
    expect(await client.request(wireApis.findCoordinator, 3, { key: 'x', keyType: 7, coordinatorKeys: [] })).toMatchObject({
      errorCode: KafkaError.INVALID_REQUEST,
      nodeId: -1,
    })
    // v4 batches the keys and answers each one.
    expect((await client.request(wireApis.findCoordinator, 4, { key: '', keyType: 0, coordinatorKeys: ['g', 'h'] })).coordinators).toEqual([
      { key: 'g', nodeId: 0, host: '127.0.0.1', port: listener.port, errorCode: 0, errorMessage: null },
      { key: 'h', nodeId: 0, host: '127.0.0.1', port: listener.port, errorCode: 0, errorMessage: null },
    ])
    expect(
      (await client.request(wireApis.findCoordinator, 4, { key: '', keyType: 1, coordinatorKeys: ['tx-1'] })).coordinators,
    ).toMatchObject([{ key: 'tx-1', nodeId: 0, errorCode: 0 }])
  })
})

describe('a group of two wire members', () => {
  it("keeps the second JoinGroup waiting until the first rejoins, then hands out the leader's assignment", async () => {
    const [a, b, admin] = [await connect('member-a'), await connect('member-b'), await connect('admin')]
    const aJoined = await joinNew(a, 7)
    expect(aJoined).toMatchObject({
      errorCode: 0,
      generationId: 1,
      protocolType: 'consumer',
      protocolName: 'range',
      leader: aJoined.memberId,
    })
    expect(aJoined.memberId).toMatch(/^member-a-/)
    const aSynced = await a.request(wireApis.syncGroup, 5, {
      groupId: 'g',
      generationId: 1,
      memberId: aJoined.memberId,
      groupInstanceId: null,
      protocolType: 'consumer',
      protocolName: 'range',
      assignments: [{ memberId: aJoined.memberId, assignment: encodeAssignment(new Map([['orders', [0, 1]]])) }],
    })
    expect(aSynced).toMatchObject({ errorCode: 0, protocolType: 'consumer', protocolName: 'range' })
    expect(decodeAssignment(aSynced.assignment)).toEqual(new Map([['orders', [0, 1]]]))
    expect(
      await a.request(wireApis.heartbeat, 4, { groupId: 'g', generationId: 1, memberId: aJoined.memberId, groupInstanceId: null }),
    ).toEqual({ throttleTimeMs: 0, errorCode: 0 })

    // v3 predates KIP-394: b is a member at once, and its join waits for the rebalance.
    let bSettled = false
    const bJoining = b
      .request(wireApis.joinGroup, 3, joinRequest({ protocols: [{ name: 'range', metadata: subscription('orders', 'refunds') }] }))
      .finally(() => (bSettled = true))
    const preparing = await admin.request(wireApis.describeGroups, 5, { groups: ['g'], includeAuthorizedOperations: false })
    expect(preparing.groups[0]).toMatchObject({ groupState: 'PreparingRebalance', protocolData: '' })
    expect(preparing.groups[0]!.members).toHaveLength(2)
    expect(bSettled).toBe(false)
    expect(
      await a.request(wireApis.heartbeat, 0, { groupId: 'g', generationId: 1, memberId: aJoined.memberId, groupInstanceId: null }),
    ).toMatchObject({ errorCode: KafkaError.REBALANCE_IN_PROGRESS })

    const aRejoined = await a.request(wireApis.joinGroup, 7, joinRequest({ memberId: aJoined.memberId }))
    const bJoined = await bJoining
    expect(aRejoined).toMatchObject({ errorCode: 0, generationId: 2, leader: aJoined.memberId })
    expect(bJoined).toMatchObject({ errorCode: 0, generationId: 2, protocolName: 'range', leader: aJoined.memberId, members: [] })
    const subscriptions = new Map(aRejoined.members.map((m) => [m.memberId, decodeSubscription(m.metadata).topics]))
    expect(subscriptions).toEqual(
      new Map([
        [aJoined.memberId, ['orders']],
        [bJoined.memberId, ['orders', 'refunds']],
      ]),
    )

    // The follower's sync waits for the leader's.
    let bSyncSettled = false
    const bSyncing = b
      .request(wireApis.syncGroup, 2, {
        groupId: 'g',
        generationId: 2,
        memberId: bJoined.memberId,
        groupInstanceId: null,
        protocolType: null,
        protocolName: null,
        assignments: [],
      })
      .finally(() => (bSyncSettled = true))
    // Until the group is Stable, Kafka describes no protocol and no member metadata.
    const completing = (await admin.request(wireApis.describeGroups, 0, { groups: ['g'], includeAuthorizedOperations: false })).groups[0]!
    expect(completing).toMatchObject({ groupState: 'CompletingRebalance', protocolData: '' })
    expect(completing.members.map((m) => m.memberMetadata.length)).toEqual([0, 0])
    expect(bSyncSettled).toBe(false)
    const plan = new Map([
      [aJoined.memberId, new Map([['orders', [0]]])],
      [
        bJoined.memberId,
        new Map([
          ['orders', [1]],
          ['refunds', [0]],
        ]),
      ],
    ])
    const aSynced2 = await a.request(wireApis.syncGroup, 4, {
      groupId: 'g',
      generationId: 2,
      memberId: aJoined.memberId,
      groupInstanceId: null,
      protocolType: null,
      protocolName: null,
      assignments: [...plan].map(([memberId, assignment]) => ({ memberId, assignment: encodeAssignment(assignment) })),
    })
    expect(decodeAssignment(aSynced2.assignment)).toEqual(plan.get(aJoined.memberId))
    expect(decodeAssignment((await bSyncing).assignment)).toEqual(plan.get(bJoined.memberId))

    const stable = await admin.request(wireApis.describeGroups, 5, { groups: ['g', 'nobody'], includeAuthorizedOperations: true })
    expect(stable.groups[0]).toMatchObject({
      errorCode: 0,
      groupState: 'Stable',
      protocolType: 'consumer',
      protocolData: 'range',
      authorizedOperations: 328,
    })
    expect(stable.groups[0]!.members.map((m) => [m.clientId, m.clientHost, decodeAssignment(m.memberAssignment)]).sort()).toEqual([
      ['member-a', '/127.0.0.1', plan.get(aJoined.memberId)],
      ['member-b', '/127.0.0.1', plan.get(bJoined.memberId)],
    ])
    expect(stable.groups[1]).toMatchObject({ errorCode: 0, groupId: 'nobody', groupState: 'Dead', members: [] })
  })

  it('answers group errors in the response and keeps serving the connection', async () => {
    const a = await connect('member-a')
    const joined = await joinAlone(a)
    expect(
      await a.request(wireApis.heartbeat, 2, { groupId: 'g', generationId: 1, memberId: 'nobody', groupInstanceId: null }),
    ).toMatchObject({ errorCode: KafkaError.UNKNOWN_MEMBER_ID })
    expect(
      await a.request(wireApis.heartbeat, 4, { groupId: 'g', generationId: 9, memberId: joined.memberId, groupInstanceId: null }),
    ).toMatchObject({ errorCode: KafkaError.ILLEGAL_GENERATION })
    expect(
      await a.request(wireApis.syncGroup, 5, {
        groupId: 'g',
        generationId: 1,
        memberId: joined.memberId,
        groupInstanceId: null,
        protocolType: 'consumer',
        protocolName: 'sticky',
        assignments: [],
      }),
    ).toMatchObject({ errorCode: KafkaError.INCONSISTENT_GROUP_PROTOCOL, assignment: Buffer.alloc(0) })
    expect(await a.request(wireApis.joinGroup, 6, joinRequest({ sessionTimeoutMs: 1 }))).toMatchObject({
      errorCode: KafkaError.INVALID_SESSION_TIMEOUT,
      generationId: -1,
    })
    expect(await a.request(wireApis.joinGroup, 7, joinRequest({ protocolType: 'connect' }))).toMatchObject({
      errorCode: KafkaError.INCONSISTENT_GROUP_PROTOCOL,
      protocolName: null,
    })
    expect(await a.request(wireApis.joinGroup, 1, joinRequest({ groupId: '' }))).toMatchObject({
      errorCode: KafkaError.INVALID_GROUP_ID,
      protocolName: '',
    })
    expect(
      await a.request(wireApis.heartbeat, 3, { groupId: 'g', generationId: 1, memberId: joined.memberId, groupInstanceId: null }),
    ).toMatchObject({ errorCode: 0 })
    expect(a.isClosed).toBe(false)
  })
})

describe('committed offsets', () => {
  it('commits at every version a member or an outsider may use, and fetches them back', async () => {
    const a = await connect('member-a')
    const joined = await joinAlone(a)
    const member = {
      groupId: 'g',
      generationId: joined.generationId,
      memberId: joined.memberId,
      groupInstanceId: null,
      retentionTimeMs: 86_400_000,
    }
    const committed = await a.request(wireApis.offsetCommit, 8, {
      ...member,
      topics: [{ name: 'orders', partitions: [commitPartition(0, 42, 'checkpoint'), commitPartition(1, 7, 'x'.repeat(5000))] }],
    })
    expect(committed.topics).toEqual([
      {
        name: 'orders',
        partitions: [
          { partitionIndex: 0, errorCode: 0 },
          { partitionIndex: 1, errorCode: KafkaError.OFFSET_METADATA_TOO_LARGE },
        ],
      },
    ])
    expect(
      (await a.request(wireApis.offsetCommit, 2, { ...member, topics: [{ name: 'refunds', partitions: [commitPartition(3, 2 ** 40)] }] }))
        .topics[0]!.partitions,
    ).toEqual([{ partitionIndex: 3, errorCode: 0 }])
    const stale = await a.request(wireApis.offsetCommit, 5, {
      ...member,
      generationId: 0,
      topics: [{ name: 'orders', partitions: [commitPartition(0, 1), commitPartition(2, 1)] }],
    })
    expect(stale.topics[0]!.partitions.map((p) => p.errorCode)).toEqual([KafkaError.ILLEGAL_GENERATION, KafkaError.ILLEGAL_GENERATION])
    // v0 carries no generation: a commit from outside, refused while the group has members.
    const outsider = await a.request(wireApis.offsetCommit, 0, {
      ...member,
      topics: [{ name: 'orders', partitions: [commitPartition(0, 1)] }],
    })
    expect(outsider.topics[0]!.partitions[0]!.errorCode).toBe(KafkaError.UNKNOWN_MEMBER_ID)

    const some = await a.request(wireApis.offsetFetch, 1, {
      groupId: 'g',
      topics: [{ name: 'orders', partitionIndexes: [0, 1] }],
      groups: [],
      requireStable: false,
    })
    expect(some.topics).toEqual([
      {
        name: 'orders',
        partitions: [
          { partitionIndex: 0, committedOffset: 42, committedLeaderEpoch: -1, metadata: 'checkpoint', errorCode: 0 },
          { partitionIndex: 1, committedOffset: -1, committedLeaderEpoch: -1, metadata: '', errorCode: 0 },
        ],
      },
    ])
    const all = await a.request(wireApis.offsetFetch, 7, { groupId: 'g', topics: null, groups: [], requireStable: true })
    expect(all).toMatchObject({
      errorCode: 0,
      topics: [
        { name: 'orders', partitions: [{ partitionIndex: 0, committedOffset: 42, committedLeaderEpoch: -1, metadata: 'checkpoint' }] },
        { name: 'refunds', partitions: [{ partitionIndex: 3, committedOffset: 2 ** 40, metadata: null }] },
      ],
    })
    // v8 batches groups: each answered on its own, a group with no commits with no topics.
    const batched = await a.request(wireApis.offsetFetch, 8, {
      groupId: '',
      topics: [],
      groups: [
        { groupId: 'g', topics: [{ name: 'orders', partitionIndexes: [0] }] },
        { groupId: 'g', topics: null },
        { groupId: 'never-committed', topics: null },
      ],
      requireStable: true,
    })
    expect(batched.groups).toEqual([
      {
        groupId: 'g',
        errorCode: 0,
        topics: [
          {
            name: 'orders',
            partitions: [{ partitionIndex: 0, committedOffset: 42, committedLeaderEpoch: -1, metadata: 'checkpoint', errorCode: 0 }],
          },
        ],
      },
      { groupId: 'g', errorCode: 0, topics: all.topics },
      { groupId: 'never-committed', errorCode: 0, topics: [] },
    ])

    // Once the group is empty, an outsider (generation -1, as admin tools send) may commit.
    expect(
      (
        await a.request(wireApis.leaveGroup, 1, {
          groupId: 'g',
          members: [{ memberId: joined.memberId, groupInstanceId: null, reason: null }],
        })
      ).errorCode,
    ).toBe(0)
    const admin = await a.request(wireApis.offsetCommit, 0, {
      ...member,
      topics: [{ name: 'orders', partitions: [commitPartition(0, 3)] }],
    })
    expect(admin.topics[0]!.partitions[0]!.errorCode).toBe(0)
    const after = await a.request(wireApis.offsetFetch, 5, {
      groupId: 'g',
      topics: [{ name: 'orders', partitionIndexes: [0] }],
      groups: [],
      requireStable: false,
    })
    expect(after.topics[0]!.partitions[0]).toMatchObject({ committedOffset: 3, metadata: null })
  })
})

describe('listing, leaving and deleting groups', () => {
  it('lists groups by state, removes members one by one or in a batch, and deletes only empty groups', async () => {
    const [a, b, admin] = [await connect('member-a'), await connect('member-b'), await connect('admin')]
    const aJoined = await joinAlone(a, 'busy')
    await joinAlone(b, 'other')
    await admin.request(wireApis.offsetCommit, 3, {
      groupId: 'offsets-only',
      generationId: -1,
      memberId: '',
      groupInstanceId: null,
      retentionTimeMs: -1,
      topics: [{ name: 'orders', partitions: [commitPartition(0, 1)] }],
    })

    const listed = await admin.request(wireApis.listGroups, 0, { statesFilter: [], typesFilter: [] })
    expect(listed).toMatchObject({ errorCode: 0 })
    expect(listed.groups.map((g) => [g.groupId, g.protocolType]).sort()).toEqual([
      ['busy', 'consumer'],
      ['offsets-only', ''],
      ['other', 'consumer'],
    ])
    const empty = await admin.request(wireApis.listGroups, 4, { statesFilter: ['empty'], typesFilter: [] })
    expect(empty.groups).toEqual([{ groupId: 'offsets-only', protocolType: '', groupState: 'Empty', groupType: '' }])
    // v5: every group here is of Kafka's classic type, a group with only committed offsets too.
    const classic = await admin.request(wireApis.listGroups, 5, { statesFilter: ['Empty'], typesFilter: ['Classic'] })
    expect(classic.groups).toEqual([{ groupId: 'offsets-only', protocolType: '', groupState: 'Empty', groupType: 'classic' }])
    expect((await admin.request(wireApis.listGroups, 5, { statesFilter: [], typesFilter: ['consumer', 'share'] })).groups).toEqual([])
    expect((await admin.request(wireApis.listGroups, 3, { statesFilter: [], typesFilter: [] })).groups).toHaveLength(3)

    const refused = await admin.request(wireApis.deleteGroups, 2, { groupsNames: ['busy', 'offsets-only', 'missing'] })
    expect(refused.results).toEqual([
      { groupId: 'busy', errorCode: KafkaError.NON_EMPTY_GROUP },
      { groupId: 'offsets-only', errorCode: 0 },
      { groupId: 'missing', errorCode: KafkaError.GROUP_ID_NOT_FOUND },
    ])

    const left = await a.request(wireApis.leaveGroup, 4, {
      groupId: 'busy',
      members: [
        { memberId: aJoined.memberId, groupInstanceId: null, reason: null },
        { memberId: 'ghost', groupInstanceId: null, reason: null },
      ],
    })
    expect(left).toEqual({
      throttleTimeMs: 0,
      errorCode: 0,
      members: [
        { memberId: aJoined.memberId, groupInstanceId: null, errorCode: 0 },
        { memberId: 'ghost', groupInstanceId: null, errorCode: KafkaError.UNKNOWN_MEMBER_ID },
      ],
    })
    expect(
      (
        await a.request(wireApis.leaveGroup, 0, {
          groupId: 'busy',
          members: [{ memberId: aJoined.memberId, groupInstanceId: null, reason: null }],
        })
      ).errorCode,
    ).toBe(KafkaError.UNKNOWN_MEMBER_ID)
    expect(
      (await admin.request(wireApis.describeGroups, 3, { groups: ['busy'], includeAuthorizedOperations: false })).groups[0],
    ).toMatchObject({ groupState: 'Empty', members: [] })
    expect((await admin.request(wireApis.deleteGroups, 0, { groupsNames: ['busy'] })).results).toEqual([{ groupId: 'busy', errorCode: 0 }])
    expect((await admin.request(wireApis.listGroups, 2, { statesFilter: [], typesFilter: [] })).groups.map((g) => g.groupId)).toEqual([
      'other',
    ])
    const gone = await admin.request(wireApis.offsetFetch, 6, {
      groupId: 'offsets-only',
      topics: [{ name: 'orders', partitionIndexes: [0] }],
      groups: [],
      requireStable: false,
    })
    expect(gone.topics[0]!.partitions[0]!.committedOffset).toBe(-1)
  })

  it('removes a static member by its instance id (v3+), as admin tools do', async () => {
    const [a, admin] = [await connect('member-a'), await connect('admin')]
    const joined = await a.request(wireApis.joinGroup, 5, joinRequest({ groupInstanceId: 'worker-1' }))
    expect(joined).toMatchObject({ errorCode: 0, generationId: 1, members: [{ memberId: joined.memberId, groupInstanceId: 'worker-1' }] })
    const left = await admin.request(wireApis.leaveGroup, 3, {
      groupId: 'g',
      members: [{ memberId: '', groupInstanceId: 'worker-1', reason: null }],
    })
    expect(left.members).toEqual([{ memberId: '', groupInstanceId: 'worker-1', errorCode: 0 }])
    expect(
      await a.request(wireApis.heartbeat, 3, { groupId: 'g', generationId: 1, memberId: joined.memberId, groupInstanceId: 'worker-1' }),
    ).toMatchObject({ errorCode: KafkaError.UNKNOWN_MEMBER_ID })
  })
})

describe('a group shared with an in-process consumer', () => {
  it("lets a wire leader assign to an in-process member, and both see each other's commits", async () => {
    await log.createTopic('orders', { partitions: 2 })
    const [a, admin] = [await connect('wire-member'), await connect('admin')]
    const aJoined = await joinNew(a, 6, { groupId: 'shared' })
    await a.request(wireApis.syncGroup, 4, {
      groupId: 'shared',
      generationId: 1,
      memberId: aJoined.memberId,
      groupInstanceId: null,
      protocolType: null,
      protocolName: null,
      assignments: [{ memberId: aJoined.memberId, assignment: encodeAssignment(new Map([['orders', [0, 1]]])) }],
    })

    // The in-process consumer's join waits for the wire member to rejoin, then for its leader's sync.
    const subscribing = log.subscribe({ groupId: 'shared', topics: ['orders'], clientId: 'in-process' })
    expect(
      await a.request(wireApis.heartbeat, 4, { groupId: 'shared', generationId: 1, memberId: aJoined.memberId, groupInstanceId: null }),
    ).toMatchObject({ errorCode: KafkaError.REBALANCE_IN_PROGRESS })
    const rejoined = await a.request(wireApis.joinGroup, 6, joinRequest({ groupId: 'shared', memberId: aJoined.memberId }))
    expect(rejoined).toMatchObject({ errorCode: 0, generationId: 2, leader: aJoined.memberId })
    const other = rejoined.members.find((m) => m.memberId !== aJoined.memberId)!
    expect(decodeSubscription(other.metadata).topics).toEqual(['orders'])
    await a.request(wireApis.syncGroup, 4, {
      groupId: 'shared',
      generationId: 2,
      memberId: aJoined.memberId,
      groupInstanceId: null,
      protocolType: null,
      protocolName: null,
      assignments: [
        { memberId: aJoined.memberId, assignment: encodeAssignment(new Map([['orders', [0]]])) },
        { memberId: other.memberId, assignment: encodeAssignment(new Map([['orders', [1]]])) },
      ],
    })
    const consumer = await subscribing
    expect(consumer.assignment()).toEqual([{ topic: 'orders', partition: 1 }])

    await log.append(
      'orders',
      [0, 1, 2].map((i) => ({ key: null, value: Buffer.from(`v${i}`), partition: 1 })),
    )
    expect((await consumer.poll()).map((r) => r.value!.toString())).toEqual(['v0', 'v1', 'v2'])
    await consumer.commit()
    expect(
      (
        await a.request(wireApis.offsetCommit, 7, {
          groupId: 'shared',
          generationId: 2,
          memberId: aJoined.memberId,
          groupInstanceId: null,
          retentionTimeMs: -1,
          topics: [{ name: 'orders', partitions: [commitPartition(0, 5)] }],
        })
      ).topics[0]!.partitions[0]!.errorCode,
    ).toBe(0)

    const fetched = await admin.request(wireApis.offsetFetch, 7, {
      groupId: 'shared',
      topics: [{ name: 'orders', partitionIndexes: [0, 1] }],
      groups: [],
      requireStable: false,
    })
    expect(fetched.topics[0]!.partitions.map((p) => [p.partitionIndex, p.committedOffset])).toEqual([
      [0, 5],
      [1, 3],
    ])
    expect((await log.describeGroup('shared')).offsets.map((o) => [o.partition, o.offset])).toEqual([
      [0, 5],
      [1, 3],
    ])
    const described = await admin.request(wireApis.describeGroups, 5, { groups: ['shared'], includeAuthorizedOperations: false })
    expect(described.groups[0]!.members.map((m) => m.clientId).sort()).toEqual(['in-process', 'wire-member'])

    // The in-process member leaving starts a rebalance the wire member hears of.
    await consumer.close()
    expect(
      await a.request(wireApis.heartbeat, 4, { groupId: 'shared', generationId: 2, memberId: aJoined.memberId, groupInstanceId: null }),
    ).toMatchObject({ errorCode: KafkaError.REBALANCE_IN_PROGRESS })
    expect(await a.request(wireApis.joinGroup, 6, joinRequest({ groupId: 'shared', memberId: aJoined.memberId }))).toMatchObject({
      generationId: 3,
      members: [{ memberId: aJoined.memberId }],
    })
  })
})
