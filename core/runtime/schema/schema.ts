/**
 * Kafka Connect's data model: a schema says what a key or value is (int8…float64, boolean, string,
 * bytes, array, map, struct; optional, default, name, version, doc, parameters), so a sink can create
 * a typed column and a converter can write what JsonConverter, Avro or Protobuf would. A record
 * without a schema stays valid: its data is taken as it is.
 *
 * Schemas are plain frozen objects, built once (per table version, say) and shared by every record of
 * that shape: converters cache what they derive from one (its JSON text, its payload writer) by
 * identity, so a schema is never built per record.
 *
 * The data a schema describes, in JavaScript:
 *   int8, int16, int32, float32, float64  number
 *   int64                                 number, or bigint beyond 2^53
 *   boolean, string                       boolean, string
 *   bytes                                 Buffer
 *   array                                 Array
 *   map                                   Map, or a plain object when the keys are strings
 *   struct                                plain object, a property per field
 *   Decimal (logical)                     string of the exact decimal ("-12.340"); a number is accepted
 *   Date, Time, Timestamp (logical)       Date
 *   Debezium's semantic types             their primitive (io.debezium.time.MicroTimestamp: µs as a number)
 * null is an absent optional value.
 */

export type SchemaType =
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'float32'
  | 'float64'
  | 'boolean'
  | 'string'
  | 'bytes'
  | 'array'
  | 'map'
  | 'struct'

export interface Field {
  readonly name: string
  readonly index: number
  readonly schema: Schema
}

export interface Schema {
  readonly type: SchemaType
  readonly optional: boolean
  /** The value an absent field takes; undefined: none. */
  readonly defaultValue?: unknown
  readonly name?: string
  readonly version?: number
  readonly doc?: string
  readonly parameters?: Readonly<Record<string, string>>
  /** struct only, in order. */
  readonly fields?: readonly Field[]
  /** map only. */
  readonly keySchema?: Schema
  /** array elements and map values. */
  readonly valueSchema?: Schema
}

/** What any schema may say besides its type. */
export interface SchemaOptions {
  readonly optional?: boolean
  readonly defaultValue?: unknown
  readonly name?: string
  readonly version?: number
  readonly doc?: string
  readonly parameters?: Readonly<Record<string, string>>
}

type Parts = { -readonly [K in 'fields' | 'keySchema' | 'valueSchema']?: Schema[K] }

function build(type: SchemaType, options: SchemaOptions, parts: Parts = {}): Schema {
  const schema: { -readonly [K in keyof Schema]: Schema[K] } = { type, optional: options.optional ?? false }
  if (options.defaultValue !== undefined) schema.defaultValue = options.defaultValue
  if (options.name !== undefined) schema.name = options.name
  if (options.version !== undefined) schema.version = options.version
  if (options.doc !== undefined) schema.doc = options.doc
  if (options.parameters !== undefined) schema.parameters = Object.freeze({ ...options.parameters })
  if (parts.fields !== undefined) schema.fields = parts.fields
  if (parts.keySchema !== undefined) schema.keySchema = parts.keySchema
  if (parts.valueSchema !== undefined) schema.valueSchema = parts.valueSchema
  return Object.freeze(schema)
}

/** Builders for every type, e.g. `Schemas.struct([['id', Schemas.int32()], ['name', Schemas.string({ optional: true })]], { name: 'Key' })`. */
export const Schemas = {
  int8: (options: SchemaOptions = {}) => build('int8', options),
  int16: (options: SchemaOptions = {}) => build('int16', options),
  int32: (options: SchemaOptions = {}) => build('int32', options),
  int64: (options: SchemaOptions = {}) => build('int64', options),
  float32: (options: SchemaOptions = {}) => build('float32', options),
  float64: (options: SchemaOptions = {}) => build('float64', options),
  boolean: (options: SchemaOptions = {}) => build('boolean', options),
  string: (options: SchemaOptions = {}) => build('string', options),
  bytes: (options: SchemaOptions = {}) => build('bytes', options),
  array: (items: Schema, options: SchemaOptions = {}) => build('array', options, { valueSchema: items }),
  map: (keys: Schema, values: Schema, options: SchemaOptions = {}) => build('map', options, { keySchema: keys, valueSchema: values }),
  struct(fields: ReadonlyArray<readonly [string, Schema]>, options: SchemaOptions = {}): Schema {
    const seen = new Set<string>()
    const list = fields.map(([name, schema], index) => {
      if (seen.has(name)) throw new Error(`struct ${options.name ?? ''}: field "${name}" appears twice`)
      seen.add(name)
      return Object.freeze({ name, index, schema })
    })
    return build('struct', options, { fields: Object.freeze(list) })
  },
} as const

/** The same schema with other options (optional, say); the parts (fields, items) are shared. */
export function withOptions(schema: Schema, options: SchemaOptions): Schema {
  const merged: SchemaOptions = {
    optional: options.optional ?? schema.optional,
    defaultValue: 'defaultValue' in options ? options.defaultValue : schema.defaultValue,
    name: 'name' in options ? options.name : schema.name,
    version: 'version' in options ? options.version : schema.version,
    doc: 'doc' in options ? options.doc : schema.doc,
    parameters: 'parameters' in options ? options.parameters : schema.parameters,
  } as SchemaOptions
  const parts: Parts = {}
  if (schema.fields !== undefined) parts.fields = schema.fields
  if (schema.keySchema !== undefined) parts.keySchema = schema.keySchema
  if (schema.valueSchema !== undefined) parts.valueSchema = schema.valueSchema
  return build(schema.type, merged, parts)
}

/** Cached per schema: optional copies are asked for once per field, not per record. */
const optionalCopies = new WeakMap<Schema, Schema>()

export function asOptional(schema: Schema): Schema {
  if (schema.optional) return schema
  let copy = optionalCopies.get(schema)
  if (copy === undefined) {
    copy = withOptions(schema, { optional: true })
    optionalCopies.set(schema, copy)
  }
  return copy
}

export function field(schema: Schema, name: string): Field | undefined {
  return schema.fields?.find((candidate) => candidate.name === name)
}

/** Whether two schemas are the same, part by part (Connect's ConnectSchema.equals). */
export function sameSchema(a: Schema | undefined, b: Schema | undefined): boolean {
  if (a === b) return true
  if (a === undefined || b === undefined) return false
  if (a.type !== b.type || a.optional !== b.optional || a.name !== b.name || a.version !== b.version || a.doc !== b.doc) return false
  if (!sameParameters(a.parameters, b.parameters) || !sameDefault(a.defaultValue, b.defaultValue)) return false
  if (!sameSchema(a.keySchema, b.keySchema) || !sameSchema(a.valueSchema, b.valueSchema)) return false
  const fa = a.fields ?? []
  const fb = b.fields ?? []
  return fa.length === fb.length && fa.every((f, i) => f.name === fb[i]?.name && sameSchema(f.schema, fb[i]?.schema))
}

function sameParameters(a: Readonly<Record<string, string>> | undefined, b: Readonly<Record<string, string>> | undefined): boolean {
  const ka = Object.keys(a ?? {})
  const kb = Object.keys(b ?? {})
  return ka.length === kb.length && ka.every((key) => a?.[key] === b?.[key])
}

function sameDefault(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (Buffer.isBuffer(a) && Buffer.isBuffer(b)) return a.equals(b)
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime()
  return JSON.stringify(a) === JSON.stringify(b)
}
