import { describe, expect, it } from 'vitest'
import { resolveWorkerSettings } from '../../../core/worker-settings.ts'

describe("worker settings of the Kafka listener's security", () => {
  it('reads super users as Kafka writes them, separated by ; (or ,), and refuses names without User:', () => {
    expect(resolveWorkerSettings({}, {}).kafkaSuperUsers).toEqual([])
    expect(resolveWorkerSettings({}, { TRIBUTARY_KAFKA_SUPER_USERS: 'User:worker; User:admin,User:ops' }).kafkaSuperUsers).toEqual([
      'User:worker',
      'User:admin',
      'User:ops',
    ])
    expect(() => resolveWorkerSettings({}, { TRIBUTARY_KAFKA_SUPER_USERS: 'worker' })).toThrow(
      expect.objectContaining({ code: 'TRB_CONFIG_INVALID', message: expect.stringContaining('User:<name>') }),
    )
  })

  it("takes the listener's limits from TRIBUTARY_KAFKA_*, Kafka's defaults otherwise, and names the variable at fault", () => {
    expect(resolveWorkerSettings({}, {}).kafkaLimits).toEqual({
      maxConnections: 1000,
      maxConnectionsPerIp: 500,
      connectionsMaxIdleMs: 600_000,
      preAuthTimeoutMs: 10_000,
      socketRequestMaxBytes: 104_857_600,
      queuedMaxRequestBytes: 104_857_600,
    })
    const env = {
      TRIBUTARY_KAFKA_MAX_CONNECTIONS_PER_IP: '50',
      TRIBUTARY_KAFKA_PRE_AUTH_TIMEOUT_MS: '2000',
      TRIBUTARY_KAFKA_SOCKET_REQUEST_MAX_BYTES: '1048576',
      TRIBUTARY_KAFKA_QUEUED_MAX_REQUEST_BYTES: '8388608',
    }
    expect(resolveWorkerSettings({}, env).kafkaLimits).toMatchObject({
      maxConnectionsPerIp: 50,
      preAuthTimeoutMs: 2000,
      socketRequestMaxBytes: 1_048_576,
      queuedMaxRequestBytes: 8_388_608,
    })
    expect(() => resolveWorkerSettings({}, { TRIBUTARY_KAFKA_MAX_CONNECTIONS: 'many' })).toThrow(
      expect.objectContaining({ code: 'TRB_CONFIG_INVALID', message: expect.stringContaining('TRIBUTARY_KAFKA_MAX_CONNECTIONS') }),
    )
    expect(() => resolveWorkerSettings({}, { TRIBUTARY_KAFKA_QUEUED_MAX_REQUEST_BYTES: '1024' })).toThrow(
      expect.objectContaining({
        message: expect.stringContaining(
          'TRIBUTARY_KAFKA_QUEUED_MAX_REQUEST_BYTES must be at least TRIBUTARY_KAFKA_SOCKET_REQUEST_MAX_BYTES',
        ),
      }),
    )
  })

  it('reads allow.everyone.if.no.acl.found as true or false, true by default', () => {
    expect(resolveWorkerSettings({}, {}).kafkaAllowEveryoneIfNoAclFound).toBe(true)
    expect(resolveWorkerSettings({}, { TRIBUTARY_KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND: 'false' }).kafkaAllowEveryoneIfNoAclFound).toBe(
      false,
    )
    expect(() => resolveWorkerSettings({}, { TRIBUTARY_KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND: 'no' })).toThrow(
      expect.objectContaining({ message: expect.stringContaining('must be true or false') }),
    )
  })
})
