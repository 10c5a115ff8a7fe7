/**
 * The seam between the Schema Registry and the schema languages it keeps (Avro, JSON Schema,
 * Protobuf): parse a schema's text with its references, give the text the registry stores and
 * compares, and say why one schema cannot read what another wrote. One implementation per language
 * (formats/*.ts), each on the library of its field (avsc, ajv, protobufjs); the registry holds none
 * of their rules, and they hold no I/O.
 */

/** The registry's names for the languages, as Confluent's `schemaType` (absent means AVRO). */
export type SchemaType = 'AVRO' | 'JSON' | 'PROTOBUF'

export const SCHEMA_TYPES: readonly SchemaType[] = ['AVRO', 'JSON', 'PROTOBUF']

/** A schema another one imports, found in the registry under `subject` at `version`. */
export interface SchemaReference {
  /** How the importing schema names it: an Avro full name, a JSON Schema `$ref` URL, a .proto import path. */
  readonly name: string
  readonly subject: string
  readonly version: number
}

/** A reference with the text it names, and that text's own references, resolved in turn. */
export interface ResolvedReference {
  readonly name: string
  readonly schemaType: SchemaType
  readonly schema: string
  readonly references: readonly ResolvedReference[]
}

export interface ParsedSchema {
  readonly type: SchemaType
  /**
   * The text the registry stores, returns and compares for "is this schema registered?": the same
   * for two texts that differ only in layout (whitespace, and what the language itself deems
   * insignificant), as Confluent's canonical string.
   */
  readonly canonical: string
  /**
   * The text under `normalize=true`: also the same for schemas that differ only in what the
   * language calls equivalent (key order, option order, a fully qualified name against a short one).
   */
  normalized(): string
}

/** A schema's text is not a schema of its language: Confluent answers 422 with error code 42201. */
export class InvalidSchemaError extends Error {
  override readonly name = 'InvalidSchemaError'
}

export interface SchemaFormat {
  readonly type: SchemaType
  /** Throws InvalidSchemaError, saying what is wrong and where, when `text` is not a valid schema. */
  parse(text: string, references: readonly ResolvedReference[]): ParsedSchema
  /**
   * Why a consumer using `reader` cannot read every record written with `writer`; empty when it can.
   * BACKWARD is `readProblems(new, old)`, FORWARD `readProblems(old, new)`, FULL both. Each problem
   * reads as Confluent's: what changed, and where (a field name, a path). Confluent's sentences name
   * the two schemas "new" and "old", which only the caller knows: `roles` says which is which
   * (reader new and writer old, BACKWARD's, when absent).
   */
  readProblems(reader: ParsedSchema, writer: ParsedSchema, roles?: ReadRoles): string[]
}

/** The words a problem uses for the reading and the writing schema: 'new' and 'old', one each. */
export interface ReadRoles {
  readonly reader: 'new' | 'old'
  readonly writer: 'new' | 'old'
}

export const BACKWARD_ROLES: ReadRoles = { reader: 'new', writer: 'old' }
