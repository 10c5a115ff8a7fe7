/**
 * Debezium's semantic types: a primitive schema with a name that says how to read it
 * (io.debezium.time.MicroTimestamp is an int64 of µs since the epoch). Connectors use these builders so
 * a name is spelt one way; sinks map the names back to column types. Each is built once and shared.
 */
import { Schemas, asOptional, type Schema } from './schema.ts'

export const DebeziumNames = {
  date: 'io.debezium.time.Date',
  time: 'io.debezium.time.Time',
  microTime: 'io.debezium.time.MicroTime',
  nanoTime: 'io.debezium.time.NanoTime',
  timestamp: 'io.debezium.time.Timestamp',
  microTimestamp: 'io.debezium.time.MicroTimestamp',
  nanoTimestamp: 'io.debezium.time.NanoTimestamp',
  zonedTimestamp: 'io.debezium.time.ZonedTimestamp',
  zonedTime: 'io.debezium.time.ZonedTime',
  microDuration: 'io.debezium.time.MicroDuration',
  interval: 'io.debezium.time.Interval',
  year: 'io.debezium.time.Year',
  json: 'io.debezium.data.Json',
  uuid: 'io.debezium.data.Uuid',
  xml: 'io.debezium.data.Xml',
  enum: 'io.debezium.data.Enum',
  enumSet: 'io.debezium.data.EnumSet',
  bits: 'io.debezium.data.Bits',
  variableScaleDecimal: 'io.debezium.data.VariableScaleDecimal',
  point: 'io.debezium.data.geometry.Point',
  tsvector: 'io.debezium.data.Tsvector',
} as const

const named = (build: (options: { name: string; version: number }) => Schema, name: string): Schema => build({ name, version: 1 })

/** The required form of each parameterless semantic type; `asOptional` gives the optional one. */
export const Debezium = {
  date: named(Schemas.int32, DebeziumNames.date),
  time: named(Schemas.int32, DebeziumNames.time),
  microTime: named(Schemas.int64, DebeziumNames.microTime),
  nanoTime: named(Schemas.int64, DebeziumNames.nanoTime),
  timestamp: named(Schemas.int64, DebeziumNames.timestamp),
  microTimestamp: named(Schemas.int64, DebeziumNames.microTimestamp),
  nanoTimestamp: named(Schemas.int64, DebeziumNames.nanoTimestamp),
  zonedTimestamp: named(Schemas.string, DebeziumNames.zonedTimestamp),
  zonedTime: named(Schemas.string, DebeziumNames.zonedTime),
  /** µs, with a month counted as 365.25 / 12 days (an int64 since Debezium 2). */
  microDuration: named(Schemas.int64, DebeziumNames.microDuration),
  interval: named(Schemas.string, DebeziumNames.interval),
  year: named(Schemas.int32, DebeziumNames.year),
  json: named(Schemas.string, DebeziumNames.json),
  uuid: named(Schemas.string, DebeziumNames.uuid),
  xml: named(Schemas.string, DebeziumNames.xml),
  tsvector: named(Schemas.string, DebeziumNames.tsvector),
  /** x and y, the point as WKB, and its SRID (null for a PostgreSQL point). */
  point: Schemas.struct(
    [
      ['x', Schemas.float64()],
      ['y', Schemas.float64()],
      ['wkb', Schemas.bytes({ optional: true })],
      ['srid', Schemas.int32({ optional: true })],
    ],
    { name: DebeziumNames.point, version: 1, doc: 'Geometry (POINT)' },
  ),
  variableScaleDecimal: Schemas.struct(
    [
      ['scale', Schemas.int32()],
      ['value', Schemas.bytes()],
    ],
    { name: DebeziumNames.variableScaleDecimal, version: 1, doc: 'Variable scaled decimal' },
  ),
  enum: (allowed: readonly string[], optional = false) =>
    Schemas.string({ optional, name: DebeziumNames.enum, version: 1, parameters: { allowed: allowed.join(',') } }),
  enumSet: (allowed: readonly string[], optional = false) =>
    Schemas.string({ optional, name: DebeziumNames.enumSet, version: 1, parameters: { allowed: allowed.join(',') } }),
  bits: (length: number, optional = false) =>
    Schemas.bytes({ optional, name: DebeziumNames.bits, version: 1, parameters: { length: String(length) } }),
} as const

export { asOptional }
