/**
 * A worker's own registry: one per process and log, opened on first use (a worker whose connectors
 * use no registry converter and whose registry port is off never creates `_schemas`), shared by the
 * converters and the registry's port so that one writer keeps the topic. In a worker group, writes go
 * to the worker the group chose (`writer`), through ForwardingRegistry.
 */
import type { Log } from '../log/log.ts'
import { ForwardingRegistry, type RegistryWriter } from './forwarding-registry.ts'
import { schemaFormats } from './formats/index.ts'
import type { SchemaRegistry } from './registry.ts'
import { StoredRegistry } from './stored-registry.ts'

export interface GroupWrites {
  readonly writer: RegistryWriter
  /** Sent with forwarded writes: the group's workers share the REST token. */
  readonly bearerToken?: string | undefined
}

/** `topic`: its store (default `_schemas`); `group`: where writes go in a worker group. */
export function builtInRegistry(
  log: Log,
  options: { topic?: string; group?: GroupWrites | undefined } = {},
): () => Promise<SchemaRegistry> {
  const group = options.group
  let opening: Promise<SchemaRegistry> | undefined
  return () => {
    opening ??= StoredRegistry.open(log, { formats: schemaFormats, ...(options.topic !== undefined && { topic: options.topic }) }).then(
      (stored) => (group === undefined ? stored : new ForwardingRegistry(stored, group.writer, group.bearerToken)),
      (error: unknown) => {
        opening = undefined
        throw error
      },
    )
    return opening
  }
}
