import fs from 'node:fs'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { PipelineManager } from '../../../core/worker/pipeline-manager.ts'
import { makeTempDir } from '../../support/temp-dir.ts'
import { eventually, startWorkerHarness, type WorkerHarness } from '../../support/worker-harness.ts'

let harness: WorkerHarness | undefined
let files: { path: string; remove: () => Promise<void> } | undefined

afterEach(async () => {
  await harness?.close()
  await files?.remove()
  harness = undefined
  files = undefined
})

describe('GET /metrics/connectors', () => {
  it("sums each connector's counters over its tasks, with the time of reading", async () => {
    harness = await startWorkerHarness()
    const output = path.join(harness.dataDir, 'out.jsonl')
    expect(
      (await harness.request('POST', '/connectors', { name: 'hooks', config: { 'connector.class': 'http-source', topic: 'events' } }))
        .status,
    ).toBe(201)
    expect(
      (
        await harness.request('POST', '/connectors', {
          name: 'archive',
          config: { 'connector.class': 'file-sink', file: output, topics: 'events' },
        })
      ).status,
    ).toBe(201)
    const before = Date.now()
    expect((await harness.request('POST', '/ingest/hooks', [{ n: 1 }, { n: 2 }])).status).toBe(200)
    expect((await harness.request('POST', '/ingest/hooks', { n: 3 })).status).toBe(200)
    const reading = await eventually(
      async () => (await harness!.request('GET', '/metrics/connectors')).body,
      (body) => body.connectors.archive?.sink_records_put === 3,
    )
    expect(reading.at).toBeGreaterThanOrEqual(before)
    expect(reading.connectors.hooks).toEqual({
      source_records_polled: 3,
      source_records_written: 3,
      sink_records_put: 0,
      records_filtered: 0,
      record_errors: 0,
      sink_lag_records: 0,
    })
    expect(reading.connectors.archive).toMatchObject({ source_records_written: 0, sink_records_put: 3, record_errors: 0 })
  })
})

describe('GET /connectors?expand=pipeline', () => {
  it('names the pipeline and file that own a connector, and null for one made by API', async () => {
    harness = await startWorkerHarness()
    const configDir = path.join(harness.dataDir, 'pipelines')
    fs.mkdirSync(configDir)
    const file = path.join(configDir, 'shop.orders.yaml')
    fs.writeFileSync(file, 'version: 1\npipeline: shop.orders\ntopic: { name: orders }\nsources:\n  - { id: hook, type: http-source }\n')
    await new PipelineManager(harness.worker, configDir).apply()
    expect(
      (await harness.request('POST', '/connectors', { name: 'by-hand', config: { 'connector.class': 'http-source', topic: 'manual' } }))
        .status,
    ).toBe(201)
    expect((await harness.request('GET', '/connectors?expand=pipeline')).body).toEqual({
      'by-hand': { pipeline: null },
      'shop.orders.hook': { pipeline: { name: 'shop.orders', file } },
    })
    expect(Object.keys((await harness.request('GET', '/connectors?expand=pipeline&expand=status')).body['by-hand'])).toEqual([
      'status',
      'pipeline',
    ])
  })
})

describe('GET /ui', () => {
  it("serves the dashboard's files without the bearer token, while the API still needs it", async () => {
    files = await makeTempDir('tributary-ui-files-')
    fs.mkdirSync(path.join(files.path, 'assets'))
    fs.writeFileSync(path.join(files.path, 'index.html'), '<!doctype html><title>Tributary</title>')
    fs.writeFileSync(path.join(files.path, 'assets', 'index-abc123.js'), 'export {}')
    harness = await startWorkerHarness({ authToken: 'sesame', dashboardDir: files.path })
    const page = await fetch(`${harness.base}/ui/`)
    expect(page.status).toBe(200)
    expect(page.headers.get('content-type')).toMatch(/^text\/html/)
    expect(page.headers.get('cache-control')).toBe('no-cache')
    expect(await page.text()).toContain('<title>Tributary</title>')
    const asset = await fetch(`${harness.base}/ui/assets/index-abc123.js`)
    expect(asset.status).toBe(200)
    expect(asset.headers.get('cache-control')).toContain('immutable')
    const missing = await fetch(`${harness.base}/ui/assets/gone.js`)
    expect(missing.status).toBe(404)
    expect(await missing.json()).toEqual({ error_code: 404, message: 'no route for GET /ui/assets/gone.js' })
    expect((await fetch(`${harness.base}/connectors`)).status).toBe(401)
    expect((await fetch(`${harness.base}/metrics/connectors`)).status).toBe(401)
    expect((await harness.request('GET', '/metrics/connectors')).status).toBe(200)
  })

  it('answers 503 with the way out when the dashboard is not built', async () => {
    files = await makeTempDir('tributary-ui-empty-')
    harness = await startWorkerHarness({ dashboardDir: files.path })
    const response = await harness.request('GET', '/ui/')
    expect(response.status).toBe(503)
    expect(response.body).toEqual({ error_code: 503, message: `the dashboard is not built in ${files.path}: run npm run build:ui` })
  })
})
