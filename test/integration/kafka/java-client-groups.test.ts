/**
 * A consumer group of Apache Kafka Java consumers (kafka-clients 4.3.1, group.protocol=classic with
 * the CooperativeStickyAssignor) against the listener's group coordinator: three members share six
 * partitions, each record is read by exactly one of them and committed; a group started again
 * resumes from the committed offsets; a member that leaves mid-way hands its partitions over in a
 * cooperative rebalance (the others keep theirs) without losing or repeating a record; a static
 * member (group.instance.id) that restarts, follower or leader, gets its partitions back with no
 * rebalance, as in Kafka.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  startKafkaForJavaClient,
  type KafkaForJavaClient,
  startJavaMember,
  untilAll,
  type JavaMember,
} from '../../support/kafka-java-client.ts'

const PARTITIONS = 6
const ALL_PARTITIONS = Array.from({ length: PARTITIONS }, (_, p) => p)

let kafka: KafkaForJavaClient
let bootstrap: string
const running: JavaMember[] = []

beforeAll(async () => {
  kafka = await startKafkaForJavaClient()
  bootstrap = kafka.bootstrap
}, 300_000)

afterEach(() => {
  for (const member of running.splice(0)) member.kill()
})

afterAll(async () => {
  await kafka?.stop()
})

/** Appends `perPartition` records to each partition; values name their partition and round. */
async function produce(topic: string, perPartition: number, round: string): Promise<void> {
  await kafka.log.append(
    topic,
    ALL_PARTITIONS.flatMap((partition) =>
      Array.from({ length: perPartition }, (_, i) => ({
        key: Buffer.from(`${partition}-${i}`),
        value: Buffer.from(`${round} ${partition}-${i}`),
        partition,
      })),
    ),
  )
}

async function startMembers(group: string, topic: string, count: number, instanceId?: string): Promise<JavaMember[]> {
  const members = await Promise.all(Array.from({ length: count }, () => startJavaMember(bootstrap, group, topic, 'classic', instanceId)))
  running.push(...members)
  return members
}

/** "partition:offset" of every record the members read, sorted; a record read twice appears twice. */
const readPositions = (members: readonly JavaMember[]): string[] =>
  members.flatMap((m) => m.records().map((r) => `${r.partition}:${String(r.offset).padStart(6, '0')}`)).sort()

const positions = (fromOffset: number, toOffset: number): string[] =>
  ALL_PARTITIONS.flatMap((p) =>
    Array.from({ length: toOffset - fromOffset }, (_, i) => `${p}:${String(fromOffset + i).padStart(6, '0')}`),
  ).sort()

/** Resolves once the members own disjoint sets of `each` partitions covering the topic, and have read `total` records. */
function settled(members: readonly JavaMember[], each: number, total: number, what: string): Promise<true> {
  return untilAll(
    members,
    () => {
      const owned = members.map((m) => m.owned())
      const union = owned.flat().sort((a, b) => a - b)
      return owned.every((o) => o.length === each) && union.join() === ALL_PARTITIONS.join() && readPositions(members).length >= total
    },
    what,
  )
}

async function committedOffsets(group: string): Promise<number[]> {
  const { offsets } = await kafka.log.describeGroup(group)
  return ALL_PARTITIONS.map((p) => offsets.find((o) => o.partition === p)?.offset ?? -1)
}

describe('a classic consumer group of Java consumers with the cooperative-sticky assignor', () => {
  it('spreads six partitions over three members, reads each record once, commits, and resumes from the commits', async () => {
    await kafka.log.createTopic('java-group', { partitions: PARTITIONS })
    await produce('java-group', 100, 'first')
    const first = await startMembers('java-three', 'java-group', 3)
    await settled(first, 2, 600, 'share the six partitions two each and read the 600 records')
    expect(readPositions(first)).toEqual(positions(0, 100))
    await Promise.all(first.map((m) => m.stop()))
    expect(await committedOffsets('java-three')).toEqual(ALL_PARTITIONS.map(() => 100))
    expect((await kafka.log.describeGroup('java-three')).state).toBe('Empty')

    await produce('java-group', 10, 'second')
    const second = await startMembers('java-three', 'java-group', 3)
    await settled(second, 2, 60, 'share the partitions again and read the 60 new records')
    expect(readPositions(second)).toEqual(positions(100, 110))
    expect(second.flatMap((m) => m.records()).every((r) => r.value?.toString().startsWith('second '))).toBe(true)
    await Promise.all(second.map((m) => m.stop()))
    expect(await committedOffsets('java-three')).toEqual(ALL_PARTITIONS.map(() => 110))
  }, 180_000)

  it("moves a leaving member's partitions to the others in a cooperative rebalance, losing and repeating nothing", async () => {
    await kafka.log.createTopic('java-leave', { partitions: PARTITIONS })
    await produce('java-leave', 50, 'before')
    const [a, b, leaving] = (await startMembers('java-leave', 'java-leave', 3)) as [JavaMember, JavaMember, JavaMember]
    await settled([a, b, leaving], 2, 300, 'share the six partitions two each and read the 300 records')
    const before = { a: a.owned(), b: b.owned(), leaving: leaving.owned() }
    const seen = { a: a.lines.length, b: b.lines.length }
    // How many of the first 300 the two stayers read depends on when the third joined.
    const readBefore = readPositions([a, b]).length
    await leaving.stop()
    expect(leaving.events('revoked').at(-1)).toEqual({ event: 'revoked', partitions: before.leaving })

    await produce('java-leave', 50, 'after')
    await settled([a, b], 3, readBefore + 300, "take over the leaving member's partitions and read the 300 new records")
    // Cooperative: the staying members kept what they had and were only given the leaver's partitions.
    const sinceLeave = (m: JavaMember, from: number) =>
      m.lines.slice(from).filter((line) => line.event !== 'record' && line.event !== 'committed')
    const gained = [...sinceLeave(a, seen.a), ...sinceLeave(b, seen.b)]
    expect(gained.filter((line) => line.event !== 'assigned')).toEqual([])
    expect(gained.flatMap((line) => line.partitions as number[]).sort()).toEqual(before.leaving)
    expect(a.owned()).toEqual(expect.arrayContaining(before.a))
    expect(b.owned()).toEqual(expect.arrayContaining(before.b))

    expect(readPositions([a, b, leaving])).toEqual(positions(0, 100))
    await Promise.all([a.stop(), b.stop()])
    expect(await committedOffsets('java-leave')).toEqual(ALL_PARTITIONS.map(() => 100))
  }, 180_000)

  it('takes restarted static members (group.instance.id), a follower then the leader, back into their partitions with no rebalance for the others', async () => {
    await kafka.log.createTopic('java-static', { partitions: PARTITIONS })
    await produce('java-static', 20, 'before')
    // The first member leads the group; the second is the follower that restarts.
    const [leader] = await startMembers('java-static', 'java-static', 1, 'static-leader')
    await settled([leader!], 6, 120, 'own the whole topic alone')
    const [follower] = await startMembers('java-static', 'java-static', 1, 'static-follower')
    await settled([leader!, follower!], 3, 120, 'share the partitions three each')
    const followed = follower!.owned()
    await follower!.stop() // a static member does not leave the group on close
    expect((await kafka.log.describeGroup('java-static')).members).toBe(2)

    const leaderSeen = leader!.lines.length
    await produce('java-static', 5, 'after')
    const [restarted] = await startMembers('java-static', 'java-static', 1, 'static-follower')
    await untilAll(
      [leader!, restarted!],
      () => restarted!.records().length === 15 && leader!.records().length >= 120 - follower!.records().length + 15,
      'read the new records',
    )
    expect(restarted!.owned()).toEqual(followed)
    expect(restarted!.events('assigned', 'revoked', 'lost')).toEqual([{ event: 'assigned', partitions: followed }])
    expect(restarted!.records().every((r) => r.value?.toString().startsWith('after '))).toBe(true)
    // No rebalance reached the leader: it read on, without a callback.
    const callbacks = (m: JavaMember, from: number) =>
      m.lines.slice(from).filter((line) => line.event !== 'record' && line.event !== 'committed')
    expect(callbacks(leader!, leaderSeen)).toEqual([])

    // The leader restarts too: told to skip the assignment (KIP-814), it takes its partitions back, and the follower hears of nothing.
    const led = leader!.owned()
    await leader!.stop()
    const followerSeen = restarted!.lines.length
    await produce('java-static', 5, 'again')
    const [leaderBack] = await startMembers('java-static', 'java-static', 1, 'static-leader')
    await untilAll(
      [leaderBack!, restarted!],
      () => leaderBack!.records().length === 15 && restarted!.records().length === 30,
      'read the records produced meanwhile',
    )
    expect(leaderBack!.events('assigned', 'revoked', 'lost')).toEqual([{ event: 'assigned', partitions: led }])
    expect(leaderBack!.records().every((r) => r.value?.toString().startsWith('again '))).toBe(true)
    expect(callbacks(restarted!, followerSeen)).toEqual([])
    await Promise.all([leaderBack!.stop(), restarted!.stop()])
  }, 180_000)
})
