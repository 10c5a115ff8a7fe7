import os from 'node:os'
import { describe, expect, it } from 'vitest'
import { hostnameOfHostHeader, isLoopbackName, workerNames } from '../../../../core/api/worker-names.ts'

describe('worker names', () => {
  it('knows loopback names and addresses', () => {
    for (const name of ['localhost', 'LocalHost.', 'dashboard.localhost', '127.0.0.1', '127.255.0.9', '::1', '[::1]', '::ffff:127.0.0.1'])
      expect([name, isLoopbackName(name)]).toEqual([name, true])
    for (const name of ['localhost.example', 'evil-localhost', '128.0.0.1', '10.0.0.1', '::2', '0.0.0.0'])
      expect([name, isLoopbackName(name)]).toEqual([name, false])
  })

  it('reads the name out of a Host header, refusing what is not one', () => {
    expect(hostnameOfHostHeader('LOCALHOST:8083')).toBe('localhost')
    expect(hostnameOfHostHeader('[::1]:8083')).toBe('::1')
    expect(hostnameOfHostHeader('2130706433:8083')).toBe('127.0.0.1')
    for (const bad of [undefined, '', 'a b', 'user@localhost', 'localhost/x', 'localhost:99999'])
      expect(hostnameOfHostHeader(bad)).toBeUndefined()
  })

  it('answers to the bound, advertised and allowed names, and * to any', () => {
    const names = workerNames({ bindHost: '10.0.0.7', advertisedHost: 'Worker-1.internal', allowedHosts: ['api.example.com', ' '] })
    for (const name of ['10.0.0.7', 'worker-1.internal', 'api.example.com', 'localhost']) expect([name, names(name)]).toEqual([name, true])
    for (const name of ['10.0.0.8', 'example.com', 'rebind.attacker.example']) expect([name, names(name)]).toEqual([name, false])
    expect(workerNames({ allowedHosts: ['*'] })('anything.example')).toBe(true)
  })

  it("answers to its interfaces' addresses when bound to all of them, and not otherwise", () => {
    const address = Object.values(os.networkInterfaces())
      .flat()
      .find((entry) => entry !== undefined && !entry.internal)?.address
    if (address === undefined) return // a machine with loopback only has nothing more to answer to
    expect(workerNames({ bindHost: '0.0.0.0' })(address)).toBe(true)
    expect(workerNames({ bindHost: '127.0.0.1' })(address)).toBe(false)
    expect(workerNames({ bindHost: '0.0.0.0' })('0.0.0.0')).toBe(false)
  })
})
