/**
 * The registry of a worker in a group: reads are answered from `_schemas` as this worker reads it,
 * and writes go to the one worker the group chose to write the topic (Confluent's registries elect a
 * leader the same way), so two workers never give one id or one version to two schemas. After a
 * forwarded write this worker reads the topic to its end, so a read that follows sees the write.
 */
import { RegistryClient } from './registry-client.ts'
import { RegistryError, isRegistryError } from './registry-errors.ts'
import type {
  CompatibilityLevel,
  CompatibilityResult,
  RegistryMode,
  SchemaInput,
  SchemaRegistry,
  StoredSchema,
  SubjectVersion,
  VersionSelector,
} from './registry.ts'
import type { StoredRegistry } from './stored-registry.ts'

/** `local`: this worker writes; a URL: the writer's; undefined: the group has named none yet. */
export type RegistryWriter = () => 'local' | string | undefined

export class ForwardingRegistry implements SchemaRegistry {
  private readonly local: StoredRegistry
  private readonly writer: RegistryWriter
  private readonly bearerToken: string | undefined
  private readonly clients = new Map<string, RegistryClient>()

  constructor(local: StoredRegistry, writer: RegistryWriter, bearerToken: string | undefined) {
    this.local = local
    this.writer = writer
    this.bearerToken = bearerToken
  }

  /** Runs a write here or at the writer; then reads what the writer wrote. */
  private async write<T>(operation: (registry: SchemaRegistry) => Promise<T>): Promise<T> {
    const writer = this.writer()
    if (writer === 'local') return operation(this.local)
    if (writer === undefined)
      throw new RegistryError(
        50003,
        'the worker group has not chosen its registry writer yet (a rebalance is under way, or no worker serves a registry): retry shortly',
      )
    let client = this.clients.get(writer)
    if (client === undefined) {
      client = new RegistryClient({ url: writer, ...(this.bearerToken !== undefined && { bearerToken: this.bearerToken }) })
      this.clients.set(writer, client)
    }
    let result: T
    try {
      result = await operation(client)
    } catch (error) {
      if (isRegistryError(error) && error.errorCode === 50001)
        throw new RegistryError(50003, `Error while forwarding the request to the group's registry writer at ${writer}: ${error.message}`, {
          cause: error,
        })
      throw error
    }
    await this.local.refresh()
    return result
  }

  register(
    subject: string,
    input: SchemaInput,
    options?: { normalize?: boolean; id?: number; version?: number },
  ): Promise<{ id: number; version: number }> {
    return this.write((registry) => registry.register(subject, input, options))
  }

  deleteVersion(subject: string, version: VersionSelector, options?: { permanent?: boolean }): Promise<number> {
    return this.write((registry) => registry.deleteVersion(subject, version, options))
  }

  deleteSubject(subject: string, options?: { permanent?: boolean }): Promise<number[]> {
    return this.write((registry) => registry.deleteSubject(subject, options))
  }

  setCompatibility(level: CompatibilityLevel, subject?: string): Promise<void> {
    return this.write((registry) => registry.setCompatibility(level, subject))
  }

  deleteCompatibility(subject?: string): Promise<CompatibilityLevel> {
    return this.write((registry) => registry.deleteCompatibility(subject))
  }

  setMode(mode: RegistryMode, subject?: string, options?: { force?: boolean }): Promise<void> {
    return this.write((registry) => registry.setMode(mode, subject, options))
  }

  deleteMode(subject: string): Promise<RegistryMode> {
    return this.write((registry) => registry.deleteMode(subject))
  }

  lookup(subject: string, input: SchemaInput, options?: { normalize?: boolean; deleted?: boolean }): Promise<SubjectVersion> {
    return this.local.lookup(subject, input, options)
  }

  schemaById(id: number): Promise<StoredSchema> {
    return this.local.schemaById(id)
  }

  versionsOfId(id: number, options?: { deleted?: boolean }): Promise<Array<{ subject: string; version: number }>> {
    return this.local.versionsOfId(id, options)
  }

  subjects(options?: { deleted?: boolean; prefix?: string }): Promise<string[]> {
    return this.local.subjects(options)
  }

  versions(subject: string, options?: { deleted?: boolean }): Promise<number[]> {
    return this.local.versions(subject, options)
  }

  version(subject: string, version: VersionSelector, options?: { deleted?: boolean }): Promise<SubjectVersion> {
    return this.local.version(subject, version, options)
  }

  referencedBy(subject: string, version: VersionSelector): Promise<number[]> {
    return this.local.referencedBy(subject, version)
  }

  compatibility(subject?: string, options?: { defaultToGlobal?: boolean }): Promise<CompatibilityLevel> {
    return this.local.compatibility(subject, options)
  }

  mode(subject?: string, options?: { defaultToGlobal?: boolean }): Promise<RegistryMode> {
    return this.local.mode(subject, options)
  }

  checkCompatibility(
    subject: string,
    version: VersionSelector | undefined,
    input: SchemaInput,
    options?: { normalize?: boolean },
  ): Promise<CompatibilityResult> {
    return this.local.checkCompatibility(subject, version, input, options)
  }
}
