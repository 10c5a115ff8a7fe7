import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { EmbeddedLog } from '../../../../core/log/embedded-log.ts'
import type { GroupCoordinator } from '../../../../core/log/groups/coordinator.ts'
import type { JoinGroupRequest } from '../../../../core/log/groups/group-requests.ts'
import { ManualClock, flushMicrotasks } from '../../../support/clock.ts'
import { makeTempDir } from '../../../support/temp-dir.ts'

let dir: { path: string; remove: () => Promise<void> }
let clock: ManualClock
let log: EmbeddedLog
let coordinator: GroupCoordinator

const open = () => EmbeddedLog.open({ dataDir: dir.path, clock, maintenanceIntervalMs: 0 })
const join = (overrides: Partial<JoinGroupRequest> = {}) =>
  coordinator.joinGroup({
    groupId: 'g',
    memberId: '',
    sessionTimeoutMs: 10_000,
    rebalanceTimeoutMs: 20_000,
    protocolType: 'consumer',
    protocols: [{ name: 'range', metadata: Buffer.from('m') }],
    ...overrides,
  })

beforeEach(async () => {
  dir = await makeTempDir()
  clock = new ManualClock()
  log = await open()
  coordinator = await log.groups()
})
afterEach(async () => {
  await log.close()
  await dir.remove()
})

describe('group membership', () => {
  it("makes the first member leader, gives it the members' metadata, and stabilises on its sync", async () => {
    const first = await join({ clientId: 'a' })
    expect(first).toMatchObject({ generationId: 1, protocolName: 'range', leaderId: first.memberId })
    expect(first.members.map((m) => m.memberId)).toEqual([first.memberId])
    const assignment = await coordinator.syncGroup({
      groupId: 'g',
      generationId: 1,
      memberId: first.memberId,
      assignments: [{ memberId: first.memberId, assignment: Buffer.from('all') }],
    })
    expect(assignment.toString()).toBe('all')
    expect(coordinator.describeGroup('g').state).toBe('Stable')
  })

  it('rebalances when a second member joins: the first hears of it by heartbeat and rejoins', async () => {
    const a = await join()
    await coordinator.syncGroup({ groupId: 'g', generationId: 1, memberId: a.memberId, assignments: [] })
    const bJoining = join({ protocols: [{ name: 'range', metadata: Buffer.from('b-meta') }] })
    expect(coordinator.describeGroup('g').state).toBe('PreparingRebalance')
    expect(() => coordinator.heartbeat('g', a.memberId, 1)).toThrowError(expect.objectContaining({ code: 'TRB_GROUP_REBALANCING' }))
    const aRejoined = await join({ memberId: a.memberId })
    const b = await bJoining
    expect(aRejoined.generationId).toBe(2)
    expect(b.generationId).toBe(2)
    expect(aRejoined.leaderId).toBe(a.memberId)
    expect(aRejoined.members.map((m) => m.metadata.toString()).sort()).toEqual(['b-meta', 'm'])
    expect(b.members).toEqual([])
    // The follower's sync waits for the leader's.
    const bSync = coordinator.syncGroup({ groupId: 'g', generationId: 2, memberId: b.memberId })
    let bAssignment: Buffer | undefined
    void bSync.then((buf) => (bAssignment = buf))
    await flushMicrotasks()
    expect(bAssignment).toBeUndefined()
    await coordinator.syncGroup({
      groupId: 'g',
      generationId: 2,
      memberId: a.memberId,
      assignments: [
        { memberId: a.memberId, assignment: Buffer.from('A') },
        { memberId: b.memberId, assignment: Buffer.from('B') },
      ],
    })
    expect((await bSync).toString()).toBe('B')
  })

  it('refuses unknown members, old generations and mismatched protocols', async () => {
    const a = await join()
    await coordinator.syncGroup({ groupId: 'g', generationId: 1, memberId: a.memberId, assignments: [] })
    expect(() => coordinator.heartbeat('g', 'nobody', 1)).toThrowError(expect.objectContaining({ code: 'TRB_GROUP_UNKNOWN_MEMBER' }))
    expect(() => coordinator.heartbeat('g', a.memberId, 0)).toThrowError(expect.objectContaining({ code: 'TRB_GROUP_ILLEGAL_GENERATION' }))
    expect(() => join({ protocols: [{ name: 'sticky', metadata: Buffer.alloc(0) }] })).toThrowError(
      expect.objectContaining({ code: 'TRB_GROUP_INCONSISTENT_PROTOCOL' }),
    )
    expect(() => join({ protocolType: 'connect' })).toThrowError(expect.objectContaining({ code: 'TRB_GROUP_INCONSISTENT_PROTOCOL' }))
    expect(() => join({ memberId: 'made-up' })).toThrowError(expect.objectContaining({ code: 'TRB_GROUP_UNKNOWN_MEMBER' }))
    expect(() => join({ groupId: '' })).toThrowError(expect.objectContaining({ code: 'TRB_GROUP_INVALID_ID' }))
    expect(() => join({ sessionTimeoutMs: 1 })).toThrowError(expect.objectContaining({ code: 'TRB_GROUP_INVALID_SESSION_TIMEOUT' }))
  })

  it('evicts a member whose heartbeats stop for the session timeout', async () => {
    const a = await join()
    await coordinator.syncGroup({ groupId: 'g', generationId: 1, memberId: a.memberId, assignments: [] })
    await clock.advance(9_000)
    coordinator.heartbeat('g', a.memberId, 1)
    await clock.advance(9_000)
    expect(coordinator.describeGroup('g').members).toHaveLength(1)
    await clock.advance(2_000)
    expect(coordinator.describeGroup('g')).toMatchObject({ state: 'Empty', members: [] })
    expect(() => coordinator.heartbeat('g', a.memberId, 1)).toThrowError(expect.objectContaining({ code: 'TRB_GROUP_UNKNOWN_MEMBER' }))
  })

  it('drops members that do not rejoin within the rebalance timeout', async () => {
    // A session longer than the rebalance timeout: the rebalance deadline, not the session, drops it.
    const a = await join({ sessionTimeoutMs: 30_000 })
    await coordinator.syncGroup({ groupId: 'g', generationId: 1, memberId: a.memberId, assignments: [] })
    const b = join()
    await clock.advance(20_500)
    const joined = await b
    expect(joined.generationId).toBe(2)
    expect(joined.leaderId).toBe(joined.memberId)
    expect(coordinator.describeGroup('g').members.map((m) => m.memberId)).toEqual([joined.memberId])
  })

  it('rebalances the rest when a member leaves', async () => {
    const a = await join()
    await coordinator.syncGroup({ groupId: 'g', generationId: 1, memberId: a.memberId, assignments: [] })
    const bJoin = join()
    const aJoin = join({ memberId: a.memberId })
    const [a2, b2] = await Promise.all([aJoin, bJoin])
    await coordinator.syncGroup({ groupId: 'g', generationId: 2, memberId: a2.memberId, assignments: [] })
    coordinator.leaveGroup('g', b2.memberId)
    expect(coordinator.describeGroup('g').state).toBe('PreparingRebalance')
    const a3 = await join({ memberId: a.memberId })
    expect(a3.generationId).toBe(3)
    expect(a3.members).toHaveLength(1)
  })
})

describe('what the Kafka listener needs', () => {
  it('hands a new member an id to rejoin with when asked to (KIP-394), and forgets it after the session timeout', async () => {
    const first = await join({ requireKnownMemberId: true, clientId: 'kafkajs' })
    expect(first).toMatchObject({ memberIdRequired: true, generationId: -1, members: [] })
    expect(first.memberId).toMatch(/^kafkajs-/)
    expect(coordinator.describeGroup('g').members).toEqual([])
    const joined = await join({ memberId: first.memberId, requireKnownMemberId: true, clientHost: '/10.0.0.7' })
    expect(joined).toMatchObject({ memberId: first.memberId, generationId: 1, protocolType: 'consumer', protocolName: 'range' })
    expect(joined.memberIdRequired).toBeUndefined()
    expect(coordinator.describeGroup('g').members[0]).toMatchObject({ clientHost: '/10.0.0.7' })
    const lapsed = await join({ requireKnownMemberId: true })
    await clock.advance(6_000)
    coordinator.heartbeat('g', joined.memberId, 1)
    await clock.advance(4_500)
    expect(() => join({ memberId: lapsed.memberId })).toThrowError(expect.objectContaining({ code: 'TRB_GROUP_UNKNOWN_MEMBER' }))
  })

  it('fences an older instance of a static member and lets one leave by its instance id alone', async () => {
    const old = await join({ groupInstanceId: 'worker-1' })
    await coordinator.syncGroup({ groupId: 'g', generationId: 1, memberId: old.memberId, groupInstanceId: 'worker-1', assignments: [] })
    const replacement = await join({ groupInstanceId: 'worker-1' })
    const fenced = expect.objectContaining({ code: 'TRB_GROUP_FENCED_INSTANCE' })
    expect(() => coordinator.heartbeat('g', old.memberId, replacement.generationId, 'worker-1')).toThrowError(fenced)
    expect(() =>
      coordinator.syncGroup({ groupId: 'g', generationId: replacement.generationId, memberId: old.memberId, groupInstanceId: 'worker-1' }),
    ).toThrowError(fenced)
    await expect(coordinator.commitOffsets('g', old.memberId, replacement.generationId, [], 'worker-1')).rejects.toMatchObject({
      code: 'TRB_GROUP_FENCED_INSTANCE',
    })
    expect(() => coordinator.leaveGroup('g', old.memberId, 'worker-1')).toThrowError(fenced)
    coordinator.leaveGroup('g', '', 'worker-1')
    expect(coordinator.describeGroup('g').members).toEqual([])
    expect(() => coordinator.leaveGroup('g', '', 'worker-1')).toThrowError(expect.objectContaining({ code: 'TRB_GROUP_UNKNOWN_MEMBER' }))
  })

  it('lets a static follower, then the leader, come back as new instances into a stable group with no rebalance, keeping their assignments', async () => {
    const leader = await join({ groupInstanceId: 'worker-1' })
    await coordinator.syncGroup({ groupId: 'g', generationId: 1, memberId: leader.memberId, groupInstanceId: 'worker-1', assignments: [] })
    const followerJoining = join({ groupInstanceId: 'worker-2' })
    const leaderRejoined = await join({ memberId: leader.memberId, groupInstanceId: 'worker-1' })
    const follower = await followerJoining
    const assignments = [
      { memberId: leader.memberId, assignment: Buffer.from('A') },
      { memberId: follower.memberId, assignment: Buffer.from('B') },
    ]
    const followerSynced = coordinator.syncGroup({
      groupId: 'g',
      generationId: 2,
      memberId: follower.memberId,
      groupInstanceId: 'worker-2',
    })
    await coordinator.syncGroup({
      groupId: 'g',
      generationId: leaderRejoined.generationId,
      memberId: leader.memberId,
      groupInstanceId: 'worker-1',
      assignments,
    })
    expect((await followerSynced).toString()).toBe('B')

    // The follower's process restarts: a new member id for the same instance, other metadata (no owned partitions).
    const back = await join({ groupInstanceId: 'worker-2', protocols: [{ name: 'range', metadata: Buffer.from('fresh') }] })
    expect(back).toMatchObject({ generationId: 2, leaderId: leader.memberId, members: [] })
    expect(back.memberId).not.toBe(follower.memberId)
    expect(coordinator.describeGroup('g').state).toBe('Stable')
    expect(
      (await coordinator.syncGroup({ groupId: 'g', generationId: 2, memberId: back.memberId, groupInstanceId: 'worker-2' })).toString(),
    ).toBe('B')
    coordinator.heartbeat('g', leader.memberId, 2, 'worker-1') // no rebalance for the leader to hear of
    expect(() => coordinator.heartbeat('g', follower.memberId, 2, 'worker-2')).toThrowError(
      expect.objectContaining({ code: 'TRB_GROUP_FENCED_INSTANCE' }),
    )
    expect(
      coordinator
        .describeGroup('g')
        .members.map((m) => m.memberId)
        .sort(),
    ).toEqual([leader.memberId, back.memberId].sort())

    // The leader's process restarts too: it is given the members but told to skip the assignment (KIP-814).
    const leaderBack = await join({ groupInstanceId: 'worker-1', protocols: [{ name: 'range', metadata: Buffer.from('fresh') }] })
    expect(leaderBack).toMatchObject({ generationId: 2, leaderId: leaderBack.memberId, skipAssignment: true })
    expect(leaderBack.members.map((m) => m.memberId).sort()).toEqual([leaderBack.memberId, back.memberId].sort())
    // Its sync keeps the current assignment whatever it sends.
    expect(
      (
        await coordinator.syncGroup({
          groupId: 'g',
          generationId: 2,
          memberId: leaderBack.memberId,
          groupInstanceId: 'worker-1',
          assignments: [],
        })
      ).toString(),
    ).toBe('A')
    coordinator.heartbeat('g', back.memberId, 2, 'worker-2')
    expect(coordinator.describeGroup('g').state).toBe('Stable')
  })

  it('refuses a sync that names another protocol than the group chose', async () => {
    const a = await join()
    expect(() =>
      coordinator.syncGroup({
        groupId: 'g',
        generationId: 1,
        memberId: a.memberId,
        protocolType: 'consumer',
        protocolName: 'roundrobin',
        assignments: [],
      }),
    ).toThrowError(expect.objectContaining({ code: 'TRB_GROUP_INCONSISTENT_PROTOCOL' }))
    expect(() =>
      coordinator.syncGroup({
        groupId: 'g',
        generationId: 1,
        memberId: a.memberId,
        protocolType: 'connect',
        protocolName: 'range',
        assignments: [],
      }),
    ).toThrowError(expect.objectContaining({ code: 'TRB_GROUP_INCONSISTENT_PROTOCOL' }))
    const assignment = await coordinator.syncGroup({
      groupId: 'g',
      generationId: 1,
      memberId: a.memberId,
      protocolType: 'consumer',
      protocolName: 'range',
      assignments: [{ memberId: a.memberId, assignment: Buffer.from('x') }],
    })
    expect(assignment.toString()).toBe('x')
  })
})

describe('committed offsets', () => {
  it('commits for members of the current generation and restores them after a restart', async () => {
    const a = await join()
    await coordinator.syncGroup({ groupId: 'g', generationId: 1, memberId: a.memberId, assignments: [] })
    await coordinator.commitOffsets('g', a.memberId, 1, [
      { topic: 'orders', partition: 0, offset: 42, metadata: 'm' },
      { topic: 'orders', partition: 1, offset: 7 },
    ])
    await coordinator.commitOffsets('g', a.memberId, 1, [{ topic: 'orders', partition: 0, offset: 43 }])
    await expect(coordinator.commitOffsets('g', a.memberId, 0, [{ topic: 'orders', partition: 0, offset: 1 }])).rejects.toMatchObject({
      code: 'TRB_GROUP_ILLEGAL_GENERATION',
    })
    await expect(coordinator.commitOffsets('g', '', -1, [{ topic: 'orders', partition: 0, offset: 1 }])).rejects.toMatchObject({
      code: 'TRB_GROUP_UNKNOWN_MEMBER',
    })
    await log.close()
    log = await open()
    coordinator = await log.groups()
    const fetched = coordinator.fetchOffsets('g').sort((x, y) => x.partition - y.partition)
    expect(fetched.map((o) => [o.topic, o.partition, o.offset])).toEqual([
      ['orders', 0, 43],
      ['orders', 1, 7],
    ])
    expect(coordinator.listGroups().map((g) => g.groupId)).toEqual(['g'])
    expect(await log.listTopics()).toEqual([])
    expect(await log.listTopics({ includeInternal: true })).toEqual(['__consumer_offsets'])
  })

  it('takes standalone commits for an empty group and deletes a group with its offsets', async () => {
    await coordinator.commitOffsets('tool', '', -1, [{ topic: 't', partition: 0, offset: 5 }])
    expect(coordinator.fetchOffsets('tool', [{ topic: 't', partition: 0 }])[0]!.offset).toBe(5)
    const a = await join({ groupId: 'busy' })
    await expect(coordinator.deleteGroup('busy')).rejects.toMatchObject({ code: 'TRB_GROUP_NOT_EMPTY' })
    coordinator.leaveGroup('busy', a.memberId)
    await coordinator.deleteGroup('tool')
    expect(coordinator.fetchOffsets('tool')).toEqual([])
    await expect(coordinator.deleteGroup('tool')).rejects.toMatchObject({ code: 'TRB_GROUP_NOT_FOUND' })
    await log.close()
    log = await open()
    coordinator = await log.groups()
    expect(coordinator.fetchOffsets('tool')).toEqual([])
  })
})
