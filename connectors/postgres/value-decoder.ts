/**
 * Turns PostgreSQL text values into data that loses nothing: integers as numbers (int8 beyond 2^53
 * as exact strings), numeric and money as exact strings, json/jsonb parsed, bytea as base64,
 * date/time types as ISO strings (the replication session runs with DateStyle=ISO and TimeZone=UTC),
 * arrays element by element, enums and unknown types as their text.
 */
import { parsePgArray } from './pg-array.ts'

export interface TypeInfo {
  /** pg_type.typcategory: 'A' array, 'E' enum, … */
  readonly category: string
  /** The element type of an array. */
  readonly element: number
  /** pg_type.typbasetype: what a domain is over (0 for other types). */
  readonly base?: number
}

export type TypeLookup = (oid: number) => TypeInfo | undefined

const ARRAY_ELEMENTS: Readonly<Record<number, number>> = {
  1000: 16, 1001: 17, 1002: 18, 1003: 19, 1005: 21, 1007: 23, 1016: 20, 1009: 25, 1015: 1043, 1014: 1042, 1021: 700, 1022: 701,
  1231: 1700, 2951: 2950, 1182: 1082, 1183: 1083, 1115: 1114, 1185: 1184, 1187: 1186, 199: 114, 3807: 3802, 1028: 26,
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER)

function integer(text: string): number | string {
  const value = BigInt(text)
  return value <= MAX_SAFE && value >= -MAX_SAFE ? Number(value) : text
}

function float(text: string): number | string {
  const value = Number(text)
  return Number.isFinite(value) ? value : text
}

function timestamp(text: string, zoned: boolean): string {
  if (text === 'infinity' || text === '-infinity') return text
  const space = text.indexOf(' ')
  const iso = space < 0 ? text : `${text.slice(0, space)}T${text.slice(space + 1)}`
  if (!zoned) return iso
  // UTC session: the offset is +00 (or +00:MM:SS for historic zones); normalise +00 to Z.
  if (iso.endsWith('+00')) return `${iso.slice(0, -3)}Z`
  return iso.endsWith('+00:00') ? `${iso.slice(0, -6)}Z` : iso
}

function bytea(text: string): string {
  return text.startsWith('\\x') ? Buffer.from(text.slice(2), 'hex').toString('base64') : Buffer.from(text, 'latin1').toString('base64')
}

export function decodeTextValue(oid: number, text: string, types: TypeLookup): unknown {
  switch (oid) {
    case 16: return text === 't'
    case 20: return integer(text)
    case 21: case 23: case 26: return Number(text)
    case 700: case 701: return float(text)
    case 114: case 3802: return JSON.parse(text) as unknown
    case 17: return bytea(text)
    case 1114: return timestamp(text, false)
    case 1184: return timestamp(text, true)
    default: break
  }
  const info = types(oid)
  if (info?.base !== undefined && info.base !== 0) return decodeTextValue(info.base, text, types)
  const element = ARRAY_ELEMENTS[oid] ?? (info?.category === 'A' ? info.element : undefined)
  if (element !== undefined) return parsePgArray(text, (item) => decodeTextValue(element, item, types))
  return text
}
