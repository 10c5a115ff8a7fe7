/**
 * PostgreSQL's built-in type OIDs (pg_type.dat), and what the catalogue says of any other type: the
 * column mapping (column-schema.ts) switches on these, as Debezium's PostgresValueConverter does, and
 * walks a domain down to the type it is made of.
 */

export const Oid = {
  bool: 16,
  bytea: 17,
  char: 18,
  name: 19,
  int8: 20,
  int2: 21,
  int4: 23,
  text: 25,
  oid: 26,
  json: 114,
  xml: 142,
  point: 600,
  cidr: 650,
  float4: 700,
  float8: 701,
  macaddr8: 774,
  money: 790,
  macaddr: 829,
  inet: 869,
  bpchar: 1042,
  varchar: 1043,
  date: 1082,
  time: 1083,
  timestamp: 1114,
  timestamptz: 1184,
  interval: 1186,
  timetz: 1266,
  bit: 1560,
  varbit: 1562,
  numeric: 1700,
  uuid: 2950,
  tsvector: 3614,
  jsonb: 3802,
  int4range: 3904,
  numrange: 3906,
  tsrange: 3908,
  tstzrange: 3910,
  daterange: 3912,
  int8range: 3926,
} as const

/** Built-in array types and their element types. */
export const ARRAY_ELEMENTS: Readonly<Record<number, number>> = {
  1000: Oid.bool,
  1001: Oid.bytea,
  1002: Oid.char,
  1003: Oid.name,
  1005: Oid.int2,
  1007: Oid.int4,
  1009: Oid.text,
  1014: Oid.bpchar,
  1015: Oid.varchar,
  1016: Oid.int8,
  1017: Oid.point,
  1021: Oid.float4,
  1022: Oid.float8,
  1028: Oid.oid,
  1040: Oid.macaddr,
  1041: Oid.inet,
  651: Oid.cidr,
  775: Oid.macaddr8,
  791: Oid.money,
  1115: Oid.timestamp,
  1182: Oid.date,
  1183: Oid.time,
  1185: Oid.timestamptz,
  1187: Oid.interval,
  1231: Oid.numeric,
  1270: Oid.timetz,
  1561: Oid.bit,
  1563: Oid.varbit,
  2951: Oid.uuid,
  199: Oid.json,
  143: Oid.xml,
  3807: Oid.jsonb,
  3643: Oid.tsvector,
  3905: Oid.int4range,
  3907: Oid.numrange,
  3909: Oid.tsrange,
  3911: Oid.tstzrange,
  3913: Oid.daterange,
  3927: Oid.int8range,
}

/** A type as pg_type describes it. */
export interface PgType {
  readonly oid: number
  /** pg_type.typname (`int4`, `_int4`, `mood`). */
  readonly name: string
  readonly namespace: string
  /** pg_type.typtype: b base, d domain, e enum, c composite, r range, m multirange, p pseudo. */
  readonly kind: string
  /** pg_type.typcategory: A array, E enum, … */
  readonly category: string
  /** The element type of an array; 0 otherwise. */
  readonly element: number
  /** What a domain is over; 0 otherwise. */
  readonly base: number
  /** A domain's type modifier (varchar(40) → 44); -1 otherwise. */
  readonly typmod: number
  /** A domain declared NOT NULL. */
  readonly notNull: boolean
  /** An enum's labels, in their order. */
  readonly labels?: readonly string[]
}

export type TypeLookup = (oid: number) => PgType | undefined

/** The type a domain (or a domain over a domain) is made of; the type itself otherwise. */
export function rootType(oid: number, types: TypeLookup): number {
  let current = oid
  for (let depth = 0; depth < 32; depth++) {
    const base = types(current)?.base ?? 0
    if (base === 0) return current
    current = base
  }
  return current
}

/** The element type of an array type, or undefined. */
export function arrayElement(oid: number, types: TypeLookup): number | undefined {
  const builtin = ARRAY_ELEMENTS[oid]
  if (builtin !== undefined) return builtin
  const type = types(oid)
  return type?.category === 'A' && type.element !== 0 ? type.element : undefined
}
