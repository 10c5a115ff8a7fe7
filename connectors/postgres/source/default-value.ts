/**
 * A column's default in its schema, as Debezium's PostgresDefaultValueConverter finds it: from the
 * default expression's text, by type name. A literal (`'abc'::text`, `42`, `'-1'::integer`) gives its
 * value; a function call or CURRENT_TIMESTAMP gives a placeholder of the type (0, '', the epoch),
 * never the function's result; what it cannot read gives no default. The value is returned as the
 * text PostgreSQL would print, for the column's own converter to turn into the schema's value.
 */
import type { SourceColumn } from './source-columns.ts'

const LITERAL = /'(.*?)'/
const FUNCTION = /^[(]?[A-Za-z0-9_.]+\((?:.+(?:, ?.+)*)?\)/
const CURRENT = new Set(['current_timestamp', 'current_time', 'current_date', 'localtime', 'localtimestamp'])
const TRIMMED = new Set([
  'bit',
  'varbit',
  'bool',
  'numeric',
  'float4',
  'float8',
  'int2',
  'int4',
  'serial',
  'int8',
  'bigserial',
  'smallserial',
  'uuid',
  'date',
  'time',
  'timestamp',
  'timestamptz',
  'interval',
])
const INTEGER = /^[+-]?\d+$/
const UUID = /^[0-9a-fA-F]{1,8}-[0-9a-fA-F]{1,4}-[0-9a-fA-F]{1,4}-[0-9a-fA-F]{1,4}-[0-9a-fA-F]{1,12}$/
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/
const FLOAT = /^[+-]?(NaN|Infinity|(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[fFdD]?)$/

/** The literal inside quotes, the raw text without quotes, or null for `NULL::type`. */
function literal(expression: string): string | null {
  if (!expression.includes("'")) return expression.startsWith('NULL::') ? null : expression
  return LITERAL.exec(expression)?.[1] ?? null
}

/** The literal, or the placeholder when the default is computed. */
function extract(expression: string, placeholder: string): string | null {
  if (FUNCTION.test(expression) || CURRENT.has(expression.toLowerCase())) return placeholder
  return literal(expression)
}

/** Null defaults (`NULL::integer`) are no default for these types. */
function unlessNull(expression: string, read: (value: string) => string | undefined, placeholder: string): string | undefined {
  if (expression.startsWith('NULL::')) return undefined
  const value = extract(expression, placeholder)
  return value === null ? undefined : read(value)
}

function integer(bits: number): (value: string) => string | undefined {
  const limit = 2n ** BigInt(bits - 1)
  return (value) => {
    if (!INTEGER.test(value)) return undefined
    const parsed = BigInt(value)
    return parsed >= -limit && parsed < limit ? parsed.toString() : undefined
  }
}

function enumLiteral(typeName: string, expression: string): string | undefined {
  const cast = expression.lastIndexOf('::')
  if (cast < 0) return undefined
  const castType = expression.slice(cast + 2).replaceAll('"', '')
  const unqualified = (name: string) => name.slice(name.lastIndexOf('.') + 1)
  const bare = typeName.replaceAll('"', '')
  if (castType !== bare && unqualified(castType) !== unqualified(bare)) return undefined
  const value = expression.slice(0, cast)
  return value.length >= 2 && value.startsWith("'") && value.endsWith("'") ? value.slice(1, -1) : undefined
}

/** The default's value as PostgreSQL text for the column's converter; undefined: no default. */
export function defaultText(column: SourceColumn, isEnum: boolean): string | undefined {
  let expression = column.defaultExpression
  if (expression === null) return undefined
  const type = column.typeName
  if (TRIMMED.has(type)) expression = expression.trim()
  const text = (placeholder: string) => extract(expression as string, placeholder) ?? undefined
  switch (type) {
    case 'bit':
      return text('00')
    case 'varbit':
      return text('0')
    case 'bool':
      return unlessNull(expression, (value) => (value.toLowerCase() === 'true' ? 't' : 'f'), 'false')
    case 'bpchar':
    case 'varchar':
    case 'text':
      return text('')
    case 'numeric':
      return unlessNull(expression, (value) => (DECIMAL.test(value) ? value : undefined), '0.0')
    case 'float4':
    case 'float8':
      return unlessNull(expression, (value) => (FLOAT.test(value.trim()) ? value.trim().replace(/[fFdD]$/, '') : undefined), '0.0')
    case 'int2':
    case 'smallserial':
      return unlessNull(expression, integer(16), '0')
    case 'int4':
    case 'serial':
      return unlessNull(expression, integer(32), '0')
    case 'int8':
    case 'bigserial':
      return unlessNull(expression, integer(64), '0')
    case 'json':
    case 'jsonb':
      return text('{}')
    case 'xml':
      return text('')
    case 'uuid': {
      const value = text('00000000-0000-0000-0000-000000000000')
      return value !== undefined && UUID.test(value) ? value.toLowerCase() : undefined
    }
    case 'date':
    case 'timestamp':
    case 'timestamptz':
      return text('1970-01-01')
    case 'time':
      return text('00:00')
    case 'interval':
      return text('PT0S')
    default:
      return isEnum ? enumLiteral(type, expression) : undefined
  }
}
