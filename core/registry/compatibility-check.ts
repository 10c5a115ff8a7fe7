/**
 * Whether a candidate schema may join a subject under its compatibility level: which versions the
 * level looks at (the latest, or every live one for the transitive levels, or the one a check names),
 * and in which direction each must read the other (BACKWARD: the candidate reads the old data;
 * FORWARD: the old reads the candidate's; FULL: both). The languages' own rules are their formats'.
 * Problems read as Confluent's 409 details: the differences, then the version, schema and level.
 */
import type { CompatibilityLevel, SubjectVersion } from './registry.ts'
import type { ParsedSchema, SchemaFormat, SchemaType } from './schema-format.ts'

export function compatibilityProblems(
  level: CompatibilityLevel,
  candidate: ParsedSchema,
  live: readonly SubjectVersion[],
  only: SubjectVersion | undefined,
  parse: (held: SubjectVersion) => ParsedSchema,
  formatOf: (type: SchemaType) => SchemaFormat,
): string[] {
  if (level === 'NONE') return []
  const against = only !== undefined ? [only] : level.endsWith('_TRANSITIVE') ? [...live].reverse() : live.slice(-1)
  for (const previous of against) {
    const found: string[] = []
    if (previous.schemaType !== candidate.type) {
      found.push(
        `{errorType:'TYPE_MISMATCH', description:'The new schema is ${candidate.type}, version ${previous.version} is ${previous.schemaType}'}`,
      )
    } else {
      const old = parse(previous)
      const format = formatOf(candidate.type)
      if (level.startsWith('BACKWARD') || level.startsWith('FULL')) found.push(...format.readProblems(candidate, old))
      if (level.startsWith('FORWARD') || level.startsWith('FULL'))
        found.push(...format.readProblems(old, candidate, { reader: 'old', writer: 'new' }))
    }
    if (found.length > 0)
      return [...found, `{oldSchemaVersion: ${previous.version}}`, `{oldSchema: '${previous.schema}'}`, `{compatibility: '${level}'}`]
  }
  return []
}
