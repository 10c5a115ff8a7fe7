import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import http from 'node:http'
import path from 'node:path'
import type { AddressInfo } from 'node:net'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { eventually, startWorkerHarness, type WorkerHarness } from '../../support/worker-harness.ts'

let harness: WorkerHarness
let server: http.Server | undefined

beforeEach(async () => {
  harness = await startWorkerHarness()
})
afterEach(async () => {
  await harness.close()
  if (server) await new Promise<void>((resolve) => server?.close(() => resolve()))
  server = undefined
})

/** A real HTTP endpoint on loopback that answers each POSTed JSON array through `answer`. */
async function endpoint(answer: (batch: unknown[]) => number): Promise<{ url: string; received: unknown[]; statuses: number[] }> {
  const received: unknown[] = []
  const statuses: number[] = []
  server = http.createServer((req, res) => {
    let body = ''
    req.on('data', (chunk: Buffer) => (body += chunk.toString()))
    req.on('end', () => {
      const batch = JSON.parse(body) as unknown[]
      const status = answer(batch)
      statuses.push(status)
      if (status < 300) received.push(...batch)
      res.writeHead(status).end()
    })
  })
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, received, statuses }
}

async function produce(topic: string, values: string[]): Promise<void> {
  await harness.request('POST', '/topics', { name: topic })
  const response = await harness.request('POST', `/topics/${topic}/records`, { records: values.map((value) => ({ value })) })
  expect(response.status).toBe(200)
}

async function topicRecords(topic: string): Promise<Array<{ value: string; headers: Record<string, string> }>> {
  const response = await harness.request('GET', `/topics/${topic}/records?partition=0&offset=earliest`)
  return response.status === 200 ? response.body.records : []
}

describe('error handling', () => {
  it('sends a record the converter rejects to the dead-letter topic with its context, and delivers the rest', async () => {
    const target = await endpoint(() => 200)
    await produce('orders', ['{"id":1}', 'not json', '{"id":3}'])
    await harness.request('POST', '/connectors', {
      name: 'push',
      config: {
        'connector.class': 'http-sink',
        url: target.url,
        topics: 'orders',
        'errors.tolerance': 'all',
        'errors.deadletterqueue.topic.name': 'orders.dlq',
      },
    })
    await eventually(
      () => target.received.length,
      (n) => n === 2,
    )
    expect(target.received).toEqual([{ id: 1 }, { id: 3 }])
    const dead = await eventually(
      () => topicRecords('orders.dlq'),
      (records) => records.length === 1,
    )
    expect(dead[0]?.value).toBe('not json')
    expect(dead[0]?.headers).toMatchObject({
      '__connect.errors.topic': 'orders',
      '__connect.errors.partition': '0',
      '__connect.errors.offset': '1',
      '__connect.errors.connector.name': 'push',
      '__connect.errors.task.id': '0',
      '__connect.errors.stage': 'VALUE_CONVERTER',
    })
    expect(dead[0]?.headers['__connect.errors.exception.message']).toContain('not valid JSON')
  })

  it('fails the task visibly with errors.tolerance none, and a restart after the fix carries on', async () => {
    const target = await endpoint(() => 200)
    await produce('orders', ['{"id":1}', 'not json'])
    await harness.request('POST', '/connectors', {
      name: 'push',
      config: {
        'connector.class': 'http-sink',
        url: target.url,
        topics: 'orders',
        'restart.max.attempts': '1',
        'restart.backoff.ms': '10',
      },
    })
    const status = await eventually(
      async () => (await harness.request('GET', '/connectors/push/status')).body,
      (body) => body.tasks[0]?.state === 'FAILED',
    )
    expect(status.tasks[0].trace).toContain('TRB_CONVERTER_FAILED')
    // The batch failed before put(), so nothing of it was delivered or committed.
    expect(target.received).toEqual([])
    await harness.request('PUT', '/connectors/push/config', {
      'connector.class': 'http-sink',
      url: target.url,
      topics: 'orders',
      'value.converter': 'string',
    })
    await eventually(
      () => target.received.length,
      (n) => n === 2,
    )
    expect(target.received).toEqual(['{"id":1}', 'not json'])
  })

  it('restarts a sink whose endpoint fails for a while, and loses nothing', async () => {
    let failuresLeft = 6
    const target = await endpoint(() => (failuresLeft-- > 0 ? 503 : 200))
    await produce(
      'events',
      Array.from({ length: 20 }, (_, i) => JSON.stringify({ i })),
    )
    await harness.request('POST', '/connectors', {
      name: 'push',
      config: {
        'connector.class': 'http-sink',
        url: target.url,
        topics: 'events',
        'batch.size': '5',
        'retry.max': '1',
        'retry.backoff.ms': '5',
        'restart.backoff.ms': '10',
        'restart.backoff.max.ms': '50',
      },
    })
    await eventually(
      () => new Set(target.received.map((r) => (r as { i: number }).i)).size,
      (n) => n === 20,
    )
    expect(target.statuses.filter((s) => s === 503)).toHaveLength(6)
    expect((await harness.request('GET', '/connectors/push/status')).body.tasks[0].state).toBe('RUNNING')
  })

  it('isolates the records an endpoint refuses with 4xx, dead-letters them, and replays them once fixed', async () => {
    let refuseBad = true
    const target = await endpoint((batch) => (refuseBad && batch.some((r) => (r as { bad?: boolean }).bad) ? 422 : 200))
    await produce('events', [
      ...Array.from({ length: 6 }, (_, i) => JSON.stringify({ i })),
      JSON.stringify({ i: 6, bad: true }),
      JSON.stringify({ i: 7 }),
    ])
    await harness.request('POST', '/connectors', {
      name: 'push',
      config: {
        'connector.class': 'http-sink',
        url: target.url,
        topics: 'events',
        'errors.tolerance': 'all',
        'errors.deadletterqueue.topic.name': 'events.dlq',
      },
    })
    await eventually(
      () => target.received.length,
      (n) => n === 7,
    )
    expect(target.received.map((r) => (r as { i: number }).i).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 7])
    const dead = await eventually(
      () => topicRecords('events.dlq'),
      (records) => records.length === 1,
    )
    expect(dead[0]?.headers['__connect.errors.stage']).toBe('TASK_PUT')
    refuseBad = false
    const replay = await harness.request('POST', '/topics/events.dlq/replay')
    expect(replay.body).toEqual({ replayed: 1, skipped: 0, byTopic: { events: 1 }, remaining: 0 })
    await eventually(
      () => target.received.length,
      (n) => n === 8,
    )
    expect(target.received.at(-1)).toEqual({ i: 6, bad: true })
    expect((await harness.request('POST', '/topics/events.dlq/replay')).body.replayed).toBe(0)
  })

  it('gives sources a dead-letter path: a record a transform rejects is kept, not dropped', async () => {
    await harness.request('POST', '/connectors', {
      name: 'hook',
      config: {
        'connector.class': 'http-source',
        topic: 'hooks',
        transforms: 'tag',
        'transforms.tag.type': 'insert-field',
        'transforms.tag.static.field': 'via',
        'transforms.tag.static.value': 'hook',
        'errors.tolerance': 'all',
        'errors.deadletterqueue.topic.name': 'hooks.dlq',
      },
    })
    await eventually(
      async () => (await harness.request('GET', '/connectors/hook/status')).body.tasks[0]?.state,
      (state) => state === 'RUNNING',
    )
    const post = (body: string) =>
      fetch(`${harness.base}/ingest/hook`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
    expect((await post('{"a":1}')).status).toBe(200)
    expect((await post('"just a string"')).status).toBe(200)
    expect((await topicRecords('hooks')).map((r) => JSON.parse(r.value))).toEqual([{ a: 1, via: 'hook' }])
    const dead = await topicRecords('hooks.dlq')
    expect(dead.map((r) => r.value)).toEqual(['just a string'])
    expect(dead[0]?.headers['__connect.errors.stage']).toBe('TRANSFORMATION')
    expect(dead[0]?.headers['__connect.errors.exception.message']).toContain('transform tag failed')
  })

  it('replays a dead-letter topic in slices, from the CLI too', async () => {
    await harness.request('POST', '/topics', { name: 'x.dlq' })
    await harness.request('POST', '/topics', { name: 'x' })
    const records = Array.from({ length: 5 }, (_, i) => ({
      value: `v${i}`,
      headers: { '__connect.errors.topic': 'x', '__connect.errors.stage': 'TASK_PUT' },
    }))
    await harness.request('POST', '/topics/x.dlq/records', { records: [...records, { value: 'orphan' }] })
    expect((await harness.request('POST', '/topics/x.dlq/replay?max=2')).body).toEqual({
      replayed: 2,
      skipped: 0,
      byTopic: { x: 2 },
      remaining: 4,
    })
    // Asynchronously: the worker answering the CLI runs in this very process.
    const cli = await promisify(execFile)(
      process.execPath,
      [path.resolve(import.meta.dirname, '../../../bin/tributary.cjs'), 'dlq', 'replay', 'x.dlq', '--url', harness.base, '--json'],
      { env: { ...process.env, TRIBUTARY_LOG_LEVEL: 'silent' } },
    )
    expect(JSON.parse(cli.stdout)).toEqual({ replayed: 3, skipped: 1, byTopic: { x: 3 }, remaining: 0 })
    const replayed = await topicRecords('x')
    expect(replayed.map((r) => r.value)).toEqual(['v0', 'v1', 'v2', 'v3', 'v4'])
    expect(Object.keys(replayed[0]?.headers ?? {})).toEqual([])
  })
})
