/**
 * The one way a worker is put together, for the CLI and for tests alike: record processing (the
 * converters and transforms, reaching the schema registry through `registryServices`) wired into a
 * worker over the given log. With a cleanup stack, the worker closes when the stack does, before
 * anything opened earlier (the log).
 */
import type { CleanupStack } from '../cleanup-stack.ts'
import { recordProcessingWith } from './processing-factory.ts'
import type { RegistryServices } from './registry-converter-config.ts'
import { Worker, type WorkerOptions } from './worker.ts'

export interface CreateWorkerOptions extends Omit<WorkerOptions, 'buildProcessing' | 'validateProcessing'> {
  /** Where registry converters find the built-in registry and check hosts; default: neither. */
  readonly registryServices?: RegistryServices
  /** Closes the worker when it unwinds. */
  readonly cleanup?: CleanupStack
}

export async function createWorker(options: CreateWorkerOptions): Promise<Worker> {
  const { registryServices = {}, cleanup, ...workerOptions } = options
  const processing = recordProcessingWith(registryServices)
  const worker = await Worker.start({ ...workerOptions, buildProcessing: processing.build, validateProcessing: processing.validate })
  cleanup?.defer(() => worker.close())
  return worker
}
