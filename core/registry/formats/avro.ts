/**
 * Avro behind the schema-format seam. avsc decides what is a valid schema (names, types, duplicate
 * fields and union branches, defaults checked against their type as Confluent does for a new schema);
 * the Java-shaped model (avro-model.ts) gives the texts and the resolution rules Confluent gives.
 * References are parsed first, their own references before them, each once, so the schema can use
 * their named types by full name.
 */
import avsc from 'avsc'
import {
  BACKWARD_ROLES,
  InvalidSchemaError,
  type ParsedSchema,
  type ReadRoles,
  type ResolvedReference,
  type SchemaFormat,
} from '../schema-format.ts'
import { avroCanonical } from './avro-canonical.ts'
import { avroReadProblems } from './avro-compatibility.ts'
import { parseAvroNode, type AvroNamedNode, type AvroNames, type AvroNode } from './avro-model.ts'
import { avroNormalizedJson } from './avro-normalized.ts'

export interface AvroParsedSchema extends ParsedSchema {
  readonly type: 'AVRO'
  readonly node: AvroNode
}

interface Parsing {
  readonly names: AvroNames
  readonly avscRegistry: Record<string, avsc.Type>
  /** The top-level named type of every reference, which the canonical text writes by name. */
  readonly referenced: AvroNamedNode[]
  readonly seen: Set<string>
  readonly validate: boolean
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

function parseOne(text: string, parsing: Parsing, what: string): AvroNode {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw new InvalidSchemaError(`Invalid Avro schema${what}: not JSON: ${reasonOf(error)}`)
  }
  try {
    if (parsing.validate) avsc.Type.forSchema(json as avsc.Schema, { registry: parsing.avscRegistry })
    return parseAvroNode(json, parsing.names, undefined)
  } catch (error) {
    throw new InvalidSchemaError(`Invalid Avro schema${what}: ${reasonOf(error)}`)
  }
}

function parseReferences(references: readonly ResolvedReference[], parsing: Parsing): void {
  for (const reference of references) {
    if (parsing.seen.has(reference.name)) continue
    parsing.seen.add(reference.name)
    parseReferences(reference.references, parsing)
    if (reference.schemaType !== 'AVRO') {
      throw new InvalidSchemaError(`Invalid Avro schema: reference '${reference.name}' is a ${reference.schemaType} schema`)
    }
    const node = parseOne(reference.schema, parsing, ` (reference '${reference.name}')`)
    if (node.kind === 'record' || node.kind === 'enum' || node.kind === 'fixed') parsing.referenced.push(node)
  }
}

function parseAvro(text: string, references: readonly ResolvedReference[], validate: boolean): AvroParsedSchema {
  const parsing: Parsing = { names: new Map(), avscRegistry: {}, referenced: [], seen: new Set(), validate }
  parseReferences(references, parsing)
  const node = parseOne(text, parsing, '')
  const canonical = avroCanonical(node, parsing.referenced)
  let normalized: string | undefined
  return {
    type: 'AVRO',
    node,
    canonical,
    normalized() {
      // As Confluent: the normalized text parsed again (with the same references), then its canonical string.
      normalized ??= parseAvro(JSON.stringify(avroNormalizedJson(node, parsing.referenced)), references, false).canonical
      return normalized
    },
  }
}

function isAvro(schema: ParsedSchema): schema is AvroParsedSchema {
  return schema.type === 'AVRO' && 'node' in schema
}

export const avroFormat: SchemaFormat = {
  type: 'AVRO',
  parse: (text, references) => parseAvro(text, references, true),
  readProblems(reader: ParsedSchema, writer: ParsedSchema, roles: ReadRoles = BACKWARD_ROLES): string[] {
    if (!isAvro(reader) || !isAvro(writer)) return ['Incompatible because of different schema type']
    return avroReadProblems(reader.node, writer.node, roles)
  },
}
