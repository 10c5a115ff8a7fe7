/**
 * A Kafka cluster for KafkaLog tests: a Tributary worker in a second process whose Kafka listener
 * plays the cluster, so kafkajs talks to a real broker over real sockets. Its clients keep their
 * internal topics (`_tributary-*`) and worker groups there, which the listener closes to everyone
 * but its super users: the cluster has one SASL/PLAIN user, a super user, as a production cluster
 * shared by workers would, and clients connect as that user (`sasl`, or `clientEnv` for a worker).
 */
import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { freePort } from './free-port.ts'
import { makeTempDir } from './temp-dir.ts'
import { spawnWorker, type WorkerProcess } from './worker-process.ts'

export interface KafkaCluster {
  readonly brokers: string[]
  readonly worker: WorkerProcess
  /** kafkajs' SASL option for the cluster's super user. */
  readonly sasl: { readonly mechanism: 'plain'; readonly username: string; readonly password: string }
  /** The environment that puts a worker's topics on this cluster, as its super user. */
  readonly clientEnv: Readonly<Record<string, string>>
  stop(): Promise<void>
}

const USER = 'tributary-worker'

export async function startKafkaCluster(): Promise<KafkaCluster> {
  const dir = await makeTempDir('tributary-cluster-')
  fs.mkdirSync(path.join(dir.path, 'config'))
  const password = randomBytes(12).toString('hex')
  const worker = await spawnWorker(path.join(dir.path, 'config'), path.join(dir.path, 'data'), {
    TRIBUTARY_KAFKA_PORT: String(await freePort()),
    TRIBUTARY_KAFKA_SASL_PLAIN_USERS: `${USER}:${password}`,
    TRIBUTARY_KAFKA_SUPER_USERS: `User:${USER}`,
  })
  const brokers = [worker.kafkaAddress!]
  return {
    brokers,
    worker,
    sasl: { mechanism: 'plain', username: USER, password },
    clientEnv: { TRIBUTARY_LOG_BROKERS: brokers.join(','), TRIBUTARY_LOG_SASL_PLAIN: `${USER}:${password}` },
    async stop() {
      worker.child.kill('SIGKILL')
      await worker.exited
      await dir.remove()
    },
  }
}
