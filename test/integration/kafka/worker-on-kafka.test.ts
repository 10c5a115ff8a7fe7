/**
 * A worker that keeps its topics on a Kafka cluster (--log-brokers) instead of its data directory:
 * the "cluster" here is a second Tributary worker's Kafka listener. A file source's records, its
 * configs, states and offsets all live in the cluster, so a worker killed with SIGKILL and started
 * again resumes where it stopped, with nothing lost and nothing doubled.
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startKafkaCluster, type KafkaCluster } from '../../support/kafka-cluster.ts'
import { writePipelineFile } from '../../support/pipeline-file.ts'
import { makeTempDir } from '../../support/temp-dir.ts'
import { spawnWorker, type WorkerProcess } from '../../support/worker-process.ts'

let dir: Awaited<ReturnType<typeof makeTempDir>>
let kafkaCluster: KafkaCluster
let cluster: WorkerProcess
const running: WorkerProcess[] = []

beforeAll(async () => {
  dir = await makeTempDir()
  kafkaCluster = await startKafkaCluster()
  cluster = kafkaCluster.worker
})

afterAll(async () => {
  for (const worker of running) {
    worker.child.kill('SIGKILL')
    await worker.exited
  }
  await kafkaCluster?.stop()
  await dir?.remove()
})

/** The records of partition 0 from the cluster's own REST API, waiting until `count` are there. */
async function clusterRecords(topic: string, count: number): Promise<string[]> {
  const deadline = Date.now() + 30_000
  for (;;) {
    const response = await fetch(`${cluster.url}/topics/${topic}/records?partition=0&offset=0&limit=10000&wait_ms=500`)
    const records = response.ok ? ((await response.json()) as { records: Array<{ value: string }> }).records : []
    if (records.length >= count || Date.now() > deadline) return records.map((r) => r.value)
    if (!response.ok) await new Promise((resolve) => setTimeout(resolve, 100)) // the topic does not exist yet
  }
}

async function startWorkerOnCluster(): Promise<WorkerProcess> {
  const worker = await spawnWorker(path.join(dir.path, 'config'), path.join(dir.path, 'unused-data'), { ...kafkaCluster.clientEnv })
  running.push(worker)
  return worker
}

describe('a worker on a Kafka cluster', () => {
  it('keeps records, configs and offsets in the cluster and resumes after SIGKILL without loss or doubles', async () => {
    const input = path.join(dir.path, 'input.log')
    fs.writeFileSync(input, Array.from({ length: 50 }, (_, i) => `line ${i}\n`).join(''))
    writePipelineFile(path.join(dir.path, 'config'), 'tail', [
      'topic: { name: lines, partitions: 1 }',
      'sources:',
      '  - id: file',
      '    type: file-source',
      `    with: { file: ${JSON.stringify(input)}, format: text }`,
    ])
    const first = await startWorkerOnCluster()
    expect(await clusterRecords('lines', 50)).toHaveLength(50)
    // Nothing of it went to the worker's own data directory.
    expect(fs.existsSync(path.join(dir.path, 'unused-data', 'topics'))).toBe(false)

    first.child.kill('SIGKILL')
    await first.exited
    fs.appendFileSync(input, Array.from({ length: 30 }, (_, i) => `line ${50 + i}\n`).join(''))
    await startWorkerOnCluster()
    const values = await clusterRecords('lines', 80)
    // The JSON converter stores each line as a JSON string.
    expect(values).toEqual(Array.from({ length: 80 }, (_, i) => JSON.stringify(`line ${i}`)))
    // The connector's state and offsets are in the cluster's internal topics.
    const topics = (await (await fetch(`${cluster.url}/topics`)).json()) as Array<{ name: string }>
    expect(topics.map((t) => t.name)).toEqual(expect.arrayContaining(['_tributary-configs', '_tributary-offsets', '_tributary-status']))
  })
})
