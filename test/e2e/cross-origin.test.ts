/**
 * A web page the operator happens to open, in a real browser (issue rows 3 and 13): served from
 * another loopback origin, it tries what a browser lets any page do without a preflight (no-cors
 * fetches, a text/plain form POST that reads as JSON, framing the dashboard) against the worker. The
 * worker acts on none of it, while the same requests from the worker's own origin still work.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Request } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium, type HeadlessChromium } from '../support/headless-chromium.ts'
import { topicRecords } from '../support/topic-records.ts'
import { eventually, startWorkerHarness, type WorkerHarness } from '../support/worker-harness.ts'

let browser: HeadlessChromium
let harness: WorkerHarness | undefined
let attacker: http.Server | undefined

beforeAll(async () => {
  browser = await launchChromium('cross-origin')
})
afterAll(async () => {
  await browser.close()
})
afterEach(async () => {
  attacker?.closeAllConnections()
  if (attacker !== undefined) await new Promise((resolve) => attacker?.close(resolve))
  attacker = undefined
  await harness?.close()
  harness = undefined
})

/** Serves one HTML page on another loopback port: another origin (and, to a browser, the same site). */
async function servePage(html: string): Promise<string> {
  attacker = http.createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(html))
  await new Promise<void>((resolve) => attacker?.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(attacker.address() as AddressInfo).port}/`
}

async function webhookWorker(): Promise<WorkerHarness> {
  harness = await startWorkerHarness()
  const worker = harness
  expect(
    (await worker.request('POST', '/connectors', { name: 'hook', config: { 'connector.class': 'http-source', topic: 'hooks' } })).status,
  ).toBe(201)
  await eventually(
    () => worker.request('POST', '/ingest/hook', []),
    (answer) => answer.status === 200,
  )
  return worker
}

describe('a page on another origin', () => {
  it('cannot post to a webhook, create a connector, restart one or frame the worker', async () => {
    const worker = await webhookWorker()
    const evilConfig = `{"name":"evil","config":{"connector.class":"file-sink","topics":"hooks","file":"${worker.dataDir}/stolen.jsonl","x":"`
    const url = await servePage(`<!doctype html><html><body>
      <iframe name="sink"></iframe>
      <iframe id="framed" src="${worker.base}/connectors"></iframe>
      <form id="create" method="POST" action="${worker.base}/connectors" enctype="text/plain" target="sink">
        <input type="hidden" name='${evilConfig}' value='"}}'>
      </form>
      <script>
        const send = (path, body, type) => fetch('${worker.base}' + path, { method: 'POST', mode: 'no-cors', body, headers: type ? { 'content-type': type } : {} })
        window.attack = Promise.allSettled([
          send('/ingest/hook', '{"stolen":1}', 'text/plain'),
          send('/ingest/hook', 'a=1', 'application/x-www-form-urlencoded'),
          send('/ingest/hook', new Blob(['{"stolen":2}'])),
          send('/connectors/hook/restart'),
        ]).then(() => document.getElementById('create').submit())
      </script></body></html>`)

    const page = await browser.newPage()
    // The browser delivers no answer to the page (Cross-Origin-Resource-Policy), so what counts is what the worker did.
    const settled: string[] = []
    const done = (request: Request) => {
      if (request.url().startsWith(worker.base)) settled.push(`${request.method()} ${new URL(request.url()).pathname}`)
    }
    page.on('requestfinished', done)
    page.on('requestfailed', done)
    const violations: string[] = []
    page.on('console', (message) => {
      if (message.text().includes('Content Security Policy')) violations.push(message.text())
    })
    await page.goto(url)
    await eventually(
      () => settled.length,
      (count) => count === 6,
    )
    expect(settled.sort()).toEqual([
      'GET /connectors',
      'POST /connectors',
      'POST /connectors/hook/restart',
      'POST /ingest/hook',
      'POST /ingest/hook',
      'POST /ingest/hook',
    ])
    // Both frames (the API and the form's answer) are refused by the browser: frame-ancestors 'none'.
    // The console reports a refusal after the request has finished, so wait for both reports.
    await eventually(
      () => violations.length,
      (count) => count >= 2,
    )
    expect(violations).toEqual([expect.stringContaining("frame-ancestors 'none'"), expect.stringContaining("frame-ancestors 'none'")])
    await browser.screenshot(page, 'attacker-page')
    await page.close()

    expect((await worker.request('GET', '/connectors')).body).toEqual(['hook'])
    expect(await topicRecords(worker, 'hooks')).toEqual([])
    expect((await worker.request('GET', '/connectors/hook/status')).body.connector.state).toBe('RUNNING')
  })

  it("leaves the worker's own origin free to write", async () => {
    const worker = await webhookWorker()
    const page = await browser.newPage()
    await page.goto(`${worker.base}/health`)
    const status = await page.evaluate(
      `fetch('/ingest/hook', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"mine":1}' }).then((r) => r.status)`,
    )
    expect(status).toBe(200)
    await page.close()
    expect(await topicRecords(worker, 'hooks')).toEqual([{ key: null, value: { mine: 1 } }])
  })
})
