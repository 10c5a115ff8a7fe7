/** The benchmarks' view of a running worker: its REST API, and waiting for a phase to finish. */
import type { WorkerProcess } from '../../test/support/worker-process.ts'
import type { RestJson } from '../../test/support/rest-json.ts'

export async function request(worker: WorkerProcess, method: string, route: string, body?: unknown): Promise<RestJson> {
  const response = await fetch(`${worker.url}${route}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  })
  const text = await response.text()
  if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${text}`)
  return text.length > 0 ? JSON.parse(text) : undefined
}

/** Records in a topic over all its partitions; 0 before it exists. */
export async function topicCount(worker: WorkerProcess, topic: string): Promise<number> {
  const response = await fetch(`${worker.url}/topics/${topic}`)
  if (!response.ok) return 0
  const described = (await response.json()) as { partitions: Array<{ highWatermark: number }> }
  return described.partitions.reduce((sum, p) => sum + p.highWatermark, 0)
}

/**
 * Waits until partition 0 of a topic holds `count` records by long-polling for the last of them: the
 * worker spends nothing on the wait (asking for the topic's size every few ms took ~9% of its CPU).
 */
export async function untilTopicHolds(worker: WorkerProcess, topic: string, count: number, timeoutMs = 600_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const response = await fetch(`${worker.url}/topics/${topic}/records?partition=0&offset=${count - 1}&limit=1&wait_ms=1000`)
    if (response.ok && ((await response.json()) as { records: unknown[] }).records.length > 0) return
    if (Date.now() > deadline) throw new Error('benchmark phase timed out')
    if (!response.ok) await new Promise((resolve) => setTimeout(resolve, 50)) // no topic yet
  }
}

/** Probes every 10 ms until true: for setting up, not inside a measured phase (see untilTopicHolds). */
export async function until(probe: () => Promise<boolean>, timeoutMs = 600_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error('benchmark phase timed out')
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

export async function untilRunning(worker: WorkerProcess, connector: string): Promise<void> {
  await until(async () => (await request(worker, 'GET', `/connectors/${connector}/status`)).tasks[0]?.state === 'RUNNING')
}

/** SIGTERM, then wait for the worker to exit (it flushes and closes its log). */
export async function stopWorker(worker: WorkerProcess): Promise<void> {
  worker.child.kill('SIGTERM')
  await worker.exited
}

/** The mean size of a record's key and value in the first `sample` records of partition 0 of a topic. */
export async function bytesPerRecord(worker: WorkerProcess, topic: string, sample = 1000): Promise<number> {
  const read = (await request(worker, 'GET', `/topics/${topic}/records?partition=0&offset=0&limit=${sample}`)) as {
    records: Array<{ key: string | null; value: string | null; key_encoding?: string; value_encoding?: string }>
  }
  const size = (text: string | null, encoding: string | undefined) =>
    text === null ? 0 : Buffer.byteLength(text, encoding === 'base64' ? 'base64' : 'utf8')
  const total = read.records.reduce(
    (sum, record) => sum + size(record.key, record.key_encoding) + size(record.value, record.value_encoding),
    0,
  )
  return read.records.length === 0 ? 0 : Math.round(total / read.records.length)
}
