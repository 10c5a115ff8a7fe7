/**
 * The one way a worker is put together, for the CLI and for tests alike: it opens the internal
 * topics, wires record processing (the converters and transforms, reaching the schema registry
 * through `registryServices`) into a worker, and puts a herder over it. Alone, the herder starts
 * every stored connector in its stored target state; in a group, it waits for joinGroup. With a
 * cleanup stack, the herder closes when the stack does, before anything opened earlier (the log).
 */
import type { CleanupStack } from '../cleanup-stack.ts'
import { ConfigStore } from './config-store.ts'
import { DistributedHerder } from './distributed-herder.ts'
import type { Herder } from './herder.ts'
import { recordProcessingWith } from './processing-factory.ts'
import type { RegistryServices } from './registry-converter-config.ts'
import { SourceOffsetStore } from './source-offset-store.ts'
import { StandaloneHerder } from './standalone-herder.ts'
import { StatusStore } from './status-store.ts'
import { storageTopics } from './storage-topics.ts'
import { Worker, type WorkerOptions } from './worker.ts'
import type { WorkerGroupSettings } from './worker-group.ts'

export interface CreateWorkerOptions extends Omit<WorkerOptions, 'buildProcessing' | 'validateProcessing'> {
  /** Where registry converters find the built-in registry and check hosts; default: neither. */
  readonly registryServices?: RegistryServices
  /**
   * Distributed mode: the worker runs only what its group assigns it (joinGroup, once its id is
   * known). Absent: it runs every stored connector, alone.
   */
  readonly group?: WorkerGroupSettings
  /** Closes the herder (and so its worker) when it unwinds. */
  readonly cleanup?: CleanupStack
}

export async function createWorker(options: CreateWorkerOptions & { group: WorkerGroupSettings }): Promise<DistributedHerder>
export async function createWorker(options: CreateWorkerOptions & { group?: undefined }): Promise<StandaloneHerder>
export async function createWorker(options: CreateWorkerOptions): Promise<Herder>
export async function createWorker(options: CreateWorkerOptions): Promise<Herder> {
  const { registryServices = {}, group, cleanup, ...workerOptions } = options
  const { log } = options
  const topics = options.storageTopics ?? storageTopics()
  const [configs, statuses, offsets] = await Promise.all([
    ConfigStore.open(log, topics.configs),
    StatusStore.open(log, topics.status),
    SourceOffsetStore.open(log, topics.offsets),
  ])
  const processing = recordProcessingWith(registryServices)
  const worker = new Worker(
    { ...workerOptions, buildProcessing: processing.build, validateProcessing: processing.validate },
    { statuses, offsets },
  )
  if (group !== undefined) {
    const herder = new DistributedHerder(worker, { configs, statuses, offsets }, group)
    cleanup?.defer(() => herder.close())
    return herder
  }
  const herder = new StandaloneHerder(worker, { configs, statuses })
  cleanup?.defer(() => herder.close())
  await herder.start()
  return herder
}
