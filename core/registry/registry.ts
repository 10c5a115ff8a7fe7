/**
 * The Schema Registry seam: Confluent's registry operations, in its terms (subjects, versions, global
 * ids, compatibility levels, modes), with its error codes (registry-errors.ts). Implemented by the
 * registry kept in the `_schemas` topic (stored-registry.ts) and by the HTTP client of any
 * Confluent-compatible registry (registry-client.ts); converters and tools use only this interface,
 * and one suite (test/support/registry-suite.ts) runs against each implementation.
 */
import type { SchemaReference, SchemaType } from './schema-format.ts'

export type CompatibilityLevel = 'BACKWARD' | 'BACKWARD_TRANSITIVE' | 'FORWARD' | 'FORWARD_TRANSITIVE' | 'FULL' | 'FULL_TRANSITIVE' | 'NONE'

export const COMPATIBILITY_LEVELS: readonly CompatibilityLevel[] = [
  'BACKWARD',
  'BACKWARD_TRANSITIVE',
  'FORWARD',
  'FORWARD_TRANSITIVE',
  'FULL',
  'FULL_TRANSITIVE',
  'NONE',
]

export type RegistryMode = 'READWRITE' | 'READONLY' | 'READONLY_OVERRIDE' | 'IMPORT'

export const REGISTRY_MODES: readonly RegistryMode[] = ['READWRITE', 'READONLY', 'READONLY_OVERRIDE', 'IMPORT']

/** A schema as a client sends it: `schemaType` absent means AVRO. */
export interface SchemaInput {
  readonly schema: string
  readonly schemaType?: SchemaType | undefined
  readonly references?: readonly SchemaReference[] | undefined
}

/** A schema as the registry holds it under a global id. */
export interface StoredSchema {
  readonly schemaType: SchemaType
  readonly schema: string
  readonly references: readonly SchemaReference[]
}

export interface SubjectVersion extends StoredSchema {
  readonly subject: string
  readonly version: number
  readonly id: number
  readonly deleted: boolean
}

/** `latest`, or a version number. */
export type VersionSelector = number | 'latest'

export interface CompatibilityResult {
  readonly isCompatible: boolean
  readonly messages: readonly string[]
}

export interface SchemaRegistry {
  /**
   * The schema's id under the subject: a new version when it is not there yet and is compatible
   * with the earlier ones (409 otherwise); the id of the same schema elsewhere, or a new global id.
   * `id` (IMPORT mode only) and `version` place a schema as another registry had it.
   */
  register(
    subject: string,
    input: SchemaInput,
    options?: { normalize?: boolean; id?: number; version?: number },
  ): Promise<{ id: number; version: number }>
  /** The subject's version holding this schema (40401 no such subject, 40403 not under it). */
  lookup(subject: string, input: SchemaInput, options?: { normalize?: boolean; deleted?: boolean }): Promise<SubjectVersion>
  /** The schema of a global id (40403 when none). */
  schemaById(id: number): Promise<StoredSchema>
  /** The subject/versions that hold a global id. */
  versionsOfId(id: number, options?: { deleted?: boolean }): Promise<Array<{ subject: string; version: number }>>
  subjects(options?: { deleted?: boolean; prefix?: string }): Promise<string[]>
  versions(subject: string, options?: { deleted?: boolean }): Promise<number[]>
  version(subject: string, version: VersionSelector, options?: { deleted?: boolean }): Promise<SubjectVersion>
  /** Ids of the schemas that reference this subject version. */
  referencedBy(subject: string, version: VersionSelector): Promise<number[]>
  /** Soft delete marks it deleted; `permanent` (after a soft delete) removes it. The version deleted. */
  deleteVersion(subject: string, version: VersionSelector, options?: { permanent?: boolean }): Promise<number>
  /** The versions deleted. */
  deleteSubject(subject: string, options?: { permanent?: boolean }): Promise<number[]>
  /** The subject's own level (40408 when it has none, unless `defaultToGlobal`), or the global one. */
  compatibility(subject?: string, options?: { defaultToGlobal?: boolean }): Promise<CompatibilityLevel>
  setCompatibility(level: CompatibilityLevel, subject?: string): Promise<void>
  /** Removes the subject's own level (or resets the global one); the level it had. */
  deleteCompatibility(subject?: string): Promise<CompatibilityLevel>
  mode(subject?: string, options?: { defaultToGlobal?: boolean }): Promise<RegistryMode>
  setMode(mode: RegistryMode, subject?: string, options?: { force?: boolean }): Promise<void>
  deleteMode(subject: string): Promise<RegistryMode>
  /**
   * Whether `input` could be registered under the subject's level against the given version, or
   * against every version the level looks at when `version` is undefined.
   */
  checkCompatibility(
    subject: string,
    version: VersionSelector | undefined,
    input: SchemaInput,
    options?: { normalize?: boolean },
  ): Promise<CompatibilityResult>
}
