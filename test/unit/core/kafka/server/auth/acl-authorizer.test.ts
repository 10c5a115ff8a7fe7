import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { EmbeddedLog } from '../../../../../../core/log/embedded-log.ts'
import { AclAuthorizer } from '../../../../../../core/kafka/server/auth/acl-authorizer.ts'
import type { AclBinding } from '../../../../../../core/kafka/server/auth/acl-binding.ts'
import { AclStore } from '../../../../../../core/kafka/server/auth/acl-store.ts'
import { ANONYMOUS_PRINCIPAL, CLUSTER_RESOURCE } from '../../../../../../core/kafka/server/auth/authorizer.ts'
import { ReservedResources } from '../../../../../../core/kafka/server/auth/reserved-resources.ts'
import { makeTempDir } from '../../../../../support/temp-dir.ts'

const as = (name: string, host = '10.0.0.1') => ({ principal: `User:${name}`, host })
const topic = (name: string) => ({ type: 'topic' as const, name })
const allow = (
  resourceName: string,
  principal: string,
  operation: AclBinding['operation'],
  extra: Partial<AclBinding> = {},
): AclBinding => ({
  resourceType: 'topic',
  resourceName,
  patternType: 'literal',
  principal,
  host: '*',
  operation,
  permission: 'allow',
  ...extra,
})

let dir: Awaited<ReturnType<typeof makeTempDir>>
let log: EmbeddedLog
let acls: AclStore
beforeEach(async () => {
  dir = await makeTempDir()
  log = await EmbeddedLog.open({ dataDir: dir.path, maintenanceIntervalMs: 0 })
  acls = await AclStore.open(log)
})
afterEach(async () => {
  await log.close()
  await dir.remove()
})

const authorizer = (allowEveryoneIfNoAclFound = true) =>
  new AclAuthorizer({ acls, reserved: new ReservedResources(), superUsers: ['User:root'], allowEveryoneIfNoAclFound })

describe('the ACL authorizer', () => {
  it("grants what an allow says (with Kafka's implied Describe), and a deny wins", async () => {
    await acls.add([
      allow('orders', 'User:alice', 'Write'),
      allow('orders', 'User:*', 'Read'),
      allow('orders', 'User:bob', 'Read', { permission: 'deny' }),
      allow('logs-', 'User:alice', 'All', { patternType: 'prefixed', host: '10.0.0.1' }),
    ])
    const a = authorizer()
    expect(a.authorize(as('alice'), 'Write', topic('orders'))).toBe(true)
    expect(a.authorize(as('alice'), 'Describe', topic('orders'))).toBe(true)
    expect(a.authorize(as('alice'), 'Delete', topic('orders'))).toBe(false)
    expect(a.authorize(as('carol'), 'Read', topic('orders'))).toBe(true)
    expect(a.authorize(as('bob'), 'Read', topic('orders'))).toBe(false)
    expect(a.authorize(as('bob'), 'Describe', topic('orders'))).toBe(true)
    expect(a.authorize(as('alice'), 'Delete', topic('logs-app'))).toBe(true)
    expect(a.authorize(as('alice', '10.0.0.2'), 'Delete', topic('logs-app'))).toBe(false)
    // No ACL covers it: open, unless allow.everyone.if.no.acl.found is off.
    expect(a.authorize(as('carol'), 'Write', topic('free'))).toBe(true)
    expect(authorizer(false).authorize(as('carol'), 'Write', topic('free'))).toBe(false)
    expect(authorizer(false).authorize(as('root'), 'Write', topic('free'))).toBe(true)
  })

  it('opens internal topics and ACL management only to explicit grants, never to User:ANONYMOUS', async () => {
    await acls.add([
      allow('_tributary-configs', 'User:alice', 'Read'),
      allow('*', 'User:bob', 'All'),
      allow('_tributary-', 'User:*', 'All', { patternType: 'prefixed' }),
      allow('_', 'User:carol', 'All', { patternType: 'prefixed' }),
      allow('_tributary-configs', ANONYMOUS_PRINCIPAL, 'All'),
      allow('kafka-cluster', 'User:ops', 'Alter', { resourceType: 'cluster' }),
    ])
    const a = authorizer()
    expect(a.authorize(as('alice'), 'Read', topic('_tributary-configs'))).toBe(true)
    expect(a.authorize(as('alice'), 'Write', topic('_tributary-configs'))).toBe(false)
    for (const who of ['bob', 'carol', 'dave']) expect(a.authorize(as(who), 'Read', topic('_tributary-configs'))).toBe(false)
    expect(a.authorize({ principal: ANONYMOUS_PRINCIPAL, host: '10.0.0.1' }, 'Read', topic('_tributary-configs'))).toBe(false)
    expect(a.authorize(as('ops'), 'Alter', CLUSTER_RESOURCE)).toBe(true)
    expect(a.authorize(as('alice'), 'Alter', CLUSTER_RESOURCE)).toBe(false)
    // As in Kafka, once an ACL covers the cluster, the no-ACL rule no longer opens it.
    expect(a.authorize(as('alice'), 'DescribeConfigs', CLUSTER_RESOURCE)).toBe(false)
  })
})
