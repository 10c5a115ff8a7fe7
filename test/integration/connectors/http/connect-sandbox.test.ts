/**
 * Issue row 11: outbound hosts. A real worker behind its REST API, real loopback servers: with
 * --connect-allowed-hosts a literal address outside is refused at create and validate, a name that
 * resolves outside is refused when the task connects (nothing reaches the server), and an allowed
 * host works. Whatever the limits, a failed connection's trace says only refused / unreachable /
 * timed out / protocol mismatch, never the remote's banner: the worker is no port scanner.
 */
import http from 'node:http'
import net from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { freePort } from '../../../support/free-port.ts'
import { eventually, startWorkerHarness, type WorkerHarness } from '../../../support/worker-harness.ts'

const BANNER = 'SSH-2.0-OpenSSH_9.6p1 Ubuntu-3ubuntu13'
const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function worker(connectAllowedHosts?: string[]): Promise<WorkerHarness> {
  const harness = await startWorkerHarness(connectAllowedHosts ? { connectAllowedHosts } : {})
  cleanups.push(() => harness.close())
  return harness
}

/** An HTTP endpoint on loopback that keeps what it is sent. */
async function endpoint(): Promise<{ url: string; bodies: string[] }> {
  const bodies: string[] = []
  const server = http.createServer((req, res) => {
    let body = ''
    req.on('data', (chunk: Buffer) => (body += chunk.toString()))
    req.on('end', () => {
      bodies.push(body)
      res.writeHead(200).end('{}')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  cleanups.push(() => new Promise((resolve) => server.close(() => resolve())))
  return { url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/in`, bodies }
}

/** A TCP service that greets every connection with a banner, as sshd does. */
async function bannerServer(): Promise<number> {
  const sockets = new Set<net.Socket>()
  const server = net.createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => undefined)
    socket.end(`${BANNER}\r\n`)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  cleanups.push(
    () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  )
  return (server.address() as net.AddressInfo).port
}

const traceOf = async (harness: WorkerHarness, name: string) =>
  (
    await eventually(
      async () => (await harness.request('GET', `/connectors/${name}/status`)).body.tasks[0],
      (task) => task?.state === 'FAILED',
      5000,
    )
  ).trace as string
/** Once the sinks' tasks have made the topic, one record into it. */
async function produce(harness: WorkerHarness, topic: string): Promise<void> {
  const response = await eventually(
    () => harness.request('POST', `/topics/${topic}/records`, { records: [{ key: null, value: '{"n":1}' }] }),
    (reply) => reply.status === 200,
  )
  expect(response.status).toBe(200)
}

describe('outbound hosts in the sandbox', () => {
  it('refuses a literal address outside the allowed ranges at create and validate', async () => {
    const harness = await worker(['10.0.0.0/8', 'db.internal'])
    const { url, bodies } = await endpoint()
    const created = await harness.request('POST', '/connectors', {
      name: 'ssrf',
      config: { 'connector.class': 'http-sink', url, topics: 'events' },
    })
    expect(created.status).toBe(400)
    expect(created.body.message).toMatch(/url: host 127\.0\.0\.1:\d+ .*--connect-allowed-hosts/)
    const poll = await harness.request('POST', '/connectors', {
      name: 'poll',
      config: {
        'connector.class': 'http-source',
        mode: 'poll',
        url: 'http://169.254.169.254/latest/meta-data/',
        'poll.interval.ms': '1000',
        topic: 'loot',
      },
    })
    expect(poll.status).toBe(400)
    const pg = await harness.request('POST', '/connectors', {
      name: 'pg',
      config: { 'connector.class': 'postgres-sink', url: 'postgres://u:p@192.168.1.5:5432/db', topics: 'events' },
    })
    expect(pg.status).toBe(400)
    const validated = await harness.request('PUT', '/connector-plugins/mysql-sink/config/validate', {
      'connector.class': 'mysql-sink',
      url: 'mysql://u:p@127.0.0.1:3306/shop',
      topics: 'events',
    })
    const errors = validated.body.configs.find((c: { definition: { name: string } }) => c.definition.name === 'url').value
      .errors as string[]
    expect(errors).toEqual([expect.stringContaining('--connect-allowed-hosts')])
    expect(bodies).toEqual([])
  })

  it('refuses a name that resolves outside when the task connects, and sends nothing', async () => {
    const harness = await worker(['10.0.0.0/8'])
    const { url, bodies } = await endpoint()
    const created = await harness.request('POST', '/connectors', {
      name: 'rebind',
      config: { 'connector.class': 'http-sink', url: url.replace('127.0.0.1', 'localhost'), topics: 'events', 'restart.max.attempts': '0' },
    })
    expect(created.status).toBe(201)
    await produce(harness, 'events')
    expect(await traceOf(harness, 'rebind')).toContain('TRB_CONNECT_HOST_NOT_ALLOWED')
    expect(bodies).toEqual([])
  })

  it('reaches an allowed host, by range or by name', async () => {
    const harness = await worker(['127.0.0.1/32'])
    const { url, bodies } = await endpoint()
    expect(
      (
        await harness.request('POST', '/connectors', {
          name: 'ok',
          config: { 'connector.class': 'http-sink', url, topics: 'events', 'batch.size': '1' },
        })
      ).status,
    ).toBe(201)
    expect(
      (
        await harness.request('POST', '/connectors', {
          name: 'by-name',
          config: { 'connector.class': 'http-sink', url: url.replace('127.0.0.1', 'localhost'), topics: 'events', 'batch.size': '1' },
        })
      ).status,
    ).toBe(201)
    await produce(harness, 'events')
    await eventually(
      () => bodies.length,
      (count) => count === 2,
    )
    expect(bodies).toEqual(['{"n":1}', '{"n":1}'])
  })

  it('says only refused or protocol mismatch of a port that is closed or speaks something else', async () => {
    const harness = await worker()
    const ssh = await bannerServer()
    const closed = await freePort()
    const sinks = {
      'http-ssh': { 'connector.class': 'http-sink', url: `http://127.0.0.1:${ssh}/`, 'retry.max': '0' },
      'http-closed': { 'connector.class': 'http-sink', url: `http://127.0.0.1:${closed}/`, 'retry.max': '0' },
      'pg-ssh': { 'connector.class': 'postgres-sink', url: `postgres://u:p@127.0.0.1:${ssh}/db` },
    }
    for (const [name, config] of Object.entries(sinks)) {
      expect(
        (await harness.request('POST', '/connectors', { name, config: { ...config, topics: 'events', 'restart.max.attempts': '0' } }))
          .status,
      ).toBe(201)
    }
    await produce(harness, 'events')
    const traces = Object.fromEntries(
      await Promise.all(Object.keys(sinks).map(async (name) => [name, await traceOf(harness, name)] as const)),
    )
    expect(traces['http-ssh']).toContain('protocol mismatch')
    expect(traces['http-closed']).toContain('failed: refused')
    expect(traces['pg-ssh']).toContain(`cannot connect to 127.0.0.1:${ssh}: TLS or protocol mismatch`)
    for (const trace of Object.values(traces)) {
      expect(trace).not.toContain('SSH-2.0')
      expect(trace).not.toMatch(/ECONNREFUSED|HPE_|unexpected|Parse Error/i)
    }
  })
})
