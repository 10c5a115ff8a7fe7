/**
 * A .proto file printed in the layout of Confluent's ProtobufSchema canonical string (its
 * ProtobufSchemaUtils.toString over Wire's parsed file): syntax and package, then a blank line before
 * the imports, the file options, the types (messages, then enums), the extends and the services;
 * 2-space indent; comments dropped. Inside a message each non-empty section (reserved, options, fields,
 * oneofs, extension ranges, nested types) opens with a blank line.
 * Normalized (Confluent's `normalize=true`): imports sorted and unique, options sorted by name, fields
 * and enum constants in number order, oneofs by their first field number, one reserved range a
 * statement, and every message or enum type named fully qualified with a leading dot.
 */
import protobuf from 'protobufjs'
import type { Enum, Field, Method, OneOf, ReflectionObject, Service, Type } from 'protobufjs'
import { fileDeclarations, type ProtoFile } from './protobuf-files.ts'
import { optionEntries, printOption, printOptionList } from './protobuf-print-option.ts'
import { isGroupType, isPlainField, mapKeyType, realOneofs } from './protobuf-shapes.ts'

/** The fully qualified name of what a field or method names, when printing normalized. */
export interface Qualifier {
  fieldType(field: Field): string
  requestType(method: Method): string
  responseType(method: Method): string
}

interface Printing {
  readonly normalize: boolean
  readonly qualify: Qualifier | undefined
  readonly bareWords: ReadonlySet<string>
  readonly proto2: boolean
}

const MAX_FIELD_NUMBER = 536870911

export function printProtoFile(file: ProtoFile, qualify?: Qualifier): string {
  const p: Printing = {
    normalize: qualify !== undefined,
    qualify,
    bareWords: file.layout.bareWords,
    proto2: file.layout.syntax === undefined || file.layout.syntax.value === 'proto2',
  }
  const { syntax, importModifiers } = file.layout
  let out = syntax === undefined ? '' : `${syntax.keyword} = "${syntax.value}";\n`
  if (file.packageName !== undefined) out += `package ${file.packageName};\n`
  let imports = [...importModifiers].map(([path, modifier]) => `import ${modifier === undefined ? '' : `${modifier} `}"${path}";\n`)
  if (p.normalize) imports = [...new Set(imports)].sort()
  if (imports.length > 0) out += `\n${imports.join('')}`
  const home = file.packageName === undefined ? file.root : file.root.lookup(file.packageName)
  const options = optionLines(home?.options, p)
  if (options.length > 0) out += `\n${options.join('')}`
  const declarations = fileDeclarations(file)
  const types = typeDeclarations(declarations, p)
  if (types !== '') out += `\n${types}`
  const extendsText = printExtends(declarations.filter(isExtensionField), p)
  if (extendsText !== '') out += `\n${extendsText}`
  const services = declarations.filter((d): d is Service => d instanceof protobuf.Service)
  if (services.length > 0) out += `\n${services.map((service) => printService(service, p)).join('')}`
  return out
}

function isExtensionField(object: ReflectionObject): object is Field {
  return object instanceof protobuf.Field && (object as Field).extend !== undefined
}

/** Messages first, then enums, each in the order declared (it numbers the messages on the wire). */
function typeDeclarations(declarations: readonly ReflectionObject[], p: Printing): string {
  const messages = declarations.filter((d): d is Type => d instanceof protobuf.Type && !isGroupType(d))
  const enums = declarations.filter((d): d is Enum => d instanceof protobuf.Enum)
  return messages.map((type) => printMessage(type, p)).join('') + enums.map((type) => printEnum(type, p)).join('')
}

function indent(text: string): string {
  return text
    .split('\n')
    .filter((line, index, lines) => index < lines.length - 1 || line !== '')
    .map((line) => `  ${line}\n`)
    .join('')
}

function optionLines(options: Record<string, unknown> | undefined, p: Printing, skip: readonly string[] = []): string[] {
  let entries = Object.entries(options ?? {}).filter(([name]) => !skip.includes(name))
  if (p.normalize) entries = entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return entries.map(([name, value]) => `option ${printOption(name, value, p.bareWords)};\n`)
}

function byNumber<T extends { id: number }>(items: readonly T[], p: Printing): T[] {
  return p.normalize ? [...items].sort((a, b) => a.id - b.id) : [...items]
}

function printMessage(type: Type, p: Printing): string {
  let out = `message ${type.name} {`
  const reserved = printReserved(type.reserved, p)
  if (reserved !== '') out += `\n${indent(reserved)}`
  const options = optionLines(type.options, p)
  if (options.length > 0) out += `\n${indent(options.join(''))}`
  const own = type.fieldsArray.filter((field) => field.declaringField === null)
  const groups = own.filter((field) => isGroupType(field.resolvedType ?? type.lookup(field.type) ?? type))
  const fields = byNumber(
    own.filter((field) => isPlainField(field) && !groups.includes(field)),
    p,
  )
  if (fields.length > 0) out += `\n${indent(fields.map((field) => printField(field, p, true)).join(''))}`
  let oneofs = realOneofs(type)
  if (p.normalize) {
    oneofs = oneofs
      .filter((oneof) => oneof.fieldsArray.length > 0)
      .sort((a, b) => Math.min(...a.fieldsArray.map((f) => f.id)) - Math.min(...b.fieldsArray.map((f) => f.id)))
  }
  if (oneofs.length > 0) out += `\n${indent(oneofs.map((oneof) => printOneof(oneof, p)).join(''))}`
  if (groups.length > 0) out += `\n${indent(groups.map((field) => printGroup(field, type, p)).join(''))}`
  if (type.extensions !== undefined && type.extensions.length > 0) {
    out += `\n${indent(`extensions ${type.extensions.map((range) => printRange(range)).join(', ')};\n`)}`
  }
  const nested = type.nestedArray
  const types = typeDeclarations(nested, p) + printExtends(nested.filter(isExtensionField), p)
  if (types !== '') out += `\n${indent(types)}`
  return `${out}}\n`
}

function printRange(range: readonly number[]): string {
  const [start, end] = range as [number, number]
  return start === end ? `${start}` : `${start} to ${end === MAX_FIELD_NUMBER ? 'max' : end}`
}

function printReserved(reserved: readonly (number[] | string)[] | undefined, p: Printing): string {
  if (reserved === undefined || reserved.length === 0) return ''
  const item = (entry: number[] | string): string => (typeof entry === 'string' ? `"${entry}"` : printRange(entry))
  if (p.normalize) {
    const start = (entry: number[] | string): number => (typeof entry === 'string' ? Number.MAX_SAFE_INTEGER : (entry[0] as number))
    return [...reserved]
      .sort((a, b) => start(a) - start(b) || (item(a) < item(b) ? -1 : item(a) > item(b) ? 1 : 0))
      .map((entry) => `reserved ${item(entry)};\n`)
      .join('')
  }
  const numbers = reserved.filter((entry) => typeof entry !== 'string')
  const names = reserved.filter((entry) => typeof entry === 'string')
  return [numbers, names]
    .filter((group) => group.length > 0)
    .map((group) => `reserved ${group.map(item).join(', ')};\n`)
    .join('')
}

function label(field: Field, p: Printing, plain: boolean): string {
  if (field.repeated && !field.map) return 'repeated '
  if (field.rule === 'required') return 'required '
  if (field.map || !plain) return ''
  if (field.options?.proto3_optional === true || p.proto2) return 'optional '
  return ''
}

function fieldType(field: Field, p: Printing): string {
  if (p.qualify !== undefined) return p.qualify.fieldType(field)
  return field.map ? `map<${mapKeyType(field)}, ${field.type}>` : field.type
}

function printField(field: Field, p: Printing, plain: boolean): string {
  const name = field.name.startsWith('.') ? field.name.slice(1) : field.name
  return `${label(field, p, plain)}${fieldType(field, p)} ${name} = ${field.id}${fieldOptions(optionEntries(field.options, field.parsedOptions), p, field)};\n`
}

/**
 * Wire prints `default` and `json_name` after the other options of a field. A default is quoted for a
 * string or bytes field and bare for an enum one, whatever other options in the file look like.
 */
function fieldOptions(options: Record<string, unknown> | [string, unknown][] | undefined, p: Printing, field?: Field): string {
  const entries = (Array.isArray(options) ? options : Object.entries(options ?? {})).filter(([name]) => name !== 'proto3_optional')
  const late = (name: string): number => (name === 'default' ? 1 : name === 'json_name' ? 2 : 0)
  entries.sort(p.normalize ? ([a], [b]) => (a < b ? -1 : a > b ? 1 : 0) : ([a], [b]) => late(a) - late(b))
  if (entries.length === 0) return ''
  let bareWords = p.bareWords
  const fallback = entries.find(([name]) => name === 'default')
  if (field !== undefined && typeof fallback?.[1] === 'string') {
    const words = new Set(p.bareWords)
    if (field.type === 'string' || field.type === 'bytes') words.delete(fallback[1])
    else words.add(fallback[1])
    bareWords = words
  }
  return ` ${printOptionList(entries, bareWords)}`
}

function printOneof(oneof: OneOf, p: Printing): string {
  let out = `oneof ${oneof.name} {`
  const options = optionLines(oneof.options, p)
  if (options.length > 0) out += `\n${indent(options.join(''))}`
  const fields = byNumber(oneof.fieldsArray, p)
  if (fields.length > 0) out += `\n${indent(fields.map((field) => printField(field, p, false)).join(''))}`
  return `${out}}\n`
}

function printGroup(field: Field, parent: Type, p: Printing): string {
  const group = parent.lookupType(field.type)
  const fields = byNumber(group.fieldsArray, p)
    .map((member) => printField(member, p, true))
    .join('')
  return `${label(field, p, isPlainField(field))}group ${group.name} = ${field.id} {${fields === '' ? '' : `\n${indent(fields)}`}}\n`
}

function printEnum(type: Enum, p: Printing): string {
  let out = `enum ${type.name} {`
  const options = optionLines(type.options, p)
  let values = Object.entries(type.values)
  if (p.normalize) values = values.sort(([a, x], [b, y]) => x - y || (a < b ? -1 : a > b ? 1 : 0))
  const reserved = printReserved(type.reserved, p)
  if (options.length > 0 || values.length > 0 || reserved !== '') out += '\n'
  out += indent(options.join('') + reserved)
  for (const [name, number] of values) {
    out += indent(`${name} = ${number}${fieldOptions(type.valuesOptions?.[name], p)};\n`)
  }
  return `${out}}\n`
}

/** Extension fields, one `extend` block for each run of fields extending the same message. */
function printExtends(fields: readonly Field[], p: Printing): string {
  let out = ''
  for (let start = 0; start < fields.length; ) {
    let end = start
    while (end < fields.length && fields[end]?.extend === fields[start]?.extend) end++
    const body = fields
      .slice(start, end)
      .map((field) => printField(field, p, true))
      .join('')
    out += `extend ${fields[start]?.extend} {\n${indent(body)}}\n`
    start = end
  }
  return out
}

function printService(service: Service, p: Printing): string {
  let out = `service ${service.name} {`
  const options = optionLines(service.options, p)
  if (options.length > 0) out += `\n${indent(options.join(''))}`
  if (service.methodsArray.length > 0) out += `\n${indent(service.methodsArray.map((method) => printMethod(method, p)).join(''))}`
  return `${out}}\n`
}

function printMethod(method: Method, p: Printing): string {
  const request = p.qualify?.requestType(method) ?? method.requestType
  const response = p.qualify?.responseType(method) ?? method.responseType
  let out = `rpc ${method.name} (${method.requestStream === true ? 'stream ' : ''}${request}) returns (${method.responseStream === true ? 'stream ' : ''}${response})`
  const options = optionLines(method.options, p)
  if (options.length > 0) out += ` {\n${indent(options.join(''))}}`
  return `${out};\n`
}
