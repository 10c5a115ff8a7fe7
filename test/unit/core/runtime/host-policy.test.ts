import { describe, expect, it } from 'vitest'
import { HostPolicy } from '../../../../core/runtime/host-policy.ts'

describe('the host sandbox', () => {
  const policy = new HostPolicy(['10.0.0.0/8', '192.0.2.7', 'fd00::/8', 'db.internal', '*.example.com'])

  it('judges literal addresses by range without DNS, IPv4-mapped IPv6 as IPv4', async () => {
    expect(policy.refusalWithoutDns('10.1.2.3', 5432)).toBeUndefined()
    expect(policy.refusalWithoutDns('192.0.2.7', 80)).toBeUndefined()
    expect(policy.refusalWithoutDns('192.0.2.8', 80)).toContain('--connect-allowed-hosts')
    expect(policy.refusalWithoutDns('[fd00::1]', 80)).toBeUndefined()
    expect(policy.refusalWithoutDns('169.254.169.254', 80)).toContain('is outside')
    expect(await policy.resolve('::ffff:10.0.0.1', 80)).toEqual(['::ffff:10.0.0.1'])
    await expect(policy.resolve('127.0.0.1', 80)).rejects.toMatchObject({ code: 'TRB_CONNECT_HOST_NOT_ALLOWED' })
  })

  it('trusts listed names and suffixes, and resolves others into the ranges', async () => {
    expect(policy.refusalWithoutDns('db.internal', 5432)).toBeUndefined()
    expect(policy.refusalWithoutDns('API.Example.com', 443)).toBeUndefined()
    await expect(policy.resolve('localhost', 80)).rejects.toMatchObject({ code: 'TRB_CONNECT_HOST_NOT_ALLOWED' })
    const namesOnly = new HostPolicy(['db.internal'])
    expect(namesOnly.refusalWithoutDns('localhost', 80)).toContain('is not among')
    expect(await new HostPolicy(['127.0.0.0/8']).resolve('localhost', 80)).toContain('127.0.0.1')
  })

  it('refuses an entry that is neither a range nor a name', () => {
    for (const entry of ['10.0.0.0/33', 'http://x', 'a b'])
      expect(() => new HostPolicy([entry])).toThrow(expect.objectContaining({ code: 'TRB_CONFIG_INVALID' }))
  })
})
