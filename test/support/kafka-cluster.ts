/**
 * A Kafka cluster for KafkaLog tests: a Tributary worker in a second process whose Kafka listener
 * plays the cluster, so kafkajs talks to a real broker over real sockets.
 */
import fs from 'node:fs'
import path from 'node:path'
import { freePort } from './free-port.ts'
import { makeTempDir } from './temp-dir.ts'
import { spawnWorker, type WorkerProcess } from './worker-process.ts'

export interface KafkaCluster {
  readonly brokers: string[]
  readonly worker: WorkerProcess
  stop(): Promise<void>
}

export async function startKafkaCluster(): Promise<KafkaCluster> {
  const dir = await makeTempDir('tributary-cluster-')
  fs.mkdirSync(path.join(dir.path, 'config'))
  const worker = await spawnWorker(path.join(dir.path, 'config'), path.join(dir.path, 'data'), { TRIBUTARY_KAFKA_PORT: String(await freePort()) })
  return {
    brokers: [worker.kafkaAddress!],
    worker,
    async stop() {
      worker.child.kill('SIGKILL')
      await worker.exited
      await dir.remove()
    },
  }
}
