/**
 * A column's length and scale as Debezium sees them: it asks the PostgreSQL JDBC driver (its
 * TypeInfoCache) for the precision, scale and display size of a type and modifier. They decide the
 * schema (numeric(10,2) is a Decimal of scale 2 and precision 10, time(3) a Time in ms, bit(1) a
 * boolean, a timestamptz's fraction digits) and are what `column.propagate.source.type` reports.
 */
import { ARRAY_ELEMENTS, Oid } from './pg-types.ts'

/** The driver's length of a type it cannot size (its `unknownLength`, Integer.MAX_VALUE by default). */
export const UNKNOWN_LENGTH = 2_147_483_647

const elementOf = (oid: number): number => ARRAY_ELEMENTS[oid] ?? oid

function secondDigits(typmod: number): number {
  if (typmod === -1) return 7
  if (typmod === 0) return 0
  return typmod === 1 ? 3 : typmod + 1
}

export function displaySize(type: number, typmod: number): number {
  const oid = elementOf(type)
  switch (oid) {
    case Oid.int2:
      return 6
    case Oid.int4:
      return 11
    case Oid.oid:
      return 10
    case Oid.int8:
      return 20
    case Oid.float4:
      return 15
    case Oid.float8:
      return 25
    case Oid.char:
    case Oid.bool:
      return 1
    case Oid.date:
      return 13
    case Oid.time:
      return 8 + secondDigits(typmod)
    case Oid.timetz:
      return 8 + secondDigits(typmod) + 6
    case Oid.timestamp:
      return 13 + 1 + 8 + secondDigits(typmod)
    case Oid.timestamptz:
      return 13 + 1 + 8 + secondDigits(typmod) + 6
    case Oid.interval:
      return 49
    case Oid.varchar:
    case Oid.bpchar:
      return typmod === -1 ? UNKNOWN_LENGTH : typmod - 4
    case Oid.numeric: {
      if (typmod === -1) return 131_089
      const precision = ((typmod - 4) >> 16) & 0xffff
      const scale = (typmod - 4) & 0xffff
      return 1 + precision + (scale !== 0 ? 1 : 0)
    }
    case Oid.bit:
      return typmod
    case Oid.varbit:
      return typmod === -1 ? UNKNOWN_LENGTH : typmod
    default:
      return UNKNOWN_LENGTH
  }
}

export function precision(type: number, typmod: number): number {
  const oid = elementOf(type)
  switch (oid) {
    case Oid.int2:
      return 5
    case Oid.oid:
    case Oid.int4:
      return 10
    case Oid.int8:
      return 19
    case Oid.float4:
      return 8
    case Oid.float8:
      return 17
    case Oid.numeric:
      return typmod === -1 ? 0 : ((typmod - 4) & 0xffff0000) >> 16
    case Oid.char:
    case Oid.bool:
      return 1
    case Oid.bpchar:
    case Oid.varchar:
      return typmod === -1 ? UNKNOWN_LENGTH : typmod - 4
    case Oid.date:
    case Oid.time:
    case Oid.timetz:
    case Oid.interval:
    case Oid.timestamp:
    case Oid.timestamptz:
      return displaySize(oid, typmod)
    case Oid.bit:
      return typmod
    case Oid.varbit:
      return typmod === -1 ? UNKNOWN_LENGTH : typmod
    default:
      return UNKNOWN_LENGTH
  }
}

export function scale(type: number, typmod: number): number {
  const oid = elementOf(type)
  switch (oid) {
    case Oid.float4:
      return 8
    case Oid.float8:
      return 17
    case Oid.numeric:
      return typmod === -1 ? 0 : (typmod - 4) & 0xffff
    case Oid.time:
    case Oid.timetz:
    case Oid.timestamp:
    case Oid.timestamptz:
      return typmod === -1 ? 6 : typmod
    case Oid.interval:
      return typmod === -1 ? 6 : typmod & 0xffff
    default:
      return 0
  }
}

/** The length of a type at a modifier: its precision, or its display size where it has none. */
export function lengthOf(type: number, typmod: number): number {
  const size = precision(type, typmod)
  return size === 0 ? displaySize(type, typmod) : size
}
