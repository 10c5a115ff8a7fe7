/**
 * The Avro text the registry stores: Confluent's canonical string, which is Java Avro's
 * `Schema.toString(referencedSchemas, false)`. Compact JSON; a primitive without properties as a bare
 * name; keys in Java's order (record: type, name, namespace, doc, fields, properties, aliases; field:
 * name, type, doc, default, order unless ascending, aliases, properties; enum: type, name, namespace,
 * doc, symbols, default, properties, aliases; fixed: type, name, namespace, doc, size, properties,
 * aliases); a namespace written only where it differs from the enclosing one; a named type written in
 * full once and by name after, and the referenced schemas' types by name from the start.
 */
import { qualified, type AvroField, type AvroNamedNode, type AvroNode, type AvroProps } from './avro-model.ts'

interface Writing {
  readonly names: Map<string, AvroNamedNode>
  space: string | undefined
}

export function avroCanonical(node: AvroNode, referenced: readonly AvroNamedNode[]): string {
  const writing: Writing = { names: new Map(referenced.map((named) => [named.name.full, named])), space: undefined }
  return write(node, writing)
}

function json(value: unknown): string {
  return JSON.stringify(value) ?? 'null'
}

function writeProps(props: AvroProps): string {
  let text = ''
  for (const [key, value] of props) text += `,${json(key)}:${json(value)}`
  return text
}

/** Java's writeNameRef: a type already written (or referenced) is its name; else it is now known. */
function nameRef(node: AvroNamedNode, writing: Writing): string | undefined {
  if (writing.names.get(node.name.full) === node) return json(qualified(node.name, writing.space))
  writing.names.set(node.name.full, node)
  return undefined
}

function writeName(node: AvroNamedNode, writing: Writing): string {
  let text = `,"name":${json(node.name.name)}`
  if (node.name.space !== undefined) {
    if (node.name.space !== writing.space) text += `,"namespace":${json(node.name.space)}`
  } else if (writing.space !== undefined) {
    text += ',"namespace":""'
  }
  return text
}

function writeAliases(node: AvroNamedNode): string {
  if (node.aliases.length === 0) return ''
  return `,"aliases":[${[...new Set(node.aliases.map((alias) => qualified(alias, node.name.space)))].map(json).join(',')}]`
}

function writeDoc(doc: string | undefined): string {
  return doc === undefined ? '' : `,"doc":${json(doc)}`
}

function write(node: AvroNode, writing: Writing): string {
  switch (node.kind) {
    case 'primitive':
      return node.props.size === 0 ? json(node.type) : `{"type":${json(node.type)}${writeProps(node.props)}}`
    case 'array':
      return `{"type":"array","items":${write(node.items, writing)}${writeProps(node.props)}}`
    case 'map':
      return `{"type":"map","values":${write(node.values, writing)}${writeProps(node.props)}}`
    case 'union':
      return `[${node.branches.map((branch) => write(branch, writing)).join(',')}]`
    case 'enum': {
      const ref = nameRef(node, writing)
      if (ref !== undefined) return ref
      const enumDefault = node.enumDefault === undefined ? '' : `,"default":${json(node.enumDefault)}`
      return `{"type":"enum"${writeName(node, writing)}${writeDoc(node.doc)},"symbols":${json(node.symbols)}${enumDefault}${writeProps(node.props)}${writeAliases(node)}}`
    }
    case 'fixed': {
      const ref = nameRef(node, writing)
      if (ref !== undefined) return ref
      return `{"type":"fixed"${writeName(node, writing)}${writeDoc(node.doc)},"size":${node.size}${writeProps(node.props)}${writeAliases(node)}}`
    }
    case 'record': {
      const ref = nameRef(node, writing)
      if (ref !== undefined) return ref
      const saved = writing.space
      let text = `{"type":"${node.isError ? 'error' : 'record'}"${writeName(node, writing)}`
      writing.space = node.name.space
      text += `${writeDoc(node.doc)},"fields":[${node.fields.map((field) => writeField(field, writing)).join(',')}]`
      text += `${writeProps(node.props)}${writeAliases(node)}}`
      writing.space = saved
      return text
    }
  }
}

function writeField(field: AvroField, writing: Writing): string {
  let text = `{"name":${json(field.name)},"type":${write(field.type, writing)}${writeDoc(field.doc)}`
  if (field.defaultValue !== undefined) text += `,"default":${json(field.defaultValue.value)}`
  if (field.order !== 'ascending') text += `,"order":"${field.order}"`
  if (field.aliases.length > 0) text += `,"aliases":${json(field.aliases)}`
  return `${text}${writeProps(field.props)}}`
}
