import { describe, expect, it } from 'vitest'
import { ANONYMOUS_PRINCIPAL } from '../../../../../../core/kafka/server/auth/authorizer.ts'
import { ReservedResources } from '../../../../../../core/kafka/server/auth/reserved-resources.ts'
import { ReservedResourcesAuthorizer } from '../../../../../../core/kafka/server/auth/reserved-resources-authorizer.ts'

const anonymous = { principal: ANONYMOUS_PRINCIPAL, host: '127.0.0.1' }
const alice = { principal: 'User:alice', host: '127.0.0.1' }
const worker = { principal: 'User:worker', host: '127.0.0.1' }

describe('the authorizer without ACLs', () => {
  const authorizer = new ReservedResourcesAuthorizer(new ReservedResources(['connect-prod']), ['User:worker', ANONYMOUS_PRINCIPAL])

  it.each([
    '_tributary-configs',
    '_tributary-offsets',
    '_tributary-status',
    '_tributary-acls',
    '_tributary-anything',
    '__consumer_offsets',
    '__transaction_state',
    '_schemas',
  ])('closes the internal topic %s to everyone but a super user', (name) => {
    for (const operation of ['Read', 'Write', 'Describe', 'Delete', 'Create', 'Alter', 'DescribeConfigs'] as const) {
      expect(authorizer.authorize(alice, operation, { type: 'topic', name })).toBe(false)
      expect(authorizer.authorize(anonymous, operation, { type: 'topic', name })).toBe(false)
      expect(authorizer.authorize(worker, operation, { type: 'topic', name })).toBe(true)
    }
  })

  it("closes the runtime's groups and the worker group; everything else is open to all", () => {
    for (const name of ['tributary-archive', 'tributary-dlq-replay-orders.dlq', 'connect-prod']) {
      expect(authorizer.authorize(alice, 'Read', { type: 'group', name })).toBe(false)
      expect(authorizer.authorize(worker, 'Read', { type: 'group', name })).toBe(true)
    }
    expect(authorizer.authorize(anonymous, 'Read', { type: 'group', name: 'my-app' })).toBe(true)
    expect(authorizer.authorize(anonymous, 'Write', { type: 'topic', name: 'orders' })).toBe(true)
    expect(authorizer.authorize(anonymous, 'Write', { type: 'topic', name: '_orders' })).toBe(true)
    expect(authorizer.authorize(anonymous, 'Create', { type: 'cluster', name: 'kafka-cluster' })).toBe(true)
  })
})
