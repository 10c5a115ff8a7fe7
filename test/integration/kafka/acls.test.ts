/**
 * Kafka-style ACLs on the listener, managed with kafkajs' admin client (CreateAcls, DescribeAcls,
 * DeleteAcls v0-1) and Kafka's flexible versions (v3, as the Java admin client sends them): a deny
 * wins, literal and prefixed patterns and User:* apply, a resource no ACL covers stays open,
 * internal topics open only to an explicit grant, only a super user manages ACLs, and the ACLs
 * survive a restart of the listener on the same data directory.
 */
import kafkajs from 'kafkajs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { KafkaError } from '../../../core/kafka/protocol/error-codes.ts'
import { KafkaListener } from '../../../core/kafka/server/listener.ts'
import { EmbeddedLog } from '../../../core/log/embedded-log.ts'
import { wireApis } from '../../support/kafka-wire-apis.ts'
import { KafkaWireClient } from '../../support/kafka-wire-client.ts'
import { saslPlainClients } from '../../support/sasl-plain-clients.ts'
import { makeTempDir } from '../../support/temp-dir.ts'
import { SaslUsers } from '../../../core/kafka/server/sasl-users.ts'

const { AclResourceTypes, AclOperationTypes, AclPermissionTypes, ResourcePatternTypes } = kafkajs

const users = { admin: 'admin-pass', alice: 'alice-pass', bob: 'bob-pass', mallory: 'mallory-pass' }
type User = keyof typeof users

let dir: Awaited<ReturnType<typeof makeTempDir>>
let log: EmbeddedLog
let listener: KafkaListener

async function open(): Promise<void> {
  log = await EmbeddedLog.open({ dataDir: dir.path, maintenanceIntervalMs: 0 })
  listener = await KafkaListener.start({ log, port: 0, sasl: { users: SaslUsers.fromPasswords(users) }, superUsers: ['User:admin'] })
}

async function close(): Promise<void> {
  await listener.close()
  await log.close()
}

beforeAll(async () => {
  dir = await makeTempDir()
  await open()
  for (const topic of ['orders', 'orders-eu', 'free', '_tributary-configs']) await log.createTopic(topic, { partitions: 1 })
  await log.append('_tributary-configs', [{ key: Buffer.from('connector-pg'), value: Buffer.from('{"password":"x"}'), partition: 0 }])
})
afterAll(async () => {
  await close()
  await dir.remove()
})

const { kafkajs: client, withAdmin, withWire } = saslPlainClients(() => listener.port, users)

/** The Kafka error a kafkajs error stands for, or 'ok'. */
async function outcome(action: () => Promise<unknown>): Promise<string> {
  try {
    await action()
    return 'ok'
  } catch (error) {
    const e = error as { type?: string; cause?: { type?: string } }
    return e.type ?? e.cause?.type ?? String(error)
  }
}

const canDescribe = (user: User, topic: string) => outcome(() => withAdmin(user, (admin) => admin.fetchTopicOffsets(topic)))
async function canWrite(user: User, topic: string): Promise<string> {
  const producer = client(user).producer()
  await producer.connect()
  try {
    return await outcome(() => producer.send({ topic, messages: [{ key: 'k', value: 'v' }] }))
  } finally {
    await producer.disconnect()
  }
}

const acl = (
  resourceName: string,
  principal: string,
  operation: number,
  permissionType: number,
  resourcePatternType: number = ResourcePatternTypes.LITERAL,
) => ({ resourceType: AclResourceTypes.TOPIC, resourceName, resourcePatternType, principal, host: '*', operation, permissionType })
const anyAcl = {
  resourceType: AclResourceTypes.ANY,
  resourcePatternType: ResourcePatternTypes.ANY,
  operation: AclOperationTypes.ANY,
  permissionType: AclPermissionTypes.ANY,
}

describe('ACLs', () => {
  it('only a super user manages them', async () => {
    const refused = await outcome(() =>
      withAdmin('alice', (admin) =>
        admin.createAcls({ acl: [acl('orders', 'User:alice', AclOperationTypes.ALL, AclPermissionTypes.ALLOW)] }),
      ),
    )
    expect(refused).toBe('CLUSTER_AUTHORIZATION_FAILED')
    expect(await outcome(() => withAdmin('alice', (admin) => admin.describeAcls(anyAcl)))).toBe('CLUSTER_AUTHORIZATION_FAILED')
    // Before any ACL, every authenticated user may use any ordinary topic.
    expect(await canWrite('mallory', 'orders')).toBe('ok')
  })

  it('grant what they say, deny wins, and internal topics open only to an explicit grant', async () => {
    await withAdmin('admin', (admin) =>
      admin.createAcls({
        acl: [
          acl('orders', 'User:alice', AclOperationTypes.WRITE, AclPermissionTypes.ALLOW, ResourcePatternTypes.PREFIXED),
          acl('orders', 'User:*', AclOperationTypes.READ, AclPermissionTypes.ALLOW),
          acl('orders', 'User:bob', AclOperationTypes.ALL, AclPermissionTypes.DENY),
          acl('_tributary-configs', 'User:alice', AclOperationTypes.READ, AclPermissionTypes.ALLOW),
          acl('_tributary-', 'User:*', AclOperationTypes.ALL, AclPermissionTypes.ALLOW, ResourcePatternTypes.PREFIXED),
        ],
      }),
    )
    expect(await canWrite('alice', 'orders')).toBe('ok')
    expect(await canWrite('alice', 'orders-eu')).toBe('ok')
    expect(await canWrite('mallory', 'orders')).toBe('TOPIC_AUTHORIZATION_FAILED')
    expect(await canDescribe('mallory', 'orders')).toBe('ok')
    expect(await canDescribe('bob', 'orders')).toBe('TOPIC_AUTHORIZATION_FAILED')
    expect(await canWrite('mallory', 'free')).toBe('ok')
    expect(await canDescribe('alice', '_tributary-configs')).toBe('ok')
    expect(await canWrite('alice', '_tributary-configs')).toBe('TOPIC_AUTHORIZATION_FAILED')
    expect(await canDescribe('bob', '_tributary-configs')).toBe('TOPIC_AUTHORIZATION_FAILED')
  })

  it('describe as kafkajs and the Java client ask (v1 and flexible v3), and survive a restart', async () => {
    const described = await withAdmin('admin', (admin) =>
      admin.describeAcls({
        ...anyAcl,
        resourceType: AclResourceTypes.TOPIC,
        resourceName: 'orders',
        resourcePatternType: ResourcePatternTypes.MATCH,
      }),
    )
    const summary = (resources: typeof described.resources) =>
      resources
        .flatMap((r) => r.acls.map((a) => `${r.resourceName}/${r.resourcePatternType} ${a.principal} ${a.operation} ${a.permissionType}`))
        .sort()
    expect(summary(described.resources)).toEqual([
      `orders/${ResourcePatternTypes.LITERAL} User:* ${AclOperationTypes.READ} ${AclPermissionTypes.ALLOW}`,
      `orders/${ResourcePatternTypes.LITERAL} User:bob ${AclOperationTypes.ALL} ${AclPermissionTypes.DENY}`,
      `orders/${ResourcePatternTypes.PREFIXED} User:alice ${AclOperationTypes.WRITE} ${AclPermissionTypes.ALLOW}`,
    ])
    await close()
    await open()
    const wire = await KafkaWireClient.connect(listener.port)
    try {
      await wire.request(wireApis.saslHandshake, 1, { mechanism: 'PLAIN' })
      await wire.request(wireApis.saslAuthenticate, 2, { authBytes: Buffer.from('\u0000admin\u0000admin-pass') })
      const all = await wire.request(wireApis.describeAcls, 3, {
        resourceTypeFilter: 1,
        resourceNameFilter: null,
        patternTypeFilter: 1,
        principalFilter: null,
        hostFilter: null,
        operation: 1,
        permissionType: 1,
      })
      expect(all.errorCode).toBe(KafkaError.NONE)
      expect(all.resources.flatMap((r) => r.acls)).toHaveLength(5)
      const refused = await wire.request(wireApis.createAcls, 3, {
        creations: [
          { resourceType: 2, resourceName: 'x', resourcePatternType: 2, principal: 'User:a', host: '*', operation: 3, permissionType: 3 },
          { resourceType: 2, resourceName: 'x', resourcePatternType: 3, principal: 'alice', host: '*', operation: 3, permissionType: 3 },
        ],
      })
      expect(refused.results.map((r) => r.errorCode)).toEqual([KafkaError.INVALID_REQUEST, KafkaError.INVALID_REQUEST])
    } finally {
      wire.close()
    }
    expect(await canDescribe('bob', 'orders')).toBe('TOPIC_AUTHORIZATION_FAILED')
    expect(await canDescribe('alice', '_tributary-configs')).toBe('ok')
  })

  it('delete by filter, and what they granted or refused goes with them', async () => {
    const deleted = await withAdmin('admin', (admin) =>
      admin.deleteAcls({
        filters: [
          { ...anyAcl, principal: 'User:bob' },
          {
            ...anyAcl,
            resourceType: AclResourceTypes.TOPIC,
            resourceName: '_tributary-configs',
            resourcePatternType: ResourcePatternTypes.LITERAL,
          },
        ],
      }),
    )
    expect(deleted.filterResponses.map((f) => f.matchingAcls.map((a) => a.principal))).toEqual([['User:bob'], ['User:alice']])
    expect(await canDescribe('bob', 'orders')).toBe('ok')
    expect(await canDescribe('alice', '_tributary-configs')).toBe('TOPIC_AUTHORIZATION_FAILED')
    const left = await withAdmin('admin', (admin) => admin.describeAcls(anyAcl))
    expect(left.resources.flatMap((r) => r.acls)).toHaveLength(3)
  })

  it('cover transactional ids: a transactional producer needs Write on its id', async () => {
    const txnAcl = (resourceName: string, principal: string, permissionType: number) => ({
      ...acl(resourceName, principal, AclOperationTypes.WRITE, permissionType, ResourcePatternTypes.PREFIXED),
      resourceType: AclResourceTypes.TRANSACTIONAL_ID,
    })
    await withAdmin('admin', (admin) =>
      admin.createAcls({
        acl: [txnAcl('alice-', 'User:alice', AclPermissionTypes.ALLOW), txnAcl('alice-', 'User:mallory', AclPermissionTypes.DENY)],
      }),
    )
    const transact = (user: User) =>
      outcome(async () => {
        const producer = client(user).producer({
          transactionalId: 'alice-app',
          idempotent: true,
          maxInFlightRequests: 1,
          retry: { retries: 1 },
        })
        await producer.connect()
        try {
          const txn = await producer.transaction()
          await txn.send({ topic: 'free', messages: [{ value: user }] })
          await txn.commit()
        } finally {
          await producer.disconnect()
        }
      })
    expect(await transact('alice')).toBe('ok')
    // kafkajs reports a refused FindCoordinator as no coordinator found; the wire says why.
    expect(await transact('mallory')).not.toBe('ok')
    await withWire('mallory', async (wire) => {
      expect((await wire.request(wireApis.findCoordinator, 3, { key: 'alice-app', keyType: 1, coordinatorKeys: [] })).errorCode).toBe(
        KafkaError.TRANSACTIONAL_ID_AUTHORIZATION_FAILED,
      )
      const init = await wire.request(wireApis.initProducerId, 4, {
        transactionalId: 'alice-app',
        transactionTimeoutMs: 60_000,
        producerId: -1,
        producerEpoch: -1,
        enable2Pc: false,
        keepPreparedTxn: false,
      })
      expect(init.errorCode).toBe(KafkaError.TRANSACTIONAL_ID_AUTHORIZATION_FAILED)
    })
    const described = await withAdmin('admin', (admin) =>
      admin.describeAcls({ ...anyAcl, resourceType: AclResourceTypes.TRANSACTIONAL_ID }),
    )
    expect(described.resources.map((r) => [r.resourceType, r.resourceName, r.acls.length])).toEqual([
      [AclResourceTypes.TRANSACTIONAL_ID, 'alice-', 2],
    ])
  })
})

describe('ACLs without SASL', () => {
  it('cannot be managed by anyone: every client is User:ANONYMOUS', async () => {
    const plainDir = await makeTempDir()
    const plainLog = await EmbeddedLog.open({ dataDir: plainDir.path, maintenanceIntervalMs: 0 })
    const plain = await KafkaListener.start({ log: plainLog, port: 0, superUsers: ['User:ANONYMOUS'] })
    const wire = await KafkaWireClient.connect(plain.port)
    try {
      const created = await wire.request(wireApis.createAcls, 1, {
        creations: [
          {
            resourceType: 2,
            resourceName: '_tributary-configs',
            resourcePatternType: 3,
            principal: 'User:ANONYMOUS',
            host: '*',
            operation: 2,
            permissionType: 3,
          },
        ],
      })
      expect(created.results[0]!.errorCode).toBe(KafkaError.CLUSTER_AUTHORIZATION_FAILED)
      expect(plainLog.hasTopic('_tributary-acls')).toBe(false)
    } finally {
      wire.close()
      await plain.close()
      await plainLog.close()
      await plainDir.remove()
    }
  })
})
