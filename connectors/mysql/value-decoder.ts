/**
 * Turns a column value, as mysql2 (snapshot) or zongji (binlog) delivers it, into its JSON form,
 * the same from both so a snapshot row and a streamed row of the same data are equal: integers as
 * numbers, or exact strings beyond 2^53; DECIMAL as exact strings; DATE, DATETIME and TIME as ISO
 * text at their declared precision (TIMESTAMP in UTC with a Z); zero dates as null; JSON parsed;
 * binary values base64; BIT(1) a boolean, wider BITs base64; ENUM and SET as their text.
 * Both drivers must run with dateStrings, supportBigNumbers and timezone 'Z' (see mysql-options.ts).
 */
import type { Column } from './catalog.ts'

export function decodeValue(column: Column, value: unknown): unknown {
  if (value === null || value === undefined) return null
  switch (column.kind) {
    case 'float':
      return typeof value === 'number' ? shortestFloat32(value) : Number(value)
    case 'bit':
      return decodeBit(column, value)
    case 'json':
      return typeof value === 'string' ? JSON.parse(value) : Buffer.isBuffer(value) ? JSON.parse(value.toString('utf8')) : value
    case 'date':
      return isZeroDate(value) ? null : String(value)
    case 'datetime':
      return isZeroDate(value) ? null : String(value).replace(' ', 'T')
    case 'timestamp':
      return isZeroDate(value) ? null : `${String(value).replace(' ', 'T')}Z`
    case 'decimal':
    case 'time':
      return String(value)
    case 'year':
    case 'integer':
      return typeof value === 'string' && Math.abs(Number(value)) <= Number.MAX_SAFE_INTEGER ? Number(value) : value
    default:
      return Buffer.isBuffer(value) ? value.toString('base64') : value
  }
}

export function decodeRow(columns: readonly Column[], raw: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const row: Record<string, unknown> = {}
  for (const column of columns) {
    if (column.name in raw) row[column.name] = decodeValue(column, raw[column.name])
  }
  return row
}

/**
 * The binlog carries a FLOAT's 4 bytes, a query its shortest text: print the binlog's value with the
 * fewest digits that still read back as the same float32, as the server does.
 */
function shortestFloat32(value: number): number {
  if (!Number.isFinite(value)) return value
  const target = Math.fround(value)
  for (let digits = 1; digits < 10; digits++) {
    const candidate = Number(value.toPrecision(digits))
    if (Math.fround(candidate) === target) return candidate
  }
  return value
}

function decodeBit(column: Column, value: unknown): unknown {
  const bytes = Buffer.isBuffer(value) ? value : typeof value === 'number' ? Buffer.from([value]) : Buffer.from(String(value))
  if (column.width === 1) return bytes.some((byte) => byte !== 0)
  return bytes.toString('base64')
}

function isZeroDate(value: unknown): boolean {
  return typeof value === 'string' && value.startsWith('0000-00-00')
}
