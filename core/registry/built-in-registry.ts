/**
 * A worker's own registry: one per process and log, opened on first use (a worker whose connectors
 * use no registry converter and whose registry port is off never creates `_schemas`), shared by the
 * converters and the registry's port so that one writer keeps the topic.
 */
import type { Log } from '../log/log.ts'
import { schemaFormats } from './formats/index.ts'
import { StoredRegistry } from './stored-registry.ts'

export function builtInRegistry(log: Log): () => Promise<StoredRegistry> {
  let opening: Promise<StoredRegistry> | undefined
  return () => {
    opening ??= StoredRegistry.open(log, { formats: schemaFormats }).catch((error: unknown) => {
      opening = undefined
      throw error
    })
    return opening
  }
}
