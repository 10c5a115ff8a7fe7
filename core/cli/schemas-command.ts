/**
 * `tributary schemas list|get|register|check|delete`: a Confluent-compatible Schema Registry (the
 * worker's built-in one, or Confluent's, Redpanda's, Apicurio's) from the shell, through the same
 * RegistryClient the converters use, so a subject can be registered before a connector with
 * `auto.register.schemas=false` runs, or a change checked before it ships. `--registry URL` (env
 * TRIBUTARY_SCHEMA_REGISTRY_URL, default http://127.0.0.1:8081), `--token` as for the other commands.
 */
import fs from 'node:fs'
import { parseArgs } from 'node:util'
import { RegistryClient } from '../registry/registry-client.ts'
import type { SchemaInput, SubjectVersion, VersionSelector } from '../registry/registry.ts'
import { isRegistryError } from '../registry/registry-errors.ts'
import { SCHEMA_TYPES, type SchemaType } from '../registry/schema-format.ts'
import { required } from './args.ts'
import { CliError, EXIT } from './cli-error.ts'
import { printJson } from './output.ts'

const DEFAULT_REGISTRY_URL = 'http://127.0.0.1:8081'

export const SCHEMAS_OPTIONS = {
  registry: { type: 'string' },
  token: { type: 'string' },
  json: { type: 'boolean', default: false },
  deleted: { type: 'boolean', default: false },
  prefix: { type: 'string' },
  id: { type: 'string' },
  type: { type: 'string' },
  version: { type: 'string' },
  normalize: { type: 'boolean', default: false },
  permanent: { type: 'boolean', default: false },
} as const

const TYPES_BY_EXTENSION: Readonly<Record<string, SchemaType>> = { '.avsc': 'AVRO', '.json': 'JSON', '.proto': 'PROTOBUF' }

/** The flags and operands after the action; a bad flag is a usage error. */
function parseSchemasArgs(args: string[]) {
  try {
    return parseArgs({ args, options: SCHEMAS_OPTIONS, allowPositionals: true, strict: true })
  } catch (error) {
    throw new CliError((error as Error).message, EXIT.usage)
  }
}

export async function schemasCommand(args: string[]): Promise<void> {
  const [action, ...rest] = args
  const { values, positionals } = parseSchemasArgs(rest)
  const url = values.registry ?? process.env.TRIBUTARY_SCHEMA_REGISTRY_URL ?? DEFAULT_REGISTRY_URL
  const token = values.token ?? process.env.TRIBUTARY_REST_AUTH_TOKEN
  const registry = new RegistryClient({ url, ...(token !== undefined && { bearerToken: token }) })
  const [subject, second] = positionals
  try {
    switch (action) {
      case 'list': {
        const subjects = await registry.subjects({ deleted: values.deleted, ...(values.prefix !== undefined && { prefix: values.prefix }) })
        if (values.json) return printJson(subjects)
        for (const name of subjects) process.stdout.write(`${name}\n`)
        return
      }
      case 'get': {
        if (values.id !== undefined) {
          const id = positiveInteger(values.id, '--id')
          const [stored, versions] = await Promise.all([registry.schemaById(id), registry.versionsOfId(id, { deleted: values.deleted })])
          if (values.json) return printJson({ id, ...stored, versions })
          return printSchema(
            [
              ['id', id],
              ['type', stored.schemaType],
              ['subjects', versions.map((v) => `${v.subject} v${v.version}`).join(', ') || '-'],
              ...referenceLines(stored.references),
            ],
            stored.schemaType,
            stored.schema,
          )
        }
        const found = await registry.version(required(subject, 'subject'), versionOf(second ?? 'latest'), { deleted: values.deleted })
        if (values.json) return printJson(found)
        return printVersion(found)
      }
      case 'register': {
        const input = schemaInput(required(second, 'schema file'), values.type)
        const registered = await registry.register(required(subject, 'subject'), input, { normalize: values.normalize })
        if (values.json) return printJson(registered)
        process.stdout.write(`${registered.id}\n`)
        return
      }
      case 'check': {
        const input = schemaInput(required(second, 'schema file'), values.type)
        const result = await registry.checkCompatibility(
          required(subject, 'subject'),
          values.version === undefined ? undefined : versionOf(values.version),
          input,
          { normalize: values.normalize },
        )
        if (values.json) printJson({ is_compatible: result.isCompatible, messages: result.messages })
        else if (result.isCompatible) process.stdout.write('compatible\n')
        else process.stdout.write(`incompatible:\n${result.messages.map((message) => `  - ${message}\n`).join('')}`)
        if (!result.isCompatible) throw new CliError(`the schema in ${second} is incompatible with subject ${subject}`, EXIT.failure)
        return
      }
      case 'delete': {
        const name = required(subject, 'subject')
        const how = values.permanent ? 'permanently deleted' : 'deleted'
        if (second !== undefined) {
          const deleted = await registry.deleteVersion(name, versionOf(second), { permanent: values.permanent })
          if (values.json) return printJson({ subject: name, versions: [deleted] })
          process.stdout.write(`${how} ${name} version ${deleted}\n`)
          return
        }
        const deleted = await registry.deleteSubject(name, { permanent: values.permanent })
        if (values.json) return printJson({ subject: name, versions: deleted })
        process.stdout.write(`${how} ${name} (version${deleted.length === 1 ? '' : 's'} ${deleted.join(', ')})\n`)
        return
      }
      default:
        throw new CliError(`unknown schemas action "${action ?? ''}"; use list, get, register, check or delete`, EXIT.usage)
    }
  } catch (error) {
    throw cliErrorOf(error)
  }
}

/**
 * Confluent's code and message, with the exit code scripts rely on: 4 for what does not exist,
 * 3 when the registry did not answer at all, 1 for the rest.
 */
function cliErrorOf(error: unknown): unknown {
  if (!isRegistryError(error)) return error
  const unreachable = error.errorCode === 50001 && error.cause !== undefined
  const exitCode = unreachable ? EXIT.unreachable : error.httpStatus === 404 ? EXIT.notFound : EXIT.failure
  return new CliError(unreachable ? error.message : `error ${error.errorCode}: ${error.message}`, exitCode)
}

function positiveInteger(text: string, what: string): number {
  const value = Number(text)
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < 1)
    throw new CliError(`${what} must be a positive integer, not "${text}"`, EXIT.usage)
  return value
}

function versionOf(text: string): VersionSelector {
  return text === 'latest' ? 'latest' : positiveInteger(text, 'the version')
}

/** The file's text, its type from `--type` or else from the file's extension. */
function schemaInput(file: string, type: string | undefined): SchemaInput {
  const extension = /\.[^./\\]+$/.exec(file)?.[0]?.toLowerCase() ?? ''
  const schemaType =
    type === undefined
      ? TYPES_BY_EXTENSION[extension]
      : (SCHEMA_TYPES as readonly string[]).includes(type.toUpperCase())
        ? (type.toUpperCase() as SchemaType)
        : undefined
  if (schemaType === undefined) {
    throw new CliError(
      type === undefined
        ? `cannot tell the schema type of ${file} from its extension (.avsc, .json, .proto): give --type AVRO|JSON|PROTOBUF`
        : `unknown --type "${type}"; use AVRO, JSON or PROTOBUF`,
      EXIT.usage,
    )
  }
  let schema: string
  try {
    schema = fs.readFileSync(file, 'utf8')
  } catch (error) {
    throw new CliError(
      `cannot read ${file}: ${(error as Error).message}`,
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? EXIT.notFound : EXIT.failure,
    )
  }
  return { schema, schemaType }
}

function referenceLines(references: SubjectVersion['references']): Array<[string, string]> {
  return references.map((reference) => ['reference', `${reference.name} → ${reference.subject} v${reference.version}`])
}

function printVersion(found: SubjectVersion): void {
  printSchema(
    [
      ['subject', found.subject],
      ['version', found.version],
      ['id', found.id],
      ['type', found.schemaType],
      ...(found.deleted ? [['deleted', 'yes'] as [string, string]] : []),
      ...referenceLines(found.references),
    ],
    found.schemaType,
    found.schema,
  )
}

/** `name  value` lines, a blank line, then the schema: JSON pretty-printed, a .proto file as it is. */
function printSchema(lines: ReadonlyArray<readonly [string, string | number]>, type: SchemaType, schema: string): void {
  const width = Math.max(...lines.map(([name]) => name.length))
  for (const [name, value] of lines) process.stdout.write(`${name.padEnd(width)}  ${value}\n`)
  process.stdout.write(`\n${type === 'PROTOBUF' ? schema.trimEnd() : prettyJson(schema)}\n`)
}

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2)
  } catch {
    return text
  }
}
