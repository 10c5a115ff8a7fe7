/**
 * A JSON Schema seen as the Java library Confluent compares with (everit) sees it: one kind per node
 * (string, number, object, array, enum, const, combined, not, boolean, null, true, false), a node
 * with several kinds' keywords an allOf of them, a `type` array an anyOf of one node per type, and a
 * `$ref` the node it points at (in the same document, or in a reference by its name and a `#/`
 * pointer). Nodes are made when first asked for and kept per JSON object, so recursive schemas work.
 */

type JsonObject = Record<string, unknown>

interface Common {
  readonly title: unknown
  readonly description: unknown
  readonly id: unknown
  readonly defaultValue: unknown
  readonly hasDefault: boolean
}

export type JsonSchemaNode = Common &
  (
    | { readonly kind: 'true' | 'false' | 'boolean' | 'null' }
    | { readonly kind: 'string'; readonly maxLength?: number; readonly minLength?: number; readonly pattern?: string }
    | {
        readonly kind: 'number'
        readonly requiresInteger: boolean
        readonly maximum?: number
        readonly minimum?: number
        readonly exclusiveMaximum?: number
        readonly exclusiveMinimum?: number
        readonly multipleOf?: number
      }
    | { readonly kind: 'object'; readonly raw: JsonObject }
    | { readonly kind: 'array'; readonly raw: JsonObject }
    | { readonly kind: 'enum'; readonly values: readonly unknown[] }
    | { readonly kind: 'const'; readonly value: unknown }
    | {
        readonly kind: 'combined'
        readonly criterion: 'allOf' | 'anyOf' | 'oneOf'
        readonly subschemas: readonly unknown[]
        readonly raw: JsonObject
      }
    | { readonly kind: 'not'; readonly mustNotMatch: unknown; readonly raw: JsonObject }
  )

const OBJECT_KEYWORDS = [
  'properties',
  'required',
  'additionalProperties',
  'patternProperties',
  'dependencies',
  'dependentRequired',
  'dependentSchemas',
  'maxProperties',
  'minProperties',
  'propertyNames',
  'unevaluatedProperties',
]
const ARRAY_KEYWORDS = ['items', 'prefixItems', 'additionalItems', 'maxItems', 'minItems', 'uniqueItems', 'contains', 'unevaluatedItems']
const STRING_KEYWORDS = ['maxLength', 'minLength', 'pattern', 'format']
const NUMBER_KEYWORDS = ['maximum', 'minimum', 'exclusiveMaximum', 'exclusiveMinimum', 'multipleOf']

function isObject(node: unknown): node is JsonObject {
  return node !== null && typeof node === 'object' && !Array.isArray(node)
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined
}

/** Loads the nodes of one schema and its references; one loader per parsed schema. */
export class JsonSchemaLoader {
  private readonly nodes = new Map<object, JsonSchemaNode>()
  /** The document each JSON object came from, for `#/` pointers. */
  private readonly documents = new WeakMap<object, unknown>()

  private readonly references: ReadonlyMap<string, unknown>

  constructor(root: unknown, references: ReadonlyMap<string, unknown>) {
    this.references = references
    this.adopt(root, root)
    for (const document of references.values()) this.adopt(document, document)
  }

  /** Marks `child` (and so what it holds) as part of the document `of` belongs to. */
  adopt(child: unknown, of: unknown): void {
    if (child !== null && typeof child === 'object' && !this.documents.has(child)) {
      this.documents.set(child, child === of ? of : (this.documents.get(of as object) ?? of))
    }
  }

  /** The node a schema (an object or a boolean) stands for; `undefined` for none. */
  load(raw: unknown, within?: unknown): JsonSchemaNode | undefined {
    if (raw === undefined) return undefined
    const node = preloaded(raw)
    if (node !== undefined) return node
    if (within !== undefined) this.adopt(raw, within)
    const common = commonOf(raw)
    if (raw === true) return { ...common, kind: 'true' }
    if (raw === false) return { ...common, kind: 'false' }
    if (!isObject(raw)) return undefined
    const known = this.nodes.get(raw)
    if (known !== undefined) return known
    if (typeof raw.$ref === 'string') {
      const target = this.resolve(raw.$ref, raw)
      const referred = (target === undefined ? undefined : this.load(target)) ?? { ...common, kind: 'true' as const }
      this.nodes.set(raw, referred)
      return referred
    }
    const classified = classify(raw, common)
    this.nodes.set(raw, classified)
    return classified
  }

  private resolve(ref: string, from: JsonObject): unknown {
    const hash = ref.indexOf('#')
    const base = hash < 0 ? ref : ref.slice(0, hash)
    const fragment = hash < 0 ? '' : ref.slice(hash + 1)
    const document = base === '' ? (this.documents.get(from) ?? from) : (this.references.get(base) ?? this.references.get(ref))
    if (document === undefined) return undefined
    if (this.references.get(ref) === document) return document
    let node: unknown = document
    for (const token of fragment.split('/').slice(1)) {
      const key = decodeURIComponent(token).replace(/~1/g, '/').replace(/~0/g, '~')
      const next: unknown = Array.isArray(node) ? node[Number(key)] : isObject(node) ? node[key] : undefined
      this.adopt(next, node)
      node = next
    }
    return node
  }
}

function commonOf(raw: unknown): Common {
  if (!isObject(raw)) return { title: undefined, description: undefined, id: undefined, defaultValue: undefined, hasDefault: false }
  return { title: raw.title, description: raw.description, id: raw.$id ?? raw.id, defaultValue: raw.default, hasDefault: 'default' in raw }
}

function typed(type: string, raw: JsonObject, common: Common): JsonSchemaNode {
  switch (type) {
    case 'string':
      return {
        ...common,
        kind: 'string',
        maxLength: num(raw.maxLength),
        minLength: num(raw.minLength),
        pattern: typeof raw.pattern === 'string' ? raw.pattern : undefined,
      }
    case 'number':
    case 'integer': {
      // Draft 4's boolean exclusiveMaximum/exclusiveMinimum make maximum/minimum exclusive.
      const exclusiveMaximum = raw.exclusiveMaximum === true ? num(raw.maximum) : num(raw.exclusiveMaximum)
      const exclusiveMinimum = raw.exclusiveMinimum === true ? num(raw.minimum) : num(raw.exclusiveMinimum)
      return {
        ...common,
        kind: 'number',
        requiresInteger: type === 'integer',
        exclusiveMaximum,
        exclusiveMinimum,
        multipleOf: num(raw.multipleOf),
        maximum: raw.exclusiveMaximum === true ? undefined : num(raw.maximum),
        minimum: raw.exclusiveMinimum === true ? undefined : num(raw.minimum),
      }
    }
    case 'object':
    case 'array':
      return { ...common, kind: type, raw }
    case 'boolean':
    case 'null':
      return { ...common, kind: type }
    default:
      return { ...common, kind: 'true' }
  }
}

/** everit's loader: the kinds a node's keywords call for, one node, or an allOf of them. */
function classify(raw: JsonObject, common: Common): JsonSchemaNode {
  const parts: JsonSchemaNode[] = []
  if (Array.isArray(raw.enum)) parts.push({ ...common, kind: 'enum', values: raw.enum })
  if ('const' in raw) parts.push({ ...common, kind: 'const', value: raw.const })
  for (const criterion of ['allOf', 'anyOf', 'oneOf'] as const) {
    const subschemas = raw[criterion]
    if (Array.isArray(subschemas)) parts.push({ ...common, kind: 'combined', criterion, subschemas, raw })
  }
  if ('not' in raw) parts.push({ ...common, kind: 'not', mustNotMatch: raw.not, raw })
  if (typeof raw.type === 'string') parts.push(typed(raw.type, raw, common))
  else if (Array.isArray(raw.type)) {
    const each = raw.type.filter((type): type is string => typeof type === 'string').map((type) => typed(type, raw, common))
    parts.push(
      each.length === 1
        ? (each[0] as JsonSchemaNode)
        : { ...common, kind: 'combined', criterion: 'anyOf', subschemas: each.map(asSubschema), raw },
    )
  } else {
    const has = (keywords: string[]): boolean => keywords.some((keyword) => keyword in raw)
    if (has(OBJECT_KEYWORDS)) parts.push(typed('object', raw, common))
    if (has(ARRAY_KEYWORDS)) parts.push(typed('array', raw, common))
    if (has(STRING_KEYWORDS)) parts.push(typed('string', raw, common))
    if (has(NUMBER_KEYWORDS)) parts.push(typed('number', raw, common))
  }
  if (parts.length === 0) return { ...common, kind: 'true' }
  if (parts.length === 1) return parts[0] as JsonSchemaNode
  return { ...common, kind: 'combined', criterion: 'allOf', subschemas: parts.map(asSubschema), raw }
}

function asSubschema(node: JsonSchemaNode): { [NODE]: JsonSchemaNode } {
  return { [NODE]: node }
}

/** A subschema that is already a node (the parts of an allOf made from one object's keywords). */
export const NODE = Symbol('node')

export function preloaded(raw: unknown): JsonSchemaNode | undefined {
  return isObject(raw) && NODE in raw ? (raw as { [NODE]: JsonSchemaNode })[NODE] : undefined
}
