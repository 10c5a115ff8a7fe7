/**
 * Distributed mode: three worker processes on one Kafka cluster (a fourth Tributary's listener) form
 * the group `connect-test` and divide six file-source connectors among themselves. One worker is
 * killed with SIGKILL; its connectors move to the survivors, which resume from the stored offsets,
 * so the topic ends with every line of every file exactly once, in order per file.
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startKafkaCluster, type KafkaCluster } from '../../support/kafka-cluster.ts'
import { makeTempDir } from '../../support/temp-dir.ts'
import { eventually } from '../../support/worker-harness.ts'
import { spawnWorker, type WorkerProcess } from '../../support/worker-process.ts'

const SOURCES = 6
const GROUP = 'connect-test'

let dir: Awaited<ReturnType<typeof makeTempDir>>
let cluster: KafkaCluster
const workers: WorkerProcess[] = []

interface Status {
  connector: { state: string; worker_id: string }
  tasks: Array<{ id: number; state: string; worker_id: string }>
}

beforeAll(async () => {
  dir = await makeTempDir()
  fs.mkdirSync(path.join(dir.path, 'config'))
  cluster = await startKafkaCluster()
  for (let i = 0; i < 3; i++) {
    workers.push(await spawnWorker(path.join(dir.path, 'config'), path.join(dir.path, `unused-${i}`), {
      ...cluster.clientEnv,
      TRIBUTARY_GROUP_ID: GROUP,
      TRIBUTARY_GROUP_SESSION_TIMEOUT_MS: '3000',
    }))
  }
}, 60_000)

afterAll(async () => {
  for (const worker of workers) {
    worker.child.kill('SIGKILL')
    await worker.exited
  }
  await cluster?.stop()
  await dir?.remove()
})

const workerId = (worker: WorkerProcess): string => new URL(worker.url).host
const input = (source: number): string => path.join(dir.path, `input-${source}.log`)
const lines = (source: number, from: number, to: number): string => Array.from({ length: to - from }, (_, i) => `s${source} line ${from + i}\n`).join('')

async function json<T>(url: string, init?: RequestInit): Promise<{ status: number; body: T }> {
  const response = await fetch(url, { ...init, headers: { 'content-type': 'application/json' } })
  return { status: response.status, body: (await response.json()) as T }
}

async function statuses(worker: WorkerProcess): Promise<Status[]> {
  return Promise.all(Array.from({ length: SOURCES }, async (_, i) => (await json<Status>(`${worker.url}/connectors/src-${i}/status`)).body))
}

/** The values of partition 0 of `lines`, read from the cluster, as the JSON converter stored them. */
async function topicValues(): Promise<string[]> {
  const response = await fetch(`${cluster.worker.url}/topics/lines/records?partition=0&offset=0&limit=10000&wait_ms=200`)
  if (!response.ok) return []
  return ((await response.json()) as { records: Array<{ value: string }> }).records.map((r) => JSON.parse(r.value) as string)
}

/** Every source's stored offset is at its file's end: nothing read from it is left unrecorded. */
async function offsetsAtEnd(worker: WorkerProcess): Promise<boolean> {
  for (let i = 0; i < SOURCES; i++) {
    const { body } = await json<{ offsets: Array<{ offset: { position: number } | null }> }>(`${worker.url}/connectors/src-${i}/offsets`)
    if (body.offsets?.[0]?.offset?.position !== fs.statSync(input(i)).size) return false
  }
  return true
}

describe('workers in a group on a Kafka cluster', () => {
  it('spread the connectors, and after a SIGKILL the survivors take over from the stored offsets', async () => {
    for (let i = 0; i < SOURCES; i++) fs.writeFileSync(input(i), lines(i, 0, 20))
    // Every connector is created through the first worker's REST API.
    for (let i = 0; i < SOURCES; i++) {
      const created = await json(`${workers[0]!.url}/connectors`, {
        method: 'POST',
        body: JSON.stringify({ name: `src-${i}`, config: { 'connector.class': 'file-source', file: input(i), topic: 'lines', format: 'text' } }),
      })
      expect(created.status).toBe(201)
    }
    const ids = workers.map(workerId)
    // The tasks run spread over the three workers, and every worker reports the same placement.
    const placed = await eventually(() => statuses(workers[2]!), (all) => all.every((s) => s.tasks[0]?.state === 'RUNNING' && ids.includes(s.tasks[0].worker_id)), 30_000)
    expect(new Set(placed.map((s) => s.tasks[0]!.worker_id))).toEqual(new Set(ids))
    for (const ids of [0, 1, 2].map((w) => placed.filter((s) => s.tasks[0]!.worker_id === workerId(workers[w]!)).length)) expect(ids).toBe(2)

    await eventually(topicValues, (values) => values.length === SOURCES * 20, 30_000)
    for (let i = 0; i < SOURCES; i++) fs.appendFileSync(input(i), lines(i, 20, 40))
    await eventually(topicValues, (values) => values.length === SOURCES * 40, 30_000)
    await eventually(() => offsetsAtEnd(workers[1]!), (done) => done, 30_000)

    // Kill the worker running src-0's task; more lines arrive while it is gone.
    const victim = workers.find((w) => workerId(w) === placed[0]!.tasks[0]!.worker_id)!
    const lost = placed.filter((s) => s.tasks[0]!.worker_id === workerId(victim)).length
    expect(lost).toBe(2)
    victim.child.kill('SIGKILL')
    await victim.exited
    workers.splice(workers.indexOf(victim), 1)
    for (let i = 0; i < SOURCES; i++) fs.appendFileSync(input(i), lines(i, 40, 60))

    const survivors = workers.map(workerId)
    const moved = await eventually(() => statuses(workers[0]!), (all) => all.every((s) => s.tasks[0]?.state === 'RUNNING' && survivors.includes(s.tasks[0].worker_id)), 30_000)
    expect(new Set(moved.map((s) => s.tasks[0]!.worker_id))).toEqual(new Set(survivors))
    const values = await eventually(topicValues, (all) => all.length >= SOURCES * 60, 30_000)
    expect(values).toHaveLength(SOURCES * 60)
    for (let i = 0; i < SOURCES; i++) {
      expect(values.filter((v) => v.startsWith(`s${i} `))).toEqual(lines(i, 0, 60).trimEnd().split('\n'))
    }
  })
})
