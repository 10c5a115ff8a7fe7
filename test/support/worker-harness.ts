/**
 * An in-process worker for tests: the embedded log in a temp dir, or, as TRB_TEST_LOG says, KafkaLog
 * on the Kafka cluster of this test worker, emptied first (test/support/cluster-of-worker.ts; `kafka`:
 * a Tributary listener in a second process, `real-kafka`: real Kafka). A harness opened while
 * another holds that cluster gets, for `kafka`, a listener cluster of its own, and for `real-kafka`
 * the embedded log. Then the worker with the built-in plugins, and the REST API on a free loopback
 * port. `restart()` closes everything but the storage and opens it again, as a process restart would.
 */
import { createApi, startApi } from '../../core/api/server.ts'
import type { WorkerNamesOptions } from '../../core/api/worker-names.ts'
import { KafkaLog } from '../../core/kafka/kafka-log.ts'
import { EmbeddedLog } from '../../core/log/embedded-log.ts'
import type { Log } from '../../core/log/log.ts'
import { builtInRegistry } from '../../core/registry/built-in-registry.ts'
import type { SchemaRegistry } from '../../core/registry/registry.ts'
import { CleanupStack } from '../../core/cleanup-stack.ts'
import { createWorker } from '../../core/runtime/create-worker.ts'
import { extraPlugins } from '../../core/runtime/processing-factory.ts'
import { Sandbox } from '../../core/runtime/sandbox.ts'
import { storageTopics, type StorageTopics } from '../../core/runtime/storage-topics.ts'
import type { Herder } from '../../core/runtime/herder.ts'
import { builtinPlugins } from '../../connectors/index.ts'
import type { ClusterAddress } from './cluster-per-worker-service.ts'
import { emptiedClusterOfWorker, servesClusterOfWorker } from './cluster-of-worker.ts'
import { startKafkaCluster } from './kafka-cluster.ts'
import { makeTempDir } from './temp-dir.ts'
import type { RestJson } from './rest-json.ts'

export interface WorkerHarness {
  readonly dataDir: string
  /** The worker's internal topics: the defaults on the embedded log, names of this harness's own on a cluster. */
  readonly storageTopics: StorageTopics
  log: Log
  /** The herder the REST API talks to; its worker is `worker.worker`. */
  worker: Herder
  /** The worker's built-in Schema Registry (the one its converters and `decode=registry` use). */
  registry: () => Promise<SchemaRegistry>
  base: string
  /** fetch against the REST API; JSON bodies are encoded for you. */
  request(method: string, path: string, body?: unknown): Promise<{ status: number; body: RestJson; headers: Headers }>
  restart(): Promise<void>
  close(): Promise<void>
}

let harnesses = 0

export type HarnessLogKind = 'embedded' | 'kafka' | 'real-kafka'

export interface WorkerHarnessOptions {
  readonly authToken?: string
  readonly dashboardDir?: string
  /** The worker's own names for the Host check; default: loopback names only. */
  readonly names?: WorkerNamesOptions
  /** --file-allowed-paths; default: the harness's own temp dir (its data dir), as a real worker's default allows its data dir. */
  readonly fileAllowedPaths?: readonly string[]
  /** --connect-allowed-hosts; default: any host. */
  readonly connectAllowedHosts?: readonly string[]
  /** TRIBUTARY_EXACTLY_ONCE_SOURCE_SUPPORT; default: the worker's default. */
  readonly exactlyOnceSourceSupport?: 'enabled' | 'disabled'
}

/** The cluster a harness of this kind puts its topics on (undefined: the embedded log). */
async function clusterFor(kind: HarnessLogKind): Promise<(ClusterAddress & { stop: () => Promise<void> }) | undefined> {
  if (kind === 'embedded') return undefined
  // TRB_TEST_LOG=kafka outside the project on-kafka: a cluster per harness.
  if (kind === 'kafka' && !servesClusterOfWorker()) return startKafkaCluster()
  return (await emptiedClusterOfWorker()) ?? (kind === 'kafka' ? await startKafkaCluster() : undefined)
}

export async function startWorkerHarness(options: WorkerHarnessOptions = {}): Promise<WorkerHarness> {
  const dir = await makeTempDir('tributary-worker-')
  const kind = process.env.TRB_TEST_LOG === 'kafka' || process.env.TRB_TEST_LOG === 'real-kafka' ? process.env.TRB_TEST_LOG : 'embedded'
  const cluster = await clusterFor(kind)
  // On a shared cluster each harness keeps its own internal topics: the last test's, deleted, may
  // linger on a broker while Kafka finishes deleting them.
  const topics = storageTopics(cluster === undefined ? undefined : `_tributary-t${process.pid}-${++harnesses}-`)
  let cleanup: CleanupStack
  const open = async (harness: Partial<WorkerHarness>) => {
    cleanup = new CleanupStack()
    const log = cluster
      ? await KafkaLog.connect({ brokers: cluster.brokers, ...(cluster.sasl && { sasl: cluster.sasl }), clientId: 'test-worker' })
      : await EmbeddedLog.open({ dataDir: dir.path, maintenanceIntervalMs: 0 })
    harness.log = log
    cleanup.defer(() => log.close())
    harness.registry = builtInRegistry(log, { topic: topics.schemas })
    harness.worker = await createWorker({
      log,
      plugins: builtinPlugins,
      workerId: 'test-worker',
      storageTopics: topics,
      ...(options.exactlyOnceSourceSupport !== undefined && { exactlyOnceSourceSupport: options.exactlyOnceSourceSupport }),
      registryServices: { builtIn: harness.registry },
      sandbox: new Sandbox({
        files: { allowed: options.fileAllowedPaths ?? [dir.path], denied: log instanceof EmbeddedLog ? log.storageDirs : [] },
        ...(options.connectAllowedHosts && { hosts: options.connectAllowedHosts }),
      }),
      cleanup,
    })
    const api = await startApi(
      createApi({
        log,
        herder: harness.worker,
        health: { version: '1.0.0-test', isReady: () => true },
        extraPlugins,
        authToken: options.authToken,
        ...(options.dashboardDir !== undefined && { dashboardDir: options.dashboardDir }),
        ...(options.names !== undefined && { names: options.names }),
        registry: harness.registry,
      }),
      0,
      '127.0.0.1',
    )
    cleanup.defer(() => api.close())
    harness.base = `http://127.0.0.1:${api.port}`
  }
  const shut = () => cleanup.close()
  const harness = {
    dataDir: dir.path,
    storageTopics: topics,
    async request(method: string, path: string, body?: unknown) {
      const response = await fetch(`${harness.base}${path}`, {
        method,
        headers: {
          ...(body !== undefined && { 'content-type': 'application/json' }),
          ...(options.authToken && { authorization: `Bearer ${options.authToken}` }),
        },
        ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      })
      const text = await response.text()
      let parsed: unknown = text
      try {
        parsed = text.length > 0 ? JSON.parse(text) : undefined
      } catch {
        // Not JSON (e.g. /metrics): the text itself.
      }
      return { status: response.status, body: parsed, headers: response.headers }
    },
    async restart() {
      await shut()
      await open(harness)
    },
    async close() {
      await shut()
      await cluster?.stop()
      await dir.remove()
    },
  } as WorkerHarness
  await open(harness)
  return harness
}

/** Polls a condition on each turn of a short interval until it holds or the deadline passes. */
export async function eventually<T>(probe: () => Promise<T> | T, accept: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let last: T = await probe()
  while (!accept(last)) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(last)}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
    last = await probe()
  }
  return last
}
