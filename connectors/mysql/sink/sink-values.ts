/**
 * A record's JSON value as a MySQL literal for its target column, so MySQL and MariaDB store what the
 * sources meant (connectors/mysql/README.md lists what they emit):
 * - JSON columns get the JSON text of any value (a JSON string stays a JSON string);
 * - BLOB/BINARY/VARBINARY and BIT(n>1) columns take base64 text as bytes;
 * - DATE/DATETIME/TIMESTAMP/TIME take ISO text: the 'T' becomes a space and a zone ('Z', '+02:00')
 *   is applied, giving UTC (the session runs with time_zone '+00:00', so TIMESTAMP reads it as UTC);
 * - booleans are 1/0; objects and arrays (a Postgres array, say) are JSON text; numbers stay numbers
 *   and exact decimal strings stay strings.
 * Anything else goes as a string and the server decides: under strict mode a value it cannot store
 * is refused, and the sink hands that record to the error policy.
 */
import { escape as escapeSql } from 'mysql2'
import type { ColumnKind } from '../shared/catalog.ts'

export function sqlLiteral(value: unknown, kind: ColumnKind | undefined): string {
  if (value === null || value === undefined) return 'NULL'
  switch (kind) {
    case 'json':
      return escapeSql(JSON.stringify(value))
    case 'binary':
      return typeof value === 'string' ? hex(Buffer.from(value, 'base64')) : plain(value)
    case 'bit':
      return typeof value === 'string' ? hex(Buffer.from(value, 'base64')) : plain(value)
    case 'date':
      return typeof value === 'string' ? escapeSql(DATE_TIME.test(value) ? sqlDateTime(value).slice(0, 10) : value) : plain(value)
    case 'datetime':
    case 'timestamp':
      return typeof value === 'string' ? escapeSql(sqlDateTime(value)) : plain(value)
    case 'time':
      return typeof value === 'string' ? escapeSql(sqlTime(value)) : plain(value)
    default:
      return plain(value)
  }
}

function plain(value: unknown): string {
  switch (typeof value) {
    case 'boolean':
      return value ? '1' : '0'
    case 'number':
      return Number.isFinite(value) ? String(value) : escapeSql(String(value))
    case 'bigint':
      return String(value)
    case 'string':
      return escapeSql(value)
    default:
      return Buffer.isBuffer(value) ? hex(value) : escapeSql(JSON.stringify(value))
  }
}

function hex(bytes: Buffer): string {
  return `X'${bytes.toString('hex')}'`
}

const DATE_TIME = /^(\d{4})-(\d\d)-(\d\d)(?:[T ](\d\d):(\d\d)(?::(\d\d))?(\.\d+)?)?\s*(Z|[+-]\d\d(?::?\d\d){0,2})?$/i
const TIME = /^(-?\d+):(\d\d)(?::(\d\d))?(\.\d+)?\s*(Z|[+-]\d\d(?::?\d\d){0,2})?$/i

/** Seconds east of UTC in `Z`, `+02`, `-05:30`, `+00:53:28`. */
function zoneSeconds(zone: string): number {
  if (zone.toUpperCase() === 'Z') return 0
  const [hours = 0, minutes = 0, seconds = 0] = zone.slice(1).match(/\d\d/g)?.map(Number) ?? []
  return (zone.startsWith('-') ? -1 : 1) * (hours * 3600 + minutes * 60 + seconds)
}

/** `2024-02-29T10:11:12.123456+02:00` → `2024-02-29 08:11:12.123456`; text it does not know is left as it is. */
export function sqlDateTime(text: string): string {
  const match = DATE_TIME.exec(text)
  if (match === null) return text
  const [, year, month, day, hour = '00', minute = '00', second = '00', fraction = '', zone] = match
  const shift = zone === undefined ? 0 : zoneSeconds(zone)
  if (shift === 0)
    return match[4] === undefined ? `${year}-${month}-${day}` : `${year}-${month}-${day} ${hour}:${minute}:${second}${fraction}`
  const utc = new Date(0)
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0-99 as 1900-1999.
  utc.setUTCFullYear(Number(year), Number(month) - 1, Number(day))
  utc.setUTCHours(Number(hour), Number(minute), Number(second) - shift)
  return `${utc.toISOString().slice(0, 19).replace('T', ' ')}${fraction}`
}

/** `12:00:00+02` (a Postgres timetz) → `10:00:00`; a TIME without a zone is left as it is. */
export function sqlTime(text: string): string {
  const match = TIME.exec(text)
  if (match === null || match[5] === undefined) return text
  const [, hour = '0', minute = '0', second = '00', fraction = ''] = match
  const day = 24 * 3600
  const seconds = (((Number(hour) * 3600 + Number(minute) * 60 + Number(second) - zoneSeconds(match[5])) % day) + day) % day
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${pad(Math.floor(seconds / 3600))}:${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)}${fraction}`
}
