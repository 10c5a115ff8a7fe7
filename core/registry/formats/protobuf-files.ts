/**
 * A .proto schema and the files it imports, read with protobufjs: the file alone (what the printer
 * lays out, with its own options and imports) and the file linked with its references and the
 * well-known imports, google/protobuf's and Confluent's (what names resolve against and what
 * compatibility compares).
 * Every way the text can fail becomes an InvalidSchemaError that names the file and the line.
 */
import protobuf from 'protobufjs'
import type { Field, Method, Namespace, ReflectionObject, Root, Type } from 'protobufjs'
import { createRequire } from 'node:module'
import { InvalidSchemaError, type ResolvedReference } from '../schema-format.ts'
import { BUILTIN_PROTO_FILES } from './protobuf-builtin-files.ts'
import { scanProtoLayout, type ProtoLayout } from './protobuf-layout.ts'

const PARSE_OPTIONS = { keepCase: true, alternateCommentMode: true }

/** descriptor.proto ships as JSON with protobufjs but is not among its `common` definitions. */
const DESCRIPTOR_IMPORT = 'google/protobuf/descriptor.proto'
const descriptorJson = createRequire(import.meta.url)('protobufjs/google/protobuf/descriptor.json') as { nested: object }

export interface ProtoFile {
  /** This file's declarations alone. */
  readonly root: Root
  readonly packageName: string | undefined
  readonly layout: ProtoLayout
}

export interface LinkedProtoSchema {
  readonly file: ProtoFile
  /** The file with everything it imports, every name resolved. */
  readonly linked: Root
  /** The import path and text of the reference each linked file came from (the main file has none). */
  readonly referenceTexts: ReadonlyMap<string, string>
}

type ParseFunction = typeof protobuf.parse & { filename: string | null }

function parseInto(root: Root, text: string, fileName: string | null) {
  const parse = protobuf.parse as ParseFunction
  parse.filename = fileName
  try {
    return protobuf.parse(text, root, PARSE_OPTIONS)
  } catch (error) {
    throw invalid(text, fileName, error)
  } finally {
    parse.filename = null
  }
}

/** protobufjs says the line of a syntax error; for a duplicate it does not, so look for it. */
function invalid(text: string, fileName: string | null, error: unknown): InvalidSchemaError {
  let reason = error instanceof Error ? error.message : String(error)
  if (!/\bline \d+\)/.test(reason)) {
    const duplicateId = /^duplicate id (\d+)/.exec(reason)
    const duplicateName = /^duplicate name '([^']+)'/.exec(reason)
    const line =
      duplicateId !== null
        ? nthLine(text, new RegExp(`=\\s*${duplicateId[1]}\\s*[;[]`), 2)
        : duplicateName !== null
          ? nthLine(text, new RegExp(`\\b${escapeRegExp(duplicateName[1] as string)}\\b`), 2)
          : undefined
    reason += line === undefined ? '' : ` (${fileName === null ? '' : `${fileName}, `}line ${line})`
  }
  const where = fileName === null ? '' : ` in reference "${fileName}"`
  return new InvalidSchemaError(`Invalid Protobuf schema${where}: ${reason}`)
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** The 1-based line of the nth line matching `pattern`, outside comments as far as a line can tell. */
function nthLine(text: string, pattern: RegExp, nth: number): number | undefined {
  const lines = text.split('\n')
  let seen = 0
  for (let index = 0; index < lines.length; index++) {
    if (pattern.test((lines[index] as string).replace(/\/\/.*$/, '')) && ++seen === nth) return index + 1
  }
  return seen > 0 ? nthLine(text, pattern, seen) : undefined
}

/** The references in the order they must be read: each one's own references first, each name once. */
function flatten(references: readonly ResolvedReference[], into = new Map<string, string>()): Map<string, string> {
  for (const reference of references) {
    if (into.has(reference.name)) continue
    flatten(reference.references, into)
    into.set(reference.name, reference.schema)
  }
  return into
}

function wellKnown(name: string): { nested?: object } | undefined {
  if (name === DESCRIPTOR_IMPORT) return descriptorJson
  return (protobuf.common as unknown as { get(name: string): { nested?: object } | null }).get(name) ?? undefined
}

export function linkProtoSchema(text: string, references: readonly ResolvedReference[]): LinkedProtoSchema {
  const referenceTexts = flatten(references)
  const linked = new protobuf.Root()
  const imported: [string, string, string | null][] = []
  for (const [name, referenceText] of referenceTexts) {
    const result = parseInto(linked, referenceText, name)
    for (const path of [...(result.imports ?? []), ...(result.weakImports ?? [])]) imported.push([path, referenceText, name])
  }
  const result = parseInto(linked, text, null)
  for (const path of [...(result.imports ?? []), ...(result.weakImports ?? [])]) imported.push([path, text, null])
  const added = new Set<string>()
  for (const [path, importerText, importer] of imported) {
    if (referenceTexts.has(path) || added.has(path)) continue
    const builtin = BUILTIN_PROTO_FILES[path]
    if (builtin !== undefined) {
      // Its own imports join the list being walked.
      const parsed = parseInto(linked, builtin, path)
      for (const next of parsed.imports ?? []) imported.push([next, builtin, path])
      added.add(path)
      continue
    }
    const json = wellKnown(path)
    if (json?.nested === undefined) {
      const line = nthLine(importerText, new RegExp(`import\\s+(public\\s+|weak\\s+)?["']${escapeRegExp(path)}["']`), 1)
      throw invalid(
        importerText,
        importer,
        new Error(`import "${path}" is neither a reference nor a well-known file${line === undefined ? '' : ` (line ${line})`}`),
      )
    }
    linked.addJSON(json.nested as never)
    added.add(path)
  }
  const soloRoot = new protobuf.Root()
  const solo = protobuf.parse(text, soloRoot, PARSE_OPTIONS)
  resolveFile(text, soloRoot, linked)
  try {
    linked.resolveAll()
  } catch (error) {
    throw invalid(text, null, error)
  }
  return {
    file: { root: soloRoot, packageName: solo.package, layout: scanProtoLayout(text) },
    linked,
    referenceTexts,
  }
}

/** Resolve the main file's names one by one, so an unknown type is reported at its line. */
function resolveFile(text: string, solo: Root, linked: Root): void {
  const visit = (object: ReflectionObject): void => {
    const twin = linked.lookup(object.fullName)
    if (object instanceof protobuf.Type && twin instanceof protobuf.Type) {
      for (const field of twin.fieldsArray) resolveOne(text, field, new RegExp(`\\b${escapeRegExp(field.name)}\\s*=\\s*${field.id}\\b`))
    }
    if (object instanceof protobuf.Service && twin instanceof protobuf.Service) {
      for (const method of twin.methodsArray) resolveOne(text, method, new RegExp(`\\brpc\\s+${escapeRegExp(method.name)}\\b`))
    }
    if (object instanceof protobuf.Namespace || object instanceof protobuf.Root) {
      for (const nested of (object as Namespace).nestedArray) visit(nested)
    }
  }
  visit(solo)
}

function resolveOne(text: string, object: Field | Method, pattern: RegExp): void {
  try {
    object.resolve()
  } catch (error) {
    const line = nthLine(text, pattern, 1)
    const reason = error instanceof Error ? error.message : String(error)
    throw new InvalidSchemaError(`Invalid Protobuf schema: ${reason}${line === undefined ? '' : ` (line ${line})`}`)
  }
}

/** The declarations of the file's package, in the order the file declares them. */
export function fileDeclarations(file: ProtoFile): ReflectionObject[] {
  const home = file.packageName === undefined ? file.root : file.root.lookup(file.packageName)
  return home instanceof protobuf.Namespace || home instanceof protobuf.Root ? [...(home as Namespace).nestedArray] : []
}

/** The first message the file declares, as linked. */
export function firstLinkedMessage(schema: LinkedProtoSchema): Type | undefined {
  for (const declaration of fileDeclarations(schema.file)) {
    if (declaration instanceof protobuf.Type) return schema.linked.lookupType(declaration.fullName)
  }
  return undefined
}
