/**
 * kafkajs's own broker client (the layer under its consumer: version negotiation through ApiVersions,
 * its request encoders, its response parsers, its MEMBER_ID_REQUIRED retry) against the listener, in
 * a group shared with an in-process consumer. kafkajs's consumer itself also needs Metadata and Fetch.
 */
import { createRequire } from 'node:module'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { KafkaListener } from '../../../core/kafka/server/listener.ts'
import { EmbeddedLog } from '../../../core/log/embedded-log.ts'
import { ManualClock } from '../../support/clock.ts'
import { makeTempDir } from '../../support/temp-dir.ts'

const require = createRequire(import.meta.url)
/** The kafkajs Broker methods used here; their answers are kafkajs's parsed responses. */
interface KafkajsBroker {
  connect(): Promise<void>
  disconnect(): Promise<void>
  findGroupCoordinator(request: object): Promise<unknown>
  joinGroup(
    request: object,
  ): Promise<{ generationId: number; memberId: string; members: Array<{ memberId: string; memberMetadata: Buffer }> }>
  syncGroup(request: object): Promise<{ memberAssignment: Buffer }>
  heartbeat(request: object): Promise<unknown>
  offsetCommit(request: object): Promise<unknown>
  offsetFetch(request: object): Promise<{ responses: Array<{ partitions: Array<{ partition: number; offset: string }> }> }>
  describeGroups(request: object): Promise<{ groups: Array<{ members: Array<{ clientId: string }> }> }>
  listGroups(): Promise<{ groups: unknown[] }>
  leaveGroup(request: object): Promise<unknown>
  deleteGroups(groupIds: string[]): Promise<{ results: unknown[] }>
}
const Broker = require('kafkajs/src/broker') as new (options: Record<string, unknown>) => KafkajsBroker
const ConnectionPool = require('kafkajs/src/network/connectionPool') as new (options: Record<string, unknown>) => unknown
const socketFactory = require('kafkajs/src/network/socketFactory') as () => unknown
const { createLogger, LEVELS } = require('kafkajs/src/loggers') as {
  createLogger(options: { level: number; logCreator: () => () => void }): unknown
  LEVELS: { NOTHING: number }
}
type AssignerCodec<T> = { encode(value: T): Buffer; decode(buf: Buffer): T }
type Metadata = { version: number; topics: string[]; userData: Buffer }
type Assignment = { version: number; assignment: Record<string, number[]>; userData: Buffer }
const { MemberMetadata, MemberAssignment } = (
  require('kafkajs') as { AssignerProtocol: { MemberMetadata: AssignerCodec<Metadata>; MemberAssignment: AssignerCodec<Assignment> } }
).AssignerProtocol

let dir: { path: string; remove: () => Promise<void> }
let log: EmbeddedLog
let listener: KafkaListener
let kafkajs: KafkajsBroker

beforeEach(async () => {
  dir = await makeTempDir()
  log = await EmbeddedLog.open({ dataDir: dir.path, clock: new ManualClock(), maintenanceIntervalMs: 0 })
  listener = await KafkaListener.start({ log, port: 0 })
  const logger = createLogger({ level: LEVELS.NOTHING, logCreator: () => () => undefined })
  const connectionPool = new ConnectionPool({
    host: '127.0.0.1',
    port: listener.port,
    clientId: 'kafkajs-member',
    logger,
    socketFactory: socketFactory(),
    connectionTimeout: 5_000,
    requestTimeout: 30_000,
    enforceRequestTimeout: true,
  })
  kafkajs = new Broker({ connectionPool, logger })
  await kafkajs.connect()
})
afterEach(async () => {
  await kafkajs?.disconnect()
  await listener.close()
  await log.close()
  await dir.remove()
})

it('serves a kafkajs member and an in-process consumer in one group, with shared offsets', async () => {
  await log.createTopic('orders', { partitions: 2 })
  expect(await kafkajs.findGroupCoordinator({ groupId: 'shared', coordinatorType: 0 })).toMatchObject({
    coordinator: { nodeId: 0, host: '127.0.0.1', port: listener.port },
  })
  const protocols = [{ name: 'roundrobin', metadata: MemberMetadata.encode({ version: 1, topics: ['orders'], userData: Buffer.alloc(0) }) }]
  const join = (memberId: string) =>
    kafkajs.joinGroup({ groupId: 'shared', sessionTimeout: 30_000, rebalanceTimeout: 60_000, memberId, groupProtocols: protocols })
  const assign = (plan: Record<string, Record<string, number[]>>) =>
    Object.entries(plan).map(([memberId, assignment]) => ({
      memberId,
      memberAssignment: MemberAssignment.encode({ version: 1, assignment, userData: Buffer.alloc(0) }),
    }))

  // JoinGroup v5: kafkajs is told MEMBER_ID_REQUIRED, joins again with the id, and leads generation 1.
  const first = await join('')
  expect(first).toMatchObject({ generationId: 1, groupProtocol: 'roundrobin', leaderId: first.memberId })
  const synced = await kafkajs.syncGroup({
    groupId: 'shared',
    generationId: 1,
    memberId: first.memberId,
    groupAssignment: assign({ [first.memberId]: { orders: [0, 1] } }),
  })
  expect(MemberAssignment.decode(synced.memberAssignment).assignment).toEqual({ orders: [0, 1] })
  await kafkajs.heartbeat({ groupId: 'shared', groupGenerationId: 1, memberId: first.memberId })

  const subscribing = log.subscribe({ groupId: 'shared', topics: ['orders'], assignor: 'roundrobin', clientId: 'in-process' })
  await expect(kafkajs.heartbeat({ groupId: 'shared', groupGenerationId: 1, memberId: first.memberId })).rejects.toMatchObject({
    type: 'REBALANCE_IN_PROGRESS',
  })
  const second = await join(first.memberId)
  expect(second.generationId).toBe(2)
  const inProcess = second.members.find((m) => m.memberId !== first.memberId)!
  expect(MemberMetadata.decode(inProcess.memberMetadata).topics).toEqual(['orders'])
  await kafkajs.syncGroup({
    groupId: 'shared',
    generationId: 2,
    memberId: first.memberId,
    groupAssignment: assign({ [first.memberId]: { orders: [0] }, [inProcess.memberId]: { orders: [1] } }),
  })
  const consumer = await subscribing
  expect(consumer.assignment()).toEqual([{ topic: 'orders', partition: 1 }])

  await log.append('orders', [
    { key: null, value: Buffer.from('a'), partition: 1 },
    { key: null, value: Buffer.from('b'), partition: 1 },
  ])
  expect(await consumer.poll()).toHaveLength(2)
  await consumer.commit()
  await kafkajs.offsetCommit({
    groupId: 'shared',
    groupGenerationId: 2,
    memberId: first.memberId,
    topics: [{ topic: 'orders', partitions: [{ partition: 0, offset: '9' }] }],
  })
  const fetched = await kafkajs.offsetFetch({
    groupId: 'shared',
    topics: [{ topic: 'orders', partitions: [{ partition: 0 }, { partition: 1 }] }],
  })
  expect(fetched.responses[0]!.partitions.map((p) => [p.partition, p.offset])).toEqual([
    [0, '9'],
    [1, '2'],
  ])

  const described = await kafkajs.describeGroups({ groupIds: ['shared'] })
  expect(described.groups[0]).toMatchObject({ groupId: 'shared', state: 'Stable', protocolType: 'consumer', protocol: 'roundrobin' })
  expect(described.groups[0]!.members.map((m) => m.clientId).sort()).toEqual(['in-process', 'kafkajs-member'])
  expect((await kafkajs.listGroups()).groups).toEqual([{ groupId: 'shared', protocolType: 'consumer' }])

  await consumer.close()
  await kafkajs.leaveGroup({ groupId: 'shared', memberId: first.memberId })
  expect((await kafkajs.deleteGroups(['shared'])).results).toEqual([{ groupId: 'shared', errorCode: 0 }])
  expect((await kafkajs.listGroups()).groups).toEqual([])
})
