import { describe, expect, it } from 'vitest'
import { ConnectionAdmission, type AdmittedConnection } from '../../../../../core/kafka/server/connection-admission.ts'

function connection(ip: string, isEstablished: boolean): AdmittedConnection & { evicted: boolean } {
  return {
    ip,
    isEstablished,
    evicted: false,
    evict() {
      this.evicted = true
    },
  }
}

describe('connection admission', () => {
  it('makes room by closing the oldest connection that never established itself, from the same address for the per-address cap', () => {
    const admission = new ConnectionAdmission({ maxConnections: 4, maxConnectionsPerIp: 2 })
    const local = [connection('127.0.0.1', false), connection('127.0.0.1', false)]
    const remote = connection('10.0.0.5', false)
    for (const c of [...local, remote]) admission.add(c)
    expect(admission.makeRoom('127.0.0.1')).toBe('admitted')
    expect(local.map((c) => c.evicted)).toEqual([true, false])
    expect(remote.evicted).toBe(false)
    expect(admission.size).toBe(2)
  })

  it('refuses when every connection in the way has established itself', () => {
    const admission = new ConnectionAdmission({ maxConnections: 2, maxConnectionsPerIp: 2 })
    admission.add(connection('127.0.0.1', true))
    admission.add(connection('10.0.0.5', true))
    expect(admission.makeRoom('10.0.0.6')).toBe('refused-total')
    const perIp = new ConnectionAdmission({ maxConnections: 10, maxConnectionsPerIp: 1 })
    perIp.add(connection('127.0.0.1', true))
    perIp.add(connection('10.0.0.5', false))
    expect(perIp.makeRoom('127.0.0.1')).toBe('refused-per-ip')
    expect(perIp.makeRoom('10.0.0.7')).toBe('admitted')
  })
})
