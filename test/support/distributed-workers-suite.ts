/**
 * Distributed mode, on any Kafka cluster: three worker processes form the group `connect-test` and
 * divide six file-source connectors among themselves. One worker is killed with SIGKILL; its
 * connectors move to the survivors, which resume from the stored offsets, so the topic ends with
 * every line of every file exactly once, in order per file. Run against Tributary's own listener
 * standing in for a cluster and against real Apache Kafka, so that the group protocol and the
 * internal topics hold on both.
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeTempDir } from './temp-dir.ts'
import { eventually } from './worker-harness.ts'
import { spawnWorker, type WorkerProcess } from './worker-process.ts'

const SOURCES = 6
const GROUP = 'connect-test'

/** What the suite needs of a cluster. */
export interface ClusterForWorkers {
  /** The environment that puts a worker's topics on the cluster. */
  readonly clientEnv: Readonly<Record<string, string>>
  /** The group session timeout workers may use: a real broker refuses one below its group.min.session.timeout.ms. */
  readonly sessionTimeoutMs: number
  /** The values of partition 0 of a topic as stored, oldest first; [] while the topic does not exist. */
  values(topic: string): Promise<string[]>
}

interface Status {
  connector: { state: string; worker_id: string }
  tasks: Array<{ id: number; state: string; worker_id: string }>
}

export function runDistributedWorkersSuite(name: string, cluster: () => ClusterForWorkers): void {
  let dir: Awaited<ReturnType<typeof makeTempDir>>
  const workers: WorkerProcess[] = []

  const workerId = (worker: WorkerProcess): string => new URL(worker.url).host
  const input = (source: number): string => path.join(dir.path, `input-${source}.log`)
  const lines = (source: number, from: number, to: number): string =>
    Array.from({ length: to - from }, (_, i) => `s${source} line ${from + i}\n`).join('')

  async function json<T>(url: string, init?: RequestInit): Promise<{ status: number; body: T }> {
    const response = await fetch(url, { ...init, headers: { 'content-type': 'application/json' } })
    return { status: response.status, body: (await response.json()) as T }
  }

  async function statuses(worker: WorkerProcess): Promise<Status[]> {
    return Promise.all(
      Array.from({ length: SOURCES }, async (_, i) => (await json<Status>(`${worker.url}/connectors/src-${i}/status`)).body),
    )
  }

  /** The lines in the topic, as the JSON converter stored them. */
  const topicValues = async (): Promise<string[]> => (await cluster().values('lines')).map((value) => JSON.parse(value) as string)

  /** Every source's stored offset is at its file's end: nothing read from it is left unrecorded. */
  async function offsetsAtEnd(worker: WorkerProcess): Promise<boolean> {
    for (let i = 0; i < SOURCES; i++) {
      const { body } = await json<{ offsets: Array<{ offset: { position: number } | null }> }>(`${worker.url}/connectors/src-${i}/offsets`)
      if (body.offsets?.[0]?.offset?.position !== fs.statSync(input(i)).size) return false
    }
    return true
  }

  describe(`${name}: workers in a group`, () => {
    beforeAll(async () => {
      dir = await makeTempDir()
      fs.mkdirSync(path.join(dir.path, 'config'))
      for (let i = 0; i < 3; i++) {
        workers.push(
          await spawnWorker(path.join(dir.path, 'config'), path.join(dir.path, `unused-${i}`), {
            ...cluster().clientEnv,
            TRIBUTARY_GROUP_ID: GROUP,
            TRIBUTARY_GROUP_SESSION_TIMEOUT_MS: String(cluster().sessionTimeoutMs),
          }),
        )
      }
    }, 60_000)

    afterAll(async () => {
      for (const worker of workers) {
        worker.child.kill('SIGKILL')
        await worker.exited
      }
      await dir?.remove()
    })

    it('spread the connectors, and after a SIGKILL the survivors take over from the stored offsets', async () => {
      // A survivor notices the dead worker once its session times out, then rebalances.
      const takeoverMs = 30_000 + cluster().sessionTimeoutMs
      for (let i = 0; i < SOURCES; i++) fs.writeFileSync(input(i), lines(i, 0, 20))
      // Every connector is created through the first worker's REST API.
      for (let i = 0; i < SOURCES; i++) {
        const created = await json(`${workers[0]!.url}/connectors`, {
          method: 'POST',
          body: JSON.stringify({
            name: `src-${i}`,
            config: { 'connector.class': 'file-source', file: input(i), topic: 'lines', format: 'text' },
          }),
        })
        expect(created.status).toBe(201)
      }
      const ids = workers.map(workerId)
      // The tasks run spread over the three workers, and every worker reports the same placement.
      const placed = await eventually(
        () => statuses(workers[2]!),
        (all) => all.every((s) => s.tasks[0]?.state === 'RUNNING' && ids.includes(s.tasks[0].worker_id)),
        30_000,
      )
      expect(new Set(placed.map((s) => s.tasks[0]!.worker_id))).toEqual(new Set(ids))
      for (const count of [0, 1, 2].map((w) => placed.filter((s) => s.tasks[0]!.worker_id === workerId(workers[w]!)).length))
        expect(count).toBe(2)

      await eventually(topicValues, (values) => values.length === SOURCES * 20, 30_000)
      for (let i = 0; i < SOURCES; i++) fs.appendFileSync(input(i), lines(i, 20, 40))
      await eventually(topicValues, (values) => values.length === SOURCES * 40, 30_000)
      await eventually(
        () => offsetsAtEnd(workers[1]!),
        (done) => done,
        30_000,
      )

      // Kill the worker running src-0's task; more lines arrive while it is gone.
      const victim = workers.find((w) => workerId(w) === placed[0]!.tasks[0]!.worker_id)!
      expect(placed.filter((s) => s.tasks[0]!.worker_id === workerId(victim)).length).toBe(2)
      victim.child.kill('SIGKILL')
      await victim.exited
      workers.splice(workers.indexOf(victim), 1)
      for (let i = 0; i < SOURCES; i++) fs.appendFileSync(input(i), lines(i, 40, 60))

      const survivors = workers.map(workerId)
      const moved = await eventually(
        () => statuses(workers[0]!),
        (all) => all.every((s) => s.tasks[0]?.state === 'RUNNING' && survivors.includes(s.tasks[0].worker_id)),
        takeoverMs,
      )
      expect(new Set(moved.map((s) => s.tasks[0]!.worker_id))).toEqual(new Set(survivors))
      const values = await eventually(topicValues, (all) => all.length >= SOURCES * 60, 30_000)
      expect(values).toHaveLength(SOURCES * 60)
      for (let i = 0; i < SOURCES; i++) {
        expect(values.filter((v) => v.startsWith(`s${i} `))).toEqual(lines(i, 0, 60).trimEnd().split('\n'))
      }
    }, 180_000)
  })
}
