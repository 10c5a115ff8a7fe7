/**
 * A column's default as Debezium writes it into the field's schema: the literal of COLUMN_DEFAULT
 * read as a value of the column would be (`'2000-01-02'` → days, `1.5` → a Decimal). An expression
 * default (CURRENT_TIMESTAMP) gives a NOT NULL column the type's zero, and a nullable one none; a
 * NULL default, or none, gives none.
 */
import type { ColumnDefinition } from '../shared/column-definition.ts'
import type { ColumnMapping } from './column-mapping.ts'

const ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', 0: '\0', Z: '\x1a', b: '\b' }

/** The text of a default literal: MariaDB quotes strings (`'it''s'`), MySQL gives them bare. */
function literal(text: string): string {
  const quoted = /^'(.*)'$/s.exec(text)
  if (quoted === null) return text
  return (quoted[1] as string).replace(/''/g, "'").replace(/\\(.)/g, (_match, char: string) => ESCAPES[char] ?? char)
}

/** A bit literal (`b'101'`) as the bytes the server sends for it. */
function bitLiteral(text: string): Buffer | undefined {
  const bits = /^b'([01]*)'$/i.exec(text)?.[1]
  if (bits === undefined) return undefined
  const hex = BigInt(`0b${bits || '0'}`).toString(16)
  return Buffer.from(hex.length % 2 === 0 ? hex : `0${hex}`, 'hex')
}

export function columnDefault(definition: ColumnDefinition, mapping: ColumnMapping): unknown {
  const text = definition.defaultText
  if (text === null || text.toUpperCase() === 'NULL') return undefined
  if (definition.defaultIsExpression) return definition.optional ? undefined : mapping.zero
  try {
    const raw = bitLiteral(text) ?? literal(text)
    const value = mapping.read(raw, false)
    return value === undefined ? (definition.optional ? undefined : mapping.zero) : value
  } catch {
    return undefined
  }
}
