import fs from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { tributaryCli } from '../support/tributary-cli.ts'
import { eventually, startWorkerHarness, type WorkerHarness } from '../support/worker-harness.ts'

let harness: WorkerHarness

beforeEach(async () => {
  harness = await startWorkerHarness()
})
afterEach(async () => {
  await harness.close()
})

const status = async (...args: string[]) => (await tributaryCli(['status', '--url', harness.base, ...args])).stdout

describe('tributary status', () => {
  it("shows every connector with its tasks, records, lag and errors, and a failed task's error", async () => {
    const out = path.join(harness.dataDir, 'out.jsonl')
    expect(
      (await harness.request('POST', '/connectors', { name: 'hooks', config: { 'connector.class': 'http-source', topic: 'events' } }))
        .status,
    ).toBe(201)
    expect(
      (
        await harness.request('POST', '/connectors', {
          name: 'archive',
          config: { 'connector.class': 'file-sink', file: out, topics: 'events' },
        })
      ).status,
    ).toBe(201)
    expect(
      (
        await harness.request('POST', '/connectors', {
          name: 'broken',
          config: { 'connector.class': 'file-sink', file: harness.dataDir, topics: 'events', 'restart.max.attempts': '0' },
        })
      ).status,
    ).toBe(201)
    expect((await harness.request('POST', '/ingest/hooks', [{ n: 1 }, { n: 2 }, { n: 3 }])).status).toBe(200)
    await eventually(
      () => (fs.existsSync(out) ? fs.readFileSync(out, 'utf8').split('\n').length : 0),
      (lines) => lines === 4,
    )
    await eventually(
      async () => (await harness.request('GET', '/connectors/broken/status')).body.tasks[0].state,
      (state) => state === 'FAILED',
    )

    const json = JSON.parse(await status('--json', '--sample-ms', '0'))
    expect(json.connectors.map((row: { name: string }) => row.name)).toEqual(['archive', 'broken', 'hooks'])
    expect(json.connectors[0]).toMatchObject({
      type: 'sink',
      plugin: 'file-sink',
      state: 'RUNNING',
      tasks: '0:RUNNING',
      records: 3,
      lag: 0,
      errors: 0,
    })
    expect(json.connectors[1]).toMatchObject({ state: 'RUNNING', tasks: '0:FAILED', records: 0 })
    expect(json.connectors[2]).toMatchObject({ type: 'source', plugin: 'http-source', tasks: '0:RUNNING', records: 3 })
    expect(json.connectors[2]['records/s']).toBeUndefined()

    const table = (await status('--sample-ms', '0')).split('\n')
    expect(table[0]).toMatch(/^NAME +TYPE +PLUGIN +STATE +TASKS +RECORDS\/S +RECORDS +LAG +ERRORS$/)
    expect(table[3]).toMatch(/^hooks +source +http-source +RUNNING +0:RUNNING +- +3 +- +0$/)
    expect(table).toContainEqual(expect.stringMatching(/^broken task 0 FAILED: TRB_SINK_WRITE: .*EISDIR/))
  })

  it('measures records/s over its sample', async () => {
    expect(
      (await harness.request('POST', '/connectors', { name: 'hooks', config: { 'connector.class': 'http-source', topic: 'events' } }))
        .status,
    ).toBe(201)
    let sending = true
    const sender = (async () => {
      while (sending) expect((await harness.request('POST', '/ingest/hooks', [{ n: 1 }, { n: 2 }])).status).toBe(200)
    })()
    try {
      const json = JSON.parse(await status('--json', '--sample-ms', '500'))
      expect(json.sampled_ms).toBe(500)
      expect(json.connectors[0]['records/s']).toBeGreaterThan(0)
    } finally {
      sending = false
      await sender
    }
  })

  it('refuses a bad --sample-ms as a usage error', async () => {
    await expect(status('--sample-ms', 'soon')).rejects.toMatchObject({ code: 2 })
  })
})
