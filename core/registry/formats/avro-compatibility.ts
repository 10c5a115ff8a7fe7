/**
 * Avro's schema resolution rules as Java Avro's SchemaCompatibility checks them, with its paths (JSON
 * pointers into the reader schema: /fields/1/type/0) and Confluent's sentences for them (its
 * avro.Difference). Same walk, same order, same memo of reader/writer pairs: a pair met again while it
 * is being checked (a recursive type) counts as compatible, and a pair met again later answers as it
 * did the first time.
 */
import type { ReadRoles } from '../schema-format.ts'
import type { AvroField, AvroNode } from './avro-model.ts'

type ErrorType =
  | 'NAME_MISMATCH'
  | 'FIXED_SIZE_MISMATCH'
  | 'MISSING_ENUM_SYMBOLS'
  | 'READER_FIELD_MISSING_DEFAULT_VALUE'
  | 'TYPE_MISMATCH'
  | 'MISSING_UNION_BRANCH'

interface Incompatibility {
  readonly type: ErrorType
  /** Java's message: the missing field's name, the missing symbols, what was expected. */
  readonly message: string
  readonly location: readonly string[]
}

const IN_PROGRESS = Symbol('in progress')
type Memo = Map<AvroNode, Map<AvroNode, readonly Incompatibility[] | typeof IN_PROGRESS>>

/** Why `reader` cannot read what `writer` wrote, each as Confluent words it. */
export function avroReadProblems(reader: AvroNode, writer: AvroNode, roles: ReadRoles): string[] {
  const checker = new Checker()
  return checker.compatibility('', reader, writer, []).map((found) => describe(found, roles))
}

/** Java's Schema.Type names, as its messages print them. */
function typeName(node: AvroNode): string {
  return (node.kind === 'primitive' ? node.type : node.kind).toUpperCase()
}

const PROMOTIONS: Readonly<Record<string, readonly string[]>> = {
  long: ['int'],
  float: ['int', 'long'],
  double: ['int', 'long', 'float'],
  bytes: ['string'],
  string: ['bytes'],
}

class Checker {
  private readonly memo: Memo = new Map()

  compatibility(reference: string, reader: AvroNode, writer: AvroNode, location: string[]): readonly Incompatibility[] {
    location.push(reference)
    let byWriter = this.memo.get(reader)
    if (byWriter === undefined) {
      byWriter = new Map()
      this.memo.set(reader, byWriter)
    }
    const known = byWriter.get(writer)
    let result: readonly Incompatibility[]
    if (known === IN_PROGRESS) result = []
    else if (known !== undefined) result = known
    else {
      byWriter.set(writer, IN_PROGRESS)
      result = this.calculate(reader, writer, location)
      byWriter.set(writer, result)
    }
    location.pop()
    return result
  }

  private fresh(reader: AvroNode, writer: AvroNode): readonly Incompatibility[] {
    return this.compatibility('', reader, writer, [])
  }

  private calculate(reader: AvroNode, writer: AvroNode, location: string[]): readonly Incompatibility[] {
    const sameType = typeName(reader) === typeName(writer)
    if (sameType) {
      switch (reader.kind) {
        case 'primitive':
          return []
        case 'array':
          return this.compatibility('items', reader.items, (writer as typeof reader).items, location)
        case 'map':
          return this.compatibility('values', reader.values, (writer as typeof reader).values, location)
        case 'fixed': {
          const other = writer as typeof reader
          return [
            ...names(reader, other, location),
            ...within(location, 'size', () =>
              reader.size === other.size ? [] : [found('FIXED_SIZE_MISMATCH', `expected: ${other.size}, found: ${reader.size}`, location)],
            ),
          ]
        }
        case 'enum': {
          const other = writer as typeof reader
          return [...names(reader, other, location), ...within(location, 'symbols', () => enumSymbols(reader, other, location))]
        }
        case 'record':
          return [...names(reader, writer as typeof reader, location), ...this.fields(reader, writer as typeof reader, location)]
        case 'union': {
          const problems: Incompatibility[] = []
          ;(writer as typeof reader).branches.forEach((branch, index) => {
            location.push(String(index))
            if (this.fresh(reader, branch).length > 0) {
              problems.push(found('MISSING_UNION_BRANCH', `reader union lacking writer type: ${typeName(branch)}`, location))
            }
            location.pop()
          })
          return problems
        }
      }
    }
    if (writer.kind === 'union') {
      return writer.branches.flatMap((branch, index) => this.compatibility(String(index), reader, branch, location))
    }
    if (reader.kind === 'union') {
      if (reader.branches.some((branch) => this.fresh(branch, writer).length === 0)) return []
      return [found('MISSING_UNION_BRANCH', `reader union lacking writer type: ${typeName(writer)}`, location)]
    }
    if (reader.kind === 'primitive' && writer.kind === 'primitive' && PROMOTIONS[reader.type]?.includes(writer.type) === true) return []
    return [found('TYPE_MISMATCH', `reader type: ${typeName(reader)} not compatible with writer type: ${typeName(writer)}`, location)]
  }

  private fields(
    reader: Extract<AvroNode, { kind: 'record' }>,
    writer: Extract<AvroNode, { kind: 'record' }>,
    location: string[],
  ): Incompatibility[] {
    const problems: Incompatibility[] = []
    location.push('fields')
    reader.fields.forEach((field, position) => {
      location.push(String(position))
      const written = writerField(writer.fields, field)
      if (written !== undefined) problems.push(...this.compatibility('type', field.type, written.type, location))
      else if (field.defaultValue === undefined) {
        if (field.type.kind === 'enum' && field.type.enumDefault !== undefined) {
          problems.push(...this.compatibility('type', field.type, writer, location))
        } else {
          problems.push(found('READER_FIELD_MISSING_DEFAULT_VALUE', field.name, location))
        }
      }
      location.pop()
    })
    location.pop()
    return problems
  }
}

function found(type: ErrorType, message: string, location: readonly string[]): Incompatibility {
  return { type, message, location: [...location] }
}

function within(location: string[], token: string, check: () => Incompatibility[]): Incompatibility[] {
  location.push(token)
  const problems = check()
  location.pop()
  return problems
}

/** Java compares the short names, or a reader alias against the writer's full name. */
function names(
  reader: Extract<AvroNode, { kind: 'record' | 'enum' | 'fixed' }>,
  writer: typeof reader,
  location: string[],
): Incompatibility[] {
  return within(location, 'name', () => {
    if (reader.name.name === writer.name.name || reader.aliases.some((alias) => alias.full === writer.name.full)) return []
    return [found('NAME_MISMATCH', `expected: ${writer.name.full}`, location)]
  })
}

function enumSymbols(reader: Extract<AvroNode, { kind: 'enum' }>, writer: typeof reader, location: string[]): Incompatibility[] {
  const missing = [...new Set(writer.symbols)].filter((symbol) => !reader.symbols.includes(symbol)).sort()
  if (missing.length === 0) return []
  if (reader.enumDefault !== undefined && reader.symbols.includes(reader.enumDefault)) return []
  return [found('MISSING_ENUM_SYMBOLS', `[${missing.join(', ')}]`, location)]
}

/** The writer's field a reader field reads: by its name, else by one of its aliases. */
function writerField(fields: readonly AvroField[], readerField: AvroField): AvroField | undefined {
  const byName = fields.find((field) => field.name === readerField.name)
  if (byName !== undefined) return byName
  for (const alias of readerField.aliases) {
    const byAlias = fields.find((field) => field.name === alias)
    if (byAlias !== undefined) return byAlias
  }
  return undefined
}

/** Java's JSON pointer of a location: its first (root) token left out, `~` and `/` escaped. */
function pointer(location: readonly string[]): string {
  return `/${location
    .slice(1)
    .map((token) => token.replace(/~/g, '~0').replace(/\//g, '~1'))
    .join('/')}`
}

/** Confluent's avro.Difference, with its two schemas named by `roles`. */
function describe(problem: Incompatibility, roles: ReadRoles): string {
  const path = pointer(problem.location)
  const { reader, writer } = roles
  let description: string
  switch (problem.type) {
    case 'FIXED_SIZE_MISMATCH':
      description = `The size of FIXED type field at path '${path}' in the ${reader} schema does not match with the ${writer} schema`
      break
    case 'TYPE_MISMATCH':
      description = `The type (path '${path}') of a field in the ${reader} schema does not match with the ${writer} schema`
      break
    case 'NAME_MISMATCH':
      description = `The name of the schema has changed (path '${path}')`
      break
    case 'MISSING_ENUM_SYMBOLS':
      description = `The ${reader} schema is missing enum symbols '${problem.message}' at path '${path}' in the ${writer} schema`
      break
    case 'MISSING_UNION_BRANCH':
      description = `The ${reader} schema is missing a type inside a union field at path '${path}' in the ${writer} schema`
      break
    case 'READER_FIELD_MISSING_DEFAULT_VALUE':
      description = `The field '${problem.message}' at path '${path}' in the ${reader} schema has no default value and is missing in the ${writer} schema`
      break
  }
  return `{errorType:'${problem.type}', description:'${description}', additionalInfo:'${problem.message}'}`
}
