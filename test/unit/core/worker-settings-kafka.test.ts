import { describe, expect, it } from 'vitest'
import { resolveWorkerSettings } from '../../../core/worker-settings.ts'

describe('worker settings of the Kafka listener\'s security', () => {
  it('reads super users as Kafka writes them, separated by ; (or ,), and refuses names without User:', () => {
    expect(resolveWorkerSettings({}, {}).kafkaSuperUsers).toEqual([])
    expect(resolveWorkerSettings({}, { TRIBUTARY_KAFKA_SUPER_USERS: 'User:worker; User:admin,User:ops' }).kafkaSuperUsers).toEqual(['User:worker', 'User:admin', 'User:ops'])
    expect(() => resolveWorkerSettings({}, { TRIBUTARY_KAFKA_SUPER_USERS: 'worker' })).toThrow(expect.objectContaining({ code: 'TRB_CONFIG_INVALID', message: expect.stringContaining('User:<name>') }))
  })
})
