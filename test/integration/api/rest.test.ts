import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createApi, startApi, type RunningApi } from '../../../core/api/server.ts'
import { EmbeddedLog } from '../../../core/log/embedded-log.ts'
import { makeTempDir } from '../../support/temp-dir.ts'

let dir: { path: string; remove: () => Promise<void> }
let log: EmbeddedLog
let api: RunningApi
let base: string
let ready = true

beforeEach(async () => {
  dir = await makeTempDir()
  log = await EmbeddedLog.open({ dataDir: dir.path, maintenanceIntervalMs: 0 })
  api = await startApi(createApi({ log, health: { version: '9.9.9', isReady: () => ready } }), 0, '127.0.0.1')
  base = `http://127.0.0.1:${api.port}`
})
afterEach(async () => {
  await api.close()
  await log.close()
  await dir.remove()
  ready = true
})

describe('REST API', () => {
  it("answers / and /health in Kafka Connect's shapes", async () => {
    expect(await (await fetch(`${base}/`)).json()).toEqual({ version: '9.9.9', commit: null, kafka_cluster_id: null })
    const health = await fetch(`${base}/health`)
    expect(health.status).toBe(200)
    expect(await health.json()).toMatchObject({ status: 'healthy' })
    ready = false
    const starting = await fetch(`${base}/health`)
    expect(starting.status).toBe(503)
    expect(await starting.json()).toMatchObject({ status: 'starting' })
  })

  it('lists topics with their partitions and offsets', async () => {
    await log.createTopic('orders', { partitions: 2 })
    await log.append('orders', [{ key: null, value: Buffer.from('x'), partition: 1 }])
    const topics = (await (await fetch(`${base}/topics`)).json()) as Array<{ name: string; partitions: Array<{ highWatermark: number }> }>
    expect(topics.map((t) => t.name)).toEqual(['orders'])
    expect(topics[0]!.partitions.map((p) => p.highWatermark)).toEqual([0, 1])
    const one = await fetch(`${base}/topics/orders`)
    expect(((await one.json()) as { config: { partitions: number } }).config.partitions).toBe(2)
  })

  it('reads records from an offset or from a timestamp', async () => {
    await log.createTopic('events')
    await log.append(
      'events',
      [1_000, 2_000, 3_000].map((timestamp) => ({ key: Buffer.from(`k${timestamp}`), value: Buffer.from(`v${timestamp}`), timestamp })),
    )
    const read = async (query: string) =>
      ((await (await fetch(`${base}/topics/events/records?${query}`)).json()) as { records: Array<{ offset: number; key: string }> })
        .records
    expect((await read('offset=1')).map((record) => record.offset)).toEqual([1, 2])
    expect((await read('timestamp=1500')).map((record) => record.key)).toEqual(['k2000', 'k3000'])
    expect((await read('timestamp=2000&offset=0&limit=1')).map((record) => record.key)).toEqual(['k2000'])
    expect(await read('timestamp=9000')).toEqual([])
    expect((await fetch(`${base}/topics/events/records?timestamp=soon`)).status).toBe(400)
  })

  it('answers errors as { error_code, message } with the mapped status', async () => {
    const missing = await fetch(`${base}/topics/nope`)
    expect(missing.status).toBe(404)
    expect(await missing.json()).toEqual({ error_code: 404, message: 'topic nope does not exist' })
    const noRoute = await fetch(`${base}/nowhere`)
    expect(noRoute.status).toBe(404)
    expect(await noRoute.json()).toMatchObject({ error_code: 404 })
    const badJson = await fetch(`${base}/topics`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"broken' })
    expect(badJson.status).toBe(400)
    expect(await badJson.json()).toMatchObject({ error_code: 400 })
  })
})
