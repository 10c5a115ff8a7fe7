/**
 * JSON Schema behind the schema-format seam. Ajv decides what is a valid schema (draft-07, or
 * 2019-09 and 2020-12 when `$schema` names them; unknown keywords allowed, as Confluent allows them),
 * with each reference added under its name so `$ref` can point at it. The canonical text is the JSON
 * as written, without layout (Confluent's Jackson text); the normalized one also has its keys sorted.
 */
import { Ajv, type AnySchema } from 'ajv'
import { Ajv2019 } from 'ajv/dist/2019.js'
import { Ajv2020 } from 'ajv/dist/2020.js'
import formatsModule from 'ajv-formats'
import {
  BACKWARD_ROLES,
  InvalidSchemaError,
  type ParsedSchema,
  type ReadRoles,
  type ResolvedReference,
  type SchemaFormat,
} from '../schema-format.ts'
import { jsonSchemaReadProblems } from './json-schema-diff.ts'
import { JsonSchemaLoader } from './json-schema-model.ts'

const addFormats = formatsModule.default

export interface JsonParsedSchema extends ParsedSchema {
  readonly type: 'JSON'
  readonly root: unknown
  readonly loader: JsonSchemaLoader
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

function parseJson(text: string, what: string): unknown {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw new InvalidSchemaError(`Invalid JSON schema${what}: not JSON: ${reasonOf(error)}`)
  }
  if (typeof json !== 'boolean' && (json === null || typeof json !== 'object' || Array.isArray(json))) {
    throw new InvalidSchemaError(`Invalid JSON schema${what}: a schema is an object or a boolean, not ${JSON.stringify(json)}`)
  }
  return json
}

function draftOf(schema: unknown): string | undefined {
  const uri = typeof schema === 'object' && schema !== null ? (schema as Record<string, unknown>).$schema : undefined
  return typeof uri === 'string' ? uri : undefined
}

function validatorFor(draft: string | undefined): Ajv {
  const options = { strict: false, logger: false, allErrors: false, validateFormats: true } as const
  const ajv =
    draft?.includes('2020-12') === true
      ? new Ajv2020(options)
      : draft?.includes('2019-09') === true
        ? new Ajv2019(options)
        : new Ajv(options)
  addFormats(ajv)
  return ajv
}

/** Ajv knows the meta-schema of its own draft only: another draft's `$schema` is left out for it. */
function forAjv(schema: unknown, ajv: Ajv): AnySchema {
  const draft = draftOf(schema)
  if (draft === undefined || ajv.getSchema(draft.replace(/#$/, '')) !== undefined || ajv.getSchema(draft) !== undefined)
    return schema as AnySchema
  const { $schema: _ignored, ...rest } = schema as Record<string, unknown>
  return rest
}

function collect(references: readonly ResolvedReference[], into: Map<string, unknown>): void {
  for (const reference of references) {
    if (into.has(reference.name)) continue
    collect(reference.references, into)
    if (reference.schemaType !== 'JSON') {
      throw new InvalidSchemaError(`Invalid JSON schema: reference '${reference.name}' is a ${reference.schemaType} schema`)
    }
    into.set(reference.name, parseJson(reference.schema, ` (reference '${reference.name}')`))
  }
}

/** The JSON with every object's keys sorted. */
function sortedKeys(json: unknown): unknown {
  if (Array.isArray(json)) return json.map(sortedKeys)
  if (json === null || typeof json !== 'object') return json
  return Object.fromEntries(
    Object.keys(json)
      .sort()
      .map((key) => [key, sortedKeys((json as Record<string, unknown>)[key])]),
  )
}

function parseJsonSchema(text: string, references: readonly ResolvedReference[]): JsonParsedSchema {
  const root = parseJson(text, '')
  const documents = new Map<string, unknown>()
  collect(references, documents)
  const ajv = validatorFor(draftOf(root))
  try {
    for (const [name, document] of documents) ajv.addSchema(forAjv(document, ajv), name)
    ajv.compile(forAjv(root, ajv))
  } catch (error) {
    throw new InvalidSchemaError(`Invalid JSON schema: ${reasonOf(error)}`)
  }
  let normalized: string | undefined
  return {
    type: 'JSON',
    root,
    loader: new JsonSchemaLoader(root, documents),
    canonical: JSON.stringify(root),
    normalized() {
      normalized ??= JSON.stringify(sortedKeys(root))
      return normalized
    },
  }
}

function isJson(schema: ParsedSchema): schema is JsonParsedSchema {
  return schema.type === 'JSON' && 'loader' in schema
}

export const jsonSchemaFormat: SchemaFormat = {
  type: 'JSON',
  parse: parseJsonSchema,
  readProblems(reader: ParsedSchema, writer: ParsedSchema, roles: ReadRoles = BACKWARD_ROLES): string[] {
    if (!isJson(reader) || !isJson(writer)) return ['Incompatible because of different schema type']
    return jsonSchemaReadProblems(writer.loader, writer.root, reader.loader, reader.root, roles)
  },
}
