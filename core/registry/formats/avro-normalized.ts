/**
 * Confluent's `AvroSchema.normalize()` for Avro (AvroSchemaUtils.toNormalizedString, adapted from
 * Avro's SchemaNormalization): every named type under its full name with no namespace key, a type
 * written in full once and by full name after (the referenced schemas' types by name from the start),
 * a valid logical type's attributes first (logicalType, then a decimal's precision, and its scale
 * unless 0), the other properties sorted by key, aliases sorted, an empty doc dropped, an error
 * written as a record. Confluent parses that text again and keeps its canonical string; so does the
 * caller of `avroNormalizedJson`.
 */
import type { AvroField, AvroNamedNode, AvroNode, AvroProps } from './avro-model.ts'

type JsonObject = Record<string, unknown>

export function avroNormalizedJson(node: AvroNode, referenced: readonly AvroNamedNode[]): unknown {
  return build(node, new Set(referenced.map((named) => named.name.full)))
}

const LOGICAL_TYPES_ON: Readonly<Record<string, readonly string[]>> = {
  uuid: ['string'],
  date: ['int'],
  'time-millis': ['int'],
  'time-micros': ['long'],
  'timestamp-millis': ['long'],
  'timestamp-micros': ['long'],
  'timestamp-nanos': ['long'],
  'local-timestamp-millis': ['long'],
  'local-timestamp-micros': ['long'],
  'local-timestamp-nanos': ['long'],
  'big-decimal': ['bytes'],
}

function isWholeNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value)
}

/** The attributes of a logical type Java Avro accepts on this type; none when it ignores it as invalid. */
function logicalProps(underlying: string, props: AvroProps, fixedSize?: number): JsonObject | undefined {
  const logicalType = props.get('logicalType')
  if (typeof logicalType !== 'string') return undefined
  if (logicalType === 'decimal') {
    if (underlying !== 'bytes' && underlying !== 'fixed') return undefined
    const precision = props.get('precision')
    const scale = props.has('scale') ? props.get('scale') : 0
    if (!isWholeNumber(precision) || precision <= 0 || !isWholeNumber(scale) || scale < 0 || scale > precision) return undefined
    if (fixedSize !== undefined && precision > Math.floor(Math.log10(2 ** (8 * fixedSize - 1) - 1))) return undefined
    return scale === 0 ? { logicalType, precision } : { logicalType, precision, scale }
  }
  return LOGICAL_TYPES_ON[logicalType]?.includes(underlying) === true ? { logicalType } : undefined
}

function withProps(target: JsonObject, logical: JsonObject | undefined, props: AvroProps): JsonObject {
  if (logical !== undefined) Object.assign(target, logical)
  for (const key of [...props.keys()].sort()) target[key] = props.get(key)
  return target
}

function build(node: AvroNode, seen: Set<string>): unknown {
  switch (node.kind) {
    case 'union':
      return node.branches.map((branch) => build(branch, seen))
    case 'array':
      return withProps({ type: 'array', items: build(node.items, seen) }, logicalProps('array', node.props), node.props)
    case 'map':
      return withProps({ type: 'map', values: build(node.values, seen) }, logicalProps('map', node.props), node.props)
    case 'primitive': {
      const logical = logicalProps(node.type, node.props)
      if (logical === undefined && node.props.size === 0) return node.type
      return withProps({ type: node.type }, logical, node.props)
    }
    default:
      return buildNamed(node, seen)
  }
}

function buildNamed(node: AvroNamedNode, seen: Set<string>): unknown {
  const full = node.name.full
  if (seen.has(full)) return full
  seen.add(full)
  const out: JsonObject = { name: full, type: node.kind }
  if (node.kind === 'enum') out.symbols = node.symbols
  else if (node.kind === 'fixed') out.size = node.size
  else out.fields = node.fields.map((field) => buildField(field, seen))
  const logical = logicalProps(node.kind, node.props, node.kind === 'fixed' ? node.size : undefined)
  if (logical !== undefined) Object.assign(out, logical)
  if (node.doc !== undefined && node.doc !== '') out.doc = node.doc
  if (node.aliases.length > 0) out.aliases = [...new Set(node.aliases.map((alias) => alias.full))].sort()
  if (node.kind === 'enum' && node.enumDefault !== undefined) out.default = node.enumDefault
  return withProps(out, undefined, node.props)
}

function buildField(field: AvroField, seen: Set<string>): JsonObject {
  const out: JsonObject = { name: field.name, type: build(field.type, seen), order: field.order }
  if (field.doc !== undefined) out.doc = field.doc
  if (field.aliases.length > 0) out.aliases = [...new Set(field.aliases)].sort()
  if (field.defaultValue !== undefined) out.default = field.defaultValue.value
  return withProps(out, undefined, field.props)
}
