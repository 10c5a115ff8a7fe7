/**
 * Why a reader's .proto cannot read what a writer's wrote, as Confluent's protobuf SchemaDiff says it:
 * the files' messages are matched by name (nested ones within their parent), fields by number, and
 * each difference found at a path such as `#/Person/2`. A field added or removed is compatible (the
 * reader skips unknown numbers); what changes the wire meaning of a number is not: a different kind
 * (scalar, message, map), a scalar of another wire group (int32/int64/uint32/uint64/bool and enums;
 * sint32/sint64; fixed32/sfixed32; fixed64/sfixed64; string/bytes; float; double), a named type of
 * another name, a numeric field turned repeated or back, fields gathered into a oneof, a required field
 * added or removed, a oneof field removed, a message removed, the package changed.
 */
import protobuf from 'protobufjs'
import type { Field, OneOf, ReflectionObject, Type } from 'protobufjs'
import { fileDeclarations, type LinkedProtoSchema } from './protobuf-files.ts'
import { isGroupType, isPlainField, mapKeyType, realOneofs } from './protobuf-shapes.ts'
import { describeDifference, INCOMPATIBLE, type DifferenceType } from './protobuf-difference.ts'

interface Difference {
  readonly type: DifferenceType
  readonly path: string
}

interface Side {
  readonly schema: LinkedProtoSchema
}

class Context {
  readonly original: Side
  readonly update: Side
  readonly comparing: Set<Type>
  readonly path: string[]
  readonly differences: Difference[] = []

  constructor(original: Side, update: Side, comparing: Set<Type>, path: string[]) {
    this.original = original
    this.update = update
    this.comparing = comparing
    this.path = path
  }

  add(type: DifferenceType): void {
    this.differences.push({ type, path: `#/${this.path.join('/')}` })
  }

  within(segment: string | number, compare: () => void): void {
    this.path.push(String(segment))
    try {
      compare()
    } finally {
      this.path.pop()
    }
  }

  subcontext(path: string[]): Context {
    return new Context(this.original, this.update, new Set(this.comparing), path)
  }

  isCompatible(): boolean {
    return this.differences.every((difference) => !INCOMPATIBLE.has(difference.type))
  }
}

/** Confluent's messages for what `reader` cannot read of `writer`'s data: the reader is the "new" schema. */
export function protobufReadProblems(reader: LinkedProtoSchema, writer: LinkedProtoSchema): string[] {
  const ctx = new Context({ schema: writer }, { schema: reader }, new Set(), [])
  if ((writer.file.packageName ?? '') !== (reader.file.packageName ?? '')) ctx.add('PACKAGE_CHANGED')
  const linkedDeclarations = (schema: LinkedProtoSchema): ReflectionObject[] =>
    fileDeclarations(schema.file).map((declaration) => schema.linked.lookup(declaration.fullName) ?? declaration)
  compareTypes(ctx, linkedDeclarations(writer), linkedDeclarations(reader))
  const problems = ctx.differences
    .filter((difference) => INCOMPATIBLE.has(difference.type))
    .map((difference) => describeDifference(difference.type, difference.path, 'new', 'old'))
  return [...new Set(problems)]
}

function messagesByName(declarations: readonly ReflectionObject[]): Map<string, Type> {
  const messages = new Map<string, Type>()
  for (const declaration of declarations) {
    if (declaration instanceof protobuf.Type && !isGroupType(declaration)) {
      messages.set(declaration.name, declaration)
    }
  }
  return messages
}

/** Messages matched by name; enum changes are all compatible in Confluent's rules, so enums are not compared. */
function compareTypes(ctx: Context, original: readonly ReflectionObject[], update: readonly ReflectionObject[]): void {
  const originalMessages = messagesByName(original)
  const updateMessages = messagesByName(update)
  for (const name of new Set([...originalMessages.keys(), ...updateMessages.keys()])) {
    ctx.within(name, () => {
      const originalMessage = originalMessages.get(name)
      const updateMessage = updateMessages.get(name)
      if (updateMessage === undefined) ctx.add('MESSAGE_REMOVED')
      else if (originalMessage === undefined) ctx.add('MESSAGE_ADDED')
      else compareMessages(ctx, originalMessage, updateMessage)
    })
  }
}

function ownFields(type: Type): Field[] {
  return type.fieldsArray.filter((field) => field.declaringField === null)
}

function sortedNumbers(numbers: Iterable<number>): number[] {
  return [...new Set(numbers)].sort((a, b) => a - b)
}

function compareMessages(ctx: Context, original: Type, update: Type): void {
  if (!ctx.comparing.has(original)) {
    ctx.comparing.add(original)
    try {
      compareFields(ctx, original, update)
    } finally {
      ctx.comparing.delete(original)
    }
  }
  compareTypes(ctx, original.nestedArray, update.nestedArray)
}

function compareFields(ctx: Context, original: Type, update: Type): void {
  const plainByNumber = (type: Type) =>
    new Map(
      ownFields(type)
        .filter(isPlainField)
        .map((field) => [field.id, field]),
    )
  const originalByNumber = plainByNumber(original)
  const updateByNumber = plainByNumber(update)
  const originalAll = new Map(originalByNumber)
  const updateAll = new Map(updateByNumber)
  const originalOneofOf = new Map<number, string>()
  const updateOneofOf = new Map<number, string>()
  const originalOneofs = new Map(realOneofs(original).map((oneof) => [oneof.name, oneof]))
  const updateOneofs = new Map(realOneofs(update).map((oneof) => [oneof.name, oneof]))
  for (const oneof of originalOneofs.values()) {
    for (const field of oneof.fieldsArray) {
      originalAll.set(field.id, field)
      originalOneofOf.set(field.id, oneof.name)
    }
  }
  for (const oneof of updateOneofs.values()) {
    ctx.within(oneof.name, () => {
      let moved = 0
      let existing = 0
      for (const field of oneof.fieldsArray) {
        updateAll.set(field.id, field)
        updateOneofOf.set(field.id, oneof.name)
        if (originalByNumber.delete(field.id)) moved++
        else if (originalOneofOf.has(field.id)) existing++
      }
      if (moved > 1) ctx.add('MULTIPLE_FIELDS_MOVED_TO_ONEOF')
      else if (moved === 1 && existing > 0) ctx.add('FIELD_MOVED_TO_EXISTING_ONEOF')
    })
  }
  for (const name of new Set([...originalOneofs.keys(), ...updateOneofs.keys()])) {
    ctx.within(name, () => {
      const originalOneof = originalOneofs.get(name)
      const updateOneof = updateOneofs.get(name)
      if (updateOneof === undefined) ctx.add('ONEOF_REMOVED')
      else if (originalOneof === undefined) ctx.add('ONEOF_ADDED')
      else compareOneofs(ctx, originalOneof, updateOneof, new Set(updateAll.keys()))
    })
  }
  for (const number of sortedNumbers([...originalByNumber.keys(), ...updateByNumber.keys()])) {
    ctx.within(number, () => {
      const originalField = originalByNumber.get(number)
      const updateField = updateByNumber.get(number)
      if (updateField === undefined) ctx.add(originalField?.rule === 'required' ? 'REQUIRED_FIELD_REMOVED' : 'FIELD_REMOVED')
      else if (originalField === undefined) ctx.add(updateField.rule === 'required' ? 'REQUIRED_FIELD_ADDED' : 'FIELD_ADDED')
      else compareField(ctx, originalField, updateField)
    })
  }
  // A field whose oneof changed (moved in, out, or its oneof renamed) is compared by number as well.
  for (const number of sortedNumbers(originalAll.keys())) {
    const updateField = updateAll.get(number)
    if (updateField === undefined) continue
    const originalOneof = originalOneofOf.get(number)
    const updateOneof = updateOneofOf.get(number)
    if ((originalOneof === undefined && updateOneof === undefined) || (originalOneof !== undefined && originalOneof === updateOneof))
      continue
    ctx.within(number, () => compareField(ctx, originalAll.get(number) as Field, updateField))
  }
}

function compareOneofs(ctx: Context, original: OneOf, update: OneOf, updateNumbers: ReadonlySet<number>): void {
  const originalByNumber = new Map(original.fieldsArray.map((field) => [field.id, field]))
  const updateByNumber = new Map(update.fieldsArray.map((field) => [field.id, field]))
  for (const number of sortedNumbers([...originalByNumber.keys(), ...updateByNumber.keys()])) {
    ctx.within(number, () => {
      const originalField = originalByNumber.get(number)
      const updateField = updateByNumber.get(number)
      if (updateField === undefined) {
        if (!updateNumbers.has(number)) ctx.add('ONEOF_FIELD_REMOVED')
      } else if (originalField === undefined) ctx.add('ONEOF_FIELD_ADDED')
      else compareField(ctx, originalField, updateField)
    })
  }
}

type Label = 'optional' | 'required' | 'repeated' | undefined

/** The label as written (Wire's): none for a proto3 field without one, a oneof member, a map. */
function labelOf(field: Field): Label {
  if (field.map) return undefined
  if (field.repeated) return 'repeated'
  if (field.rule === 'required') return 'required'
  if (!isPlainField(field)) return undefined
  if (field.options?.proto3_optional === true) return 'optional'
  return editionOf(field) === 'proto2' ? 'optional' : undefined
}

function editionOf(object: ReflectionObject): string | undefined {
  for (let at: ReflectionObject | null = object; at !== null; at = at.parent) {
    const edition = (at as ReflectionObject & { _edition?: string })._edition
    if (edition !== undefined) return edition
  }
  return undefined
}

type TypeRef =
  | { readonly kind: 'SCALAR'; readonly scalar: string }
  | { readonly kind: 'MESSAGE'; readonly message: Type }
  | { readonly kind: 'MAP'; readonly key: TypeRef; readonly value: TypeRef }

function typeRef(name: string, resolved: ReflectionObject | null): TypeRef {
  if (resolved instanceof protobuf.Enum) return { kind: 'SCALAR', scalar: 'enum' }
  if (resolved instanceof protobuf.Type) return { kind: 'MESSAGE', message: resolved }
  return { kind: 'SCALAR', scalar: name }
}

function fieldRef(field: Field): TypeRef {
  const value = typeRef(field.type, field.resolvedType)
  return field.map ? { kind: 'MAP', key: typeRef(mapKeyType(field), null), value } : value
}

function compareField(ctx: Context, original: Field, update: Field): void {
  if (original.name !== update.name) ctx.add('FIELD_NAME_CHANGED')
  compareRefs(ctx, labelOf(original), labelOf(update), fieldRef(original), fieldRef(update))
}

function compareRefs(ctx: Context, originalLabel: Label, updateLabel: Label, original: TypeRef, update: TypeRef): void {
  if (original.kind !== update.kind) {
    ctx.add('FIELD_KIND_CHANGED')
  } else if (original.kind === 'SCALAR' && update.kind === 'SCALAR') {
    const kind = scalarKind(original.scalar)
    if (kind !== scalarKind(update.scalar)) ctx.add('FIELD_SCALAR_KIND_CHANGED')
    else if (originalLabel !== undefined && updateLabel !== undefined && originalLabel !== updateLabel) {
      ctx.add(kind === 'STRING_OR_BYTES' ? 'FIELD_STRING_OR_BYTES_LABEL_CHANGED' : 'FIELD_NUMERIC_LABEL_CHANGED')
    }
  } else if (original.kind === 'MESSAGE' && update.kind === 'MESSAGE') {
    compareMessageRefs(ctx, original.message, update.message)
  } else if (original.kind === 'MAP' && update.kind === 'MAP') {
    compareRefs(ctx, undefined, undefined, original.key, update.key)
    compareRefs(ctx, undefined, undefined, original.value, update.value)
  }
}

/** Scalars that read each other's encoding, after protobuf's "updating a message type" rules. */
function scalarKind(scalar: string): string {
  switch (scalar) {
    case 'enum':
    case 'int32':
    case 'int64':
    case 'uint32':
    case 'uint64':
    case 'bool':
      return 'GENERAL_NUMBER'
    case 'sint32':
    case 'sint64':
      return 'SIGNED_NUMBER'
    case 'string':
    case 'bytes':
      return 'STRING_OR_BYTES'
    case 'fixed32':
    case 'sfixed32':
      return 'FIXED32'
    case 'fixed64':
    case 'sfixed64':
      return 'FIXED64'
    default:
      return scalar.toUpperCase()
  }
}

/** The name of a message within its package: `Outer.Inner`. */
function localName(type: Type): string[] {
  const names: string[] = []
  for (let at: ReflectionObject | null = type; at instanceof protobuf.Type; at = at.parent) names.unshift(at.name)
  return names
}

/**
 * Where a message comes from: a reference (its name and text), or this file and the well-known files,
 * which both sides share (this file's messages are compared by name already, as Confluent does).
 */
function sourceOf(type: Type, side: Side): string {
  let at: ReflectionObject = type
  while (at.parent instanceof protobuf.Type) at = at.parent
  return typeof at.filename === 'string' ? `${at.filename}\u0000${side.schema.referenceTexts.get(at.filename)}` : 'local'
}

function compareMessageRefs(ctx: Context, original: Type, update: Type): void {
  const originalName = localName(original)
  if (originalName.join('.') !== localName(update).join('.')) {
    ctx.add('FIELD_NAMED_TYPE_CHANGED')
    return
  }
  const source = sourceOf(original, ctx.original)
  if (source === sourceOf(update, ctx.update)) return
  const sub = ctx.subcontext(originalName)
  compareMessages(sub, original, update)
  ctx.differences.push(...sub.differences)
  if (!sub.isCompatible()) ctx.add('FIELD_NAMED_TYPE_CHANGED')
}
