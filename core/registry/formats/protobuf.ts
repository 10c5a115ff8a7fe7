/**
 * The Protobuf schema language for the registry, on protobufjs: a schema is the text of a .proto file,
 * its references the files it imports (each under its import path); google/protobuf's well-known files
 * need no reference. The stored text is the file in Confluent's canonical layout; compatibility is
 * Confluent's protobuf SchemaDiff (see protobuf-diff.ts).
 */
import protobuf from 'protobufjs'
import type { Field, Method, ReflectionObject, Root, Type } from 'protobufjs'
import type { ParsedSchema, ResolvedReference, SchemaFormat } from '../schema-format.ts'
import { fileDeclarations, firstLinkedMessage, linkProtoSchema, type LinkedProtoSchema } from './protobuf-files.ts'
import { printProtoFile, type Qualifier } from './protobuf-print.ts'
import { isGroupType, mapKeyType } from './protobuf-shapes.ts'
import { protobufReadProblems } from './protobuf-diff.ts'

class ProtobufSchema implements ParsedSchema {
  readonly type = 'PROTOBUF'
  readonly canonical: string
  readonly linked: LinkedProtoSchema
  #normalized: string | undefined

  constructor(linked: LinkedProtoSchema) {
    this.linked = linked
    this.canonical = printProtoFile(linked.file)
  }

  normalized(): string {
    this.#normalized ??= printProtoFile(this.linked.file, qualifier(this.linked.linked))
    return this.#normalized
  }
}

/** Names as the linked file resolves them: a type of the printed (unlinked) file is found by its full name. */
function qualifier(linked: Root): Qualifier {
  const linkedField = (field: Field): Field => {
    const parent = field.parent === null ? null : linked.lookup(field.parent.fullName)
    const twin = parent instanceof protobuf.Type ? parent.fields[field.name] : undefined
    if (twin !== undefined) return twin
    const extension = linked.lookup(field.fullName)
    return extension instanceof protobuf.Field ? extension : field
  }
  const linkedMethod = (method: Method): Method => {
    const twin = linked.lookup(method.fullName)
    return twin instanceof protobuf.Method ? twin : method
  }
  return {
    fieldType(field) {
      const twin = linkedField(field)
      const type = twin.resolvedType === null ? twin.type : twin.resolvedType.fullName
      return twin.map ? `map<${mapKeyType(twin)}, ${type}>` : type
    },
    requestType: (method) => linkedMethod(method).resolvedRequestType?.fullName ?? method.requestType,
    responseType: (method) => linkedMethod(method).resolvedResponseType?.fullName ?? method.responseType,
  }
}

function asProtobuf(parsed: ParsedSchema): ProtobufSchema {
  if (!(parsed instanceof ProtobufSchema)) throw new TypeError(`not a Protobuf schema: ${parsed.type}`)
  return parsed
}

export const protobufFormat: SchemaFormat = {
  type: 'PROTOBUF',
  parse(text: string, references: readonly ResolvedReference[]): ParsedSchema {
    return new ProtobufSchema(linkProtoSchema(text, references))
  },
  readProblems(reader: ParsedSchema, writer: ParsedSchema): string[] {
    return protobufReadProblems(asProtobuf(reader).linked, asProtobuf(writer).linked)
  },
}

/** The schema's file linked with everything it imports, every name resolved. */
export function protobufRoot(parsed: ParsedSchema): Root {
  return asProtobuf(parsed).linked.linked
}

/** The first message the schema's file declares: the one Confluent's serializers use by default. */
export function firstMessage(parsed: ParsedSchema): Type {
  const message = firstLinkedMessage(asProtobuf(parsed).linked)
  if (message === undefined) throw new TypeError('the Protobuf schema declares no message')
  return message
}

/**
 * The message a Confluent message-index path names: the index among the file's messages, then among
 * that message's nested messages, and so on ([0] is the first message).
 */
export function messageAt(parsed: ParsedSchema, indexes: readonly number[]): Type {
  const schema = asProtobuf(parsed)
  const messagesOf = (declarations: readonly ReflectionObject[]): Type[] =>
    declarations.filter((declaration): declaration is Type => declaration instanceof protobuf.Type && !isGroupType(declaration))
  let candidates = messagesOf(fileDeclarations(schema.linked.file)).map((type) => schema.linked.linked.lookupType(type.fullName))
  let found: Type | undefined
  for (const index of indexes) {
    found = candidates[index]
    if (found === undefined) throw new TypeError(`the Protobuf schema has no message at index path [${indexes.join(', ')}]`)
    candidates = messagesOf(found.nestedArray)
  }
  if (found === undefined) throw new TypeError('an empty message index path names no message')
  return found
}
