/**
 * What the `_schemas` topic says, indexed for the registry's questions: each subject's versions, each
 * global id's schema, the id a schema's content already has, the compatibility levels and modes.
 * Derived from the topic's table (the newest record per key) and rebuilt when it changes; writes are
 * rare and the registry small, reads frequent, so the indexes are built once per change, never per read.
 */
import type { CompatibilityLevel, RegistryMode, StoredSchema, SubjectVersion } from './registry.ts'
import { parseKey, type SchemaValue } from './registry-records.ts'
import type { SchemaReference, SchemaType } from './schema-format.ts'

/** The identity of a schema's content: the same text, language and references are one global id. */
export function contentKey(schemaType: SchemaType, schema: string, references: readonly SchemaReference[]): string {
  return JSON.stringify([schemaType, schema, references.map((ref) => [ref.name, ref.subject, ref.version])])
}

export class RegistryState {
  /** subject → version → what it holds, soft-deleted versions included. */
  readonly subjects = new Map<string, Map<number, SubjectVersion>>()
  readonly ids = new Map<number, StoredSchema>()
  readonly contentIds = new Map<string, number>()
  /** null: the global level. */
  readonly configs = new Map<string | null, CompatibilityLevel>()
  readonly modes = new Map<string | null, RegistryMode>()
  maxId = 0

  static from(entries: Iterable<[string, unknown]>): RegistryState {
    const state = new RegistryState()
    for (const [keyText, value] of entries) {
      const key = parseKey(keyText)
      if (key === undefined || value === null || value === undefined) continue
      if (key.keytype === 'SCHEMA') state.addVersion(value as SchemaValue)
      else if (key.keytype === 'CONFIG')
        state.configs.set(key.subject, (value as { compatibilityLevel: CompatibilityLevel }).compatibilityLevel)
      else if (key.keytype === 'MODE') state.modes.set(key.subject, (value as { mode: RegistryMode }).mode)
      else if (key.keytype === 'NOOP') state.maxId = Math.max(state.maxId, Number((value as { maxId?: unknown }).maxId) || 0)
    }
    return state
  }

  private addVersion(value: SchemaValue): void {
    const stored: SubjectVersion = {
      subject: value.subject,
      version: value.version,
      id: value.id,
      schemaType: (value.schemaType ?? 'AVRO') as SchemaType,
      schema: value.schema,
      references: value.references ?? [],
      deleted: value.deleted === true,
    }
    let versions = this.subjects.get(stored.subject)
    if (versions === undefined) {
      versions = new Map()
      this.subjects.set(stored.subject, versions)
    }
    versions.set(stored.version, stored)
    if (!this.ids.has(stored.id)) {
      this.ids.set(stored.id, { schemaType: stored.schemaType, schema: stored.schema, references: stored.references })
      this.contentIds.set(contentKey(stored.schemaType, stored.schema, stored.references), stored.id)
    }
    if (stored.id > this.maxId) this.maxId = stored.id
  }

  /** The subject's versions in order; soft-deleted ones only when asked for. */
  versionsOf(subject: string, deleted = false): SubjectVersion[] {
    const versions = [...(this.subjects.get(subject)?.values() ?? [])].filter((v) => deleted || !v.deleted)
    return versions.sort((a, b) => a.version - b.version)
  }

  /** Whether the subject exists: it has a version that is not soft-deleted (or any, when `deleted`). */
  hasSubject(subject: string, deleted = false): boolean {
    return this.versionsOf(subject, deleted).length > 0
  }

  /** The highest version the subject ever had while its records remain, deleted or not. */
  lastVersionNumber(subject: string): number {
    let last = 0
    for (const version of this.subjects.get(subject)?.keys() ?? []) if (version > last) last = version
    return last
  }

  /** The live versions that reference `subject` at `version`. */
  referencing(subject: string, version: number): SubjectVersion[] {
    const result: SubjectVersion[] = []
    for (const versions of this.subjects.values()) {
      for (const held of versions.values()) {
        if (!held.deleted && held.references.some((ref) => ref.subject === subject && ref.version === version)) result.push(held)
      }
    }
    return result
  }
}
