/**
 * Starts a module in a worker thread, compiled or from the TypeScript sources: compiled JavaScript
 * runs the `.js` beside the caller; from the sources (development, tests) bin/tsx-thread.js loads tsx
 * first, then the `.ts`. The module reads its data from `workerData.data`.
 */
import { Worker, type ResourceLimits } from 'node:worker_threads'

export interface ModuleThreadData<D> {
  readonly data: D
  /** The entry module, when a loader runs first (see bin/tsx-thread.js). */
  readonly module?: string
}

/** `moduleUrl`: the module's URL as its sibling's `import.meta.url` resolves it, with a `.ts` or `.js` extension. */
export function startModuleThread<D>(moduleUrl: URL, data: D, resourceLimits?: ResourceLimits): Worker {
  const compiled = moduleUrl.pathname.endsWith('.js')
  const entry = compiled ? moduleUrl : new URL('../../bin/tsx-thread.js', import.meta.url)
  const workerData: ModuleThreadData<D> = compiled ? { data } : { data, module: moduleUrl.href }
  return new Worker(entry, { workerData, ...(resourceLimits !== undefined && { resourceLimits }) })
}

/** The URL of `name` (without extension) beside the module at `here`, in the same form (.ts or .js). */
export function siblingModule(here: string, name: string): URL {
  return new URL(`./${name}${here.endsWith('.js') ? '.js' : '.ts'}`, here)
}
