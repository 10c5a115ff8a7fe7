/**
 * An Avro schema as Java Avro's Schema.Parser holds it, which Confluent's texts and checks are made
 * from: names split into name and namespace (a dotted name carries its own, an undotted one takes the
 * enclosing type's), aliases qualified against their type's namespace, and every attribute the
 * language does not reserve kept as a property, in the order written. avsc validates the schema first;
 * this model only keeps what the canonical text and the resolution rules need.
 */

export type AvroPrimitive = 'null' | 'boolean' | 'int' | 'long' | 'float' | 'double' | 'bytes' | 'string'

/** Attributes outside the language, in the order written; setting a present key keeps its place. */
export type AvroProps = Map<string, unknown>

export interface AvroName {
  readonly name: string
  /** Absent for the null namespace (an empty namespace is the null namespace). */
  readonly space: string | undefined
  readonly full: string
}

export interface AvroField {
  readonly name: string
  readonly type: AvroNode
  readonly doc: string | undefined
  /** Present when the field has a default, `{ value: null }` for a JSON null. */
  readonly defaultValue: { readonly value: unknown } | undefined
  readonly order: 'ascending' | 'descending' | 'ignore'
  readonly aliases: readonly string[]
  readonly props: AvroProps
}

interface NamedBase {
  readonly name: AvroName
  readonly doc: string | undefined
  readonly aliases: readonly AvroName[]
  readonly props: AvroProps
}

export type AvroNode =
  | { readonly kind: 'primitive'; readonly type: AvroPrimitive; readonly props: AvroProps }
  | (NamedBase & { readonly kind: 'record'; readonly isError: boolean; readonly fields: AvroField[] })
  | (NamedBase & { readonly kind: 'enum'; readonly symbols: readonly string[]; readonly enumDefault: string | undefined })
  | (NamedBase & { readonly kind: 'fixed'; readonly size: number })
  | { readonly kind: 'array'; readonly items: AvroNode; readonly props: AvroProps }
  | { readonly kind: 'map'; readonly values: AvroNode; readonly props: AvroProps }
  | { readonly kind: 'union'; readonly branches: readonly AvroNode[] }

export type AvroNamedNode = Extract<AvroNode, { readonly name: AvroName }>

/** The named types known while parsing, by full name. */
export type AvroNames = Map<string, AvroNamedNode>

export const PRIMITIVES: ReadonlySet<string> = new Set(['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string'])

const SCHEMA_RESERVED = new Set(['doc', 'fields', 'items', 'name', 'namespace', 'size', 'symbols', 'values', 'type', 'aliases'])
const ENUM_RESERVED = new Set([...SCHEMA_RESERVED, 'default'])
const FIELD_RESERVED = new Set(['default', 'doc', 'name', 'order', 'type', 'aliases'])

type JsonObject = Record<string, unknown>

function isObject(node: unknown): node is JsonObject {
  return node !== null && typeof node === 'object' && !Array.isArray(node)
}

export function avroName(name: string, space: string | undefined): AvroName {
  const lastDot = name.lastIndexOf('.')
  let own = name
  let ownSpace = space
  if (lastDot >= 0) {
    ownSpace = name.slice(0, lastDot)
    own = name.slice(lastDot + 1)
  }
  if (ownSpace === '') ownSpace = undefined
  return { name: own, space: ownSpace, full: ownSpace === undefined ? own : `${ownSpace}.${own}` }
}

/** A name as written inside `space`: the short name when the spaces agree, the full name otherwise. */
export function qualified(name: AvroName, space: string | undefined): string {
  return name.space === undefined || name.space === space ? name.name : name.full
}

function props(node: JsonObject, reserved: ReadonlySet<string>): AvroProps {
  const found: AvroProps = new Map()
  for (const [key, value] of Object.entries(node)) if (!reserved.has(key)) found.set(key, value)
  return found
}

function text(node: JsonObject, key: string): string | undefined {
  const value = node[key]
  return typeof value === 'string' ? value : undefined
}

function strings(node: JsonObject, key: string): string[] {
  const value = node[key]
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []
}

/** Java's lookup of a name used as a type: in the enclosing namespace first, then as written. */
function lookup(typeName: string, names: AvroNames, space: string | undefined): AvroNamedNode {
  const found = names.get(avroName(typeName, space).full) ?? names.get(typeName)
  if (found === undefined) throw new Error(`"${typeName}" is not a defined name`)
  return found
}

function define(node: AvroNamedNode, names: AvroNames): void {
  if (PRIMITIVES.has(node.name.full)) throw new Error(`${node.name.full} is a primitive type name and cannot be redefined`)
  if (names.has(node.name.full)) throw new Error(`Can't redefine: ${node.name.full}`)
  names.set(node.name.full, node)
}

/** The model of a parsed JSON schema; named types it defines are added to `names`. */
export function parseAvroNode(json: unknown, names: AvroNames, space: string | undefined): AvroNode {
  if (typeof json === 'string') {
    return PRIMITIVES.has(json) ? { kind: 'primitive', type: json as AvroPrimitive, props: new Map() } : lookup(json, names, space)
  }
  if (Array.isArray(json)) return { kind: 'union', branches: json.map((branch) => parseAvroNode(branch, names, space)) }
  if (!isObject(json)) throw new Error(`not a schema: ${JSON.stringify(json)}`)
  const type = json.type
  if (typeof type !== 'string') return parseAvroNode(type, names, space)
  if (PRIMITIVES.has(type)) return { kind: 'primitive', type: type as AvroPrimitive, props: props(json, SCHEMA_RESERVED) }
  if (type === 'array') return { kind: 'array', items: parseAvroNode(json.items, names, space), props: props(json, SCHEMA_RESERVED) }
  if (type === 'map') return { kind: 'map', values: parseAvroNode(json.values, names, space), props: props(json, SCHEMA_RESERVED) }
  if (type !== 'record' && type !== 'error' && type !== 'enum' && type !== 'fixed') return lookup(type, names, space)

  const namespace = text(json, 'namespace')
  const name = avroName(text(json, 'name') ?? '', namespace ?? space)
  const doc = text(json, 'doc')
  const aliases = strings(json, 'aliases').map((alias) => avroName(alias, name.space))
  if (type === 'enum') {
    const node: AvroNamedNode = {
      kind: 'enum',
      name,
      doc,
      aliases,
      symbols: strings(json, 'symbols'),
      enumDefault: text(json, 'default'),
      props: props(json, ENUM_RESERVED),
    }
    define(node, names)
    return node
  }
  if (type === 'fixed') {
    const node: AvroNamedNode = { kind: 'fixed', name, doc, aliases, size: Number(json.size), props: props(json, SCHEMA_RESERVED) }
    define(node, names)
    return node
  }
  const fields: AvroField[] = []
  const node: AvroNamedNode = { kind: 'record', isError: type === 'error', name, doc, aliases, fields, props: props(json, SCHEMA_RESERVED) }
  define(node, names)
  const fieldNodes = Array.isArray(json.fields) ? json.fields : []
  for (const field of fieldNodes) {
    if (!isObject(field)) throw new Error(`a field of ${name.full} is not an object`)
    const order = (text(field, 'order') ?? 'ascending').toLowerCase()
    fields.push({
      name: text(field, 'name') ?? '',
      type: parseAvroNode(field.type, names, name.space),
      doc: text(field, 'doc'),
      defaultValue: 'default' in field ? { value: field.default } : undefined,
      order: order === 'descending' || order === 'ignore' ? order : 'ascending',
      aliases: strings(field, 'aliases'),
      props: props(field, FIELD_RESERVED),
    })
  }
  return node
}
