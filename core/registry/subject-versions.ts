/**
 * Small rules about a subject's versions shared by the registry's operations: picking `latest` or a
 * number, the stored value of a version, whether two reference lists are the same, which subject
 * names are acceptable, and the record that keeps the highest id given.
 */
import { RegistryError, RegistryErrors } from './registry-errors.ts'
import { keyText, type SchemaValue } from './registry-records.ts'
import type { RegistryState } from './registry-state.ts'
import type { SubjectVersion, VersionSelector } from './registry.ts'
import type { SchemaReference } from './schema-format.ts'

export function pick(versions: readonly SubjectVersion[], subject: string, selector: VersionSelector): SubjectVersion {
  if (versions.length === 0) throw RegistryErrors.subjectNotFound(subject)
  const found = selector === 'latest' ? versions[versions.length - 1] : versions.find((version) => version.version === selector)
  if (found === undefined) throw RegistryErrors.versionNotFound(subject, selector)
  return found
}

/**
 * The highest id given so far, kept with a permanent delete: once compaction drops the deleted
 * records, the id they held would otherwise be given again, to another schema, and a reader holding
 * records of the old one would decode them with the new.
 */
export function highestId(state: RegistryState): readonly [string, unknown] {
  return [keyText({ keytype: 'NOOP' }), { maxId: state.maxId }]
}

export function schemaValueOf(version: SubjectVersion): SchemaValue {
  return {
    subject: version.subject,
    version: version.version,
    id: version.id,
    ...(version.schemaType !== 'AVRO' && { schemaType: version.schemaType }),
    ...(version.references.length > 0 && { references: [...version.references] }),
    schema: version.schema,
    deleted: version.deleted,
  }
}

export function sameReferences(a: readonly SchemaReference[], b: readonly SchemaReference[]): boolean {
  return (
    a.length === b.length && a.every((ref, i) => ref.name === b[i]?.name && ref.subject === b[i]?.subject && ref.version === b[i]?.version)
  )
}

export function assertSubjectName(subject: string): void {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: a subject may not hold control characters; this regex refuses them (42207)
  if (subject === '' || subject.length > 4096 || /[\u0000-\u001f]/.test(subject))
    throw new RegistryError(
      42207,
      `Invalid subject ${JSON.stringify(subject.slice(0, 100))}: a subject is 1 to 4,096 characters without control characters`,
    )
}

export function abbreviate(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}…` : text
}
