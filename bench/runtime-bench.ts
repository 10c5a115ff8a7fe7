/**
 * `npm run bench:runtime`: the connector runtime end to end on this machine, JSON on stdout.
 * - fileToFile: N lines tailed by file-source into a topic and written by file-sink (fsync per
 *   batch), measured from start until the output has every line: records/s through both connectors.
 * - webhook: concurrent POSTs of one JSON record each to `/ingest/<connector>`, each answered only
 *   once durable (fsync): requests/s and p50/p99 latency. The load never waits for one answer before
 *   the next request on other connections.
 * `--records N` scales the file run; `--seconds S` the webhook run; `--connections C`.
 */
import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { startWorkerHarness } from '../test/support/worker-harness.ts'
import { spawnWorker } from '../test/support/worker-process.ts'
import { latencySummary, perSecond } from './lib/stats.ts'

const { values } = parseArgs({
  options: {
    records: { type: 'string', default: '200000' },
    seconds: { type: 'string', default: '5' },
    connections: { type: 'string', default: '32' },
  },
})
const records = Number(values.records)
const seconds = Number(values.seconds)
const connections = Number(values.connections)

async function fileToFile(): Promise<{ recordsPerSec: number; elapsedMs: number }> {
  const harness = await startWorkerHarness()
  try {
    const input = path.join(harness.dataDir, 'in.log')
    const output = path.join(harness.dataDir, 'out.jsonl')
    const line = `${'x'.repeat(90)}\n`
    fs.writeFileSync(input, line.repeat(records))
    const started = performance.now()
    await harness.request('POST', '/connectors', {
      name: 'in',
      config: { 'connector.class': 'file-source', file: input, topic: 'lines', 'batch.size': '5000' },
    })
    await harness.request('POST', '/connectors', { name: 'out', config: { 'connector.class': 'file-sink', file: output, topics: 'lines' } })
    const expectedBytes = records * (line.length + 2)
    while (!fs.existsSync(output) || fs.statSync(output).size < expectedBytes) await new Promise((resolve) => setTimeout(resolve, 20))
    const elapsedMs = performance.now() - started
    return { recordsPerSec: perSecond(records, elapsedMs), elapsedMs: Math.round(elapsedMs) }
  } finally {
    await harness.close()
  }
}

/** One POST over a keep-alive connection; resolves with the status. */
function post(agent: http.Agent, url: URL, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (response) => {
        response.resume()
        response.on('end', () => resolve(response.statusCode ?? 0))
      },
    )
    request.on('error', reject)
    request.end(body)
  })
}

async function webhook(): Promise<{ requestsPerSec: number; p50Ms: number; p99Ms: number; requests: number }> {
  // The worker runs in its own process, so the load generator does not share its event loop.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-bench-'))
  fs.mkdirSync(path.join(dir, 'config'))
  fs.writeFileSync(
    path.join(dir, 'config', 'hook.yaml'),
    'version: 1\npipeline: bench\ntopic: { name: hooks }\nsources:\n  - { id: hook, type: http-source }\n',
  )
  const worker = await spawnWorker(path.join(dir, 'config'), path.join(dir, 'data'), { TRIBUTARY_LOG_LEVEL: 'error' })
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections })
  try {
    const url = new URL(`${worker.url}/ingest/bench.hook`)
    while ((await post(agent, url, '{"warm":true}')) !== 200) await new Promise((resolve) => setTimeout(resolve, 10))
    const latencies: number[] = []
    const deadline = performance.now() + seconds * 1000
    const started = performance.now()
    await Promise.all(
      Array.from({ length: connections }, async (_, lane) => {
        for (let n = 0; performance.now() < deadline; n++) {
          const sent = performance.now()
          if ((await post(agent, url, JSON.stringify({ lane, n, payload: 'x'.repeat(64) }))) === 200)
            latencies.push(performance.now() - sent)
        }
      }),
    )
    const elapsedMs = performance.now() - started
    const summary = latencySummary(latencies)
    return { requestsPerSec: perSecond(latencies.length, elapsedMs), p50Ms: summary.p50, p99Ms: summary.p99, requests: latencies.length }
  } finally {
    agent.destroy()
    worker.child.kill('SIGTERM')
    await worker.exited
    fs.rmSync(dir, { recursive: true, force: true })
  }
}

const file = await fileToFile()
const hook = await webhook()
const result = {
  machine: { cpus: os.cpus().length, node: process.version },
  'fileToFile.records': records,
  'fileToFile.recordsPerSec': file.recordsPerSec,
  'webhook.connections': connections,
  'webhook.requestsPerSec': hook.requestsPerSec,
  'webhook.p50Ms': hook.p50Ms,
  'webhook.p99Ms': hook.p99Ms,
  durability: 'fsync: the topic acknowledges after fsync; file-sink fsyncs before each commit',
}
process.stderr.write(`file → topic → file: ${file.recordsPerSec} records/s (${records} records in ${file.elapsedMs} ms)\n`)
process.stderr.write(
  `webhook (${connections} connections): ${hook.requestsPerSec} requests/s, p50 ${hook.p50Ms} ms, p99 ${hook.p99Ms} ms\n`,
)
process.stdout.write(`${JSON.stringify(result)}\n`)
