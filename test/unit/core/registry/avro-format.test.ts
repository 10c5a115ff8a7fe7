import { describe, expect, it } from 'vitest'
import { avroFormat } from '../../../../core/registry/formats/avro.ts'
import { InvalidSchemaError, type ParsedSchema, type ResolvedReference } from '../../../../core/registry/schema-format.ts'

const parse = (schema: unknown, references: ResolvedReference[] = []): ParsedSchema =>
  avroFormat.parse(typeof schema === 'string' ? schema : JSON.stringify(schema), references)

const record = (fields: unknown[], extra: Record<string, unknown> = {}): ParsedSchema =>
  parse({ type: 'record', name: 'User', namespace: 'com.acme', fields, ...extra })

const reference = (name: string, schema: unknown, references: ResolvedReference[] = []): ResolvedReference => ({
  name,
  schemaType: 'AVRO',
  schema: JSON.stringify(schema),
  references,
})

/** The error types of the problems a reader of `reader` meets reading what `writer` wrote. */
const errorTypes = (reader: ParsedSchema, writer: ParsedSchema): string[] =>
  avroFormat.readProblems(reader, writer).map((problem) => /errorType:'(\w+)'/.exec(problem)?.[1] ?? problem)

describe('Avro canonical text', () => {
  it('is Java Avro toString: compact, keys in its order, bare primitives, namespace only where it changes', () => {
    const text = `{
      "fields": [
        {"default": 1, "type": {"type": "int"}, "name": "age", "doc": "years"},
        {"name": "tags", "type": {"items": {"logicalType": "uuid", "type": "string"}, "type": "array"}, "order": "descending"},
        {"name": "next", "type": ["null", "User"], "default": null},
        {"name": "address", "type": {"type": "record", "name": "Address", "namespace": "com.other", "fields": [
          {"name": "kind", "type": {"type": "enum", "name": "Kind", "symbols": ["HOME", "WORK"], "default": "HOME"}}]}},
        {"name": "kind2", "type": "com.other.Kind"},
        {"name": "hash", "type": {"type": "fixed", "size": 4, "name": "Hash", "doc": "h"}}
      ],
      "x-owner": "team", "doc": "a user", "name": "User", "namespace": "com.acme", "type": "record", "aliases": ["Person"]
    }`
    expect(parse(text).canonical).toBe(
      '{"type":"record","name":"User","namespace":"com.acme","doc":"a user","fields":[' +
        '{"name":"age","type":"int","doc":"years","default":1},' +
        '{"name":"tags","type":{"type":"array","items":{"type":"string","logicalType":"uuid"}},"order":"descending"},' +
        '{"name":"next","type":["null","User"],"default":null},' +
        '{"name":"address","type":{"type":"record","name":"Address","namespace":"com.other","fields":[' +
        '{"name":"kind","type":{"type":"enum","name":"Kind","symbols":["HOME","WORK"],"default":"HOME"}}]}},' +
        '{"name":"kind2","type":"com.other.Kind"},' +
        '{"name":"hash","type":{"type":"fixed","name":"Hash","doc":"h","size":4}}' +
        '],"x-owner":"team","aliases":["Person"]}',
    )
  })

  it('is the same for texts that differ only in layout', () => {
    const compact = parse('{"type":"record","name":"R","fields":[{"name":"a","type":"string"}]}')
    const spread = parse('{\n  "type" : "record",\n  "name" : "R",\n  "fields" : [ { "name" : "a", "type" : { "type" : "string" } } ]\n}')
    expect(spread.canonical).toBe(compact.canonical)
    expect(parse('{"type":"string"}').canonical).toBe('"string"')
    expect(parse(' [ "null" , "long" ] ').canonical).toBe('["null","long"]')
  })

  it('writes a name in the null namespace inside a namespaced record with an empty namespace', () => {
    const schema = parse({
      type: 'record',
      name: 'a.R',
      fields: [{ name: 'f', type: { type: 'fixed', name: 'F', namespace: '', size: 1 } }],
    })
    expect(schema.canonical).toBe(
      '{"type":"record","name":"R","namespace":"a","fields":[{"name":"f","type":{"type":"fixed","name":"F","namespace":"","size":1}}]}',
    )
  })

  it('writes the named types of references by name', () => {
    const address = reference('com.other.Address', {
      type: 'record',
      name: 'Address',
      namespace: 'com.other',
      fields: [{ name: 'street', type: 'string' }],
    })
    const schema = parse({ type: 'record', name: 'User', namespace: 'com.acme', fields: [{ name: 'home', type: 'com.other.Address' }] }, [
      address,
    ])
    expect(schema.canonical).toBe(
      '{"type":"record","name":"User","namespace":"com.acme","fields":[{"name":"home","type":"com.other.Address"}]}',
    )
  })
})

describe('Avro normalized text', () => {
  it('sorts properties and aliases, puts a logical type first and drops an empty doc (Confluent normalize, then canonical)', () => {
    const schema = parse({
      type: 'record',
      name: 'R',
      namespace: 'n',
      doc: '',
      aliases: ['Z', 'A'],
      fields: [
        { name: 'amount', type: { type: 'bytes', scale: 2, 'x-b': 1, precision: 9, 'x-a': 2, logicalType: 'decimal' }, order: 'ascending' },
      ],
      'x-z': 1,
      'x-a': 2,
    })
    expect(schema.normalized()).toBe(
      '{"type":"record","name":"R","namespace":"n","fields":[{"name":"amount","type":{"type":"bytes","logicalType":"decimal","precision":9,"scale":2,"x-a":2,"x-b":1}}],"x-a":2,"x-z":1,"aliases":["A","Z"]}',
    )
  })

  it('is the same for a short name and a fully qualified one', () => {
    const short = parse({
      type: 'record',
      name: 'R',
      namespace: 'n',
      fields: [{ name: 'e', type: { type: 'enum', name: 'E', symbols: ['A'] } }],
    })
    const full = parse({ type: 'record', name: 'n.R', fields: [{ name: 'e', type: { type: 'enum', name: 'n.E', symbols: ['A'] } }] })
    expect(full.normalized()).toBe(short.normalized())
    expect(full.canonical).toBe(short.canonical)
  })
})

describe('Avro parse errors', () => {
  it.each([
    ['not JSON', '{"type":', /not JSON/],
    ['an unknown type', '{"type":"record","name":"R","fields":[{"name":"a","type":"Nope"}]}', /Nope/],
    ['a default of the wrong type', '{"type":"record","name":"R","fields":[{"name":"a","type":"int","default":"x"}]}', /default/],
    [
      'a union default not of its first branch',
      '{"type":"record","name":"R","fields":[{"name":"a","type":["null","string"],"default":"x"}]}',
      /default/,
    ],
    ['a duplicate field', '{"type":"record","name":"R","fields":[{"name":"a","type":"int"},{"name":"a","type":"int"}]}', /duplicate field/],
    ['a bad name', '{"type":"record","name":"1R","fields":[]}', /invalid name/],
    ['an enum default not among its symbols', '{"type":"enum","name":"E","symbols":["A"],"default":"B"}', /default/],
    ['a name defined twice', '{"type":"record","name":"R","fields":[{"name":"a","type":{"type":"fixed","name":"R","size":1}}]}', /R/],
  ])('rejects %s with InvalidSchemaError', (_what, text, message) => {
    expect(() => parse(text)).toThrow(InvalidSchemaError)
    expect(() => parse(text)).toThrow(message)
  })

  it('rejects a name that only a missing reference defines', () => {
    expect(() => parse({ type: 'record', name: 'R', fields: [{ name: 'a', type: 'com.other.Address' }] })).toThrow(/com\.other\.Address/)
  })
})

describe('Avro references', () => {
  it('resolve recursively, their own references first', () => {
    const kind = reference('com.other.Kind', { type: 'enum', name: 'Kind', namespace: 'com.other', symbols: ['A'] })
    const address = reference(
      'com.other.Address',
      { type: 'record', name: 'Address', namespace: 'com.other', fields: [{ name: 'kind', type: 'Kind' }] },
      [kind],
    )
    const schema = parse(
      {
        type: 'record',
        name: 'User',
        fields: [
          { name: 'home', type: 'com.other.Address' },
          { name: 'kind', type: 'com.other.Kind' },
        ],
      },
      [address],
    )
    expect(schema.canonical).toBe(
      '{"type":"record","name":"User","fields":[{"name":"home","type":"com.other.Address"},{"name":"kind","type":"com.other.Kind"}]}',
    )
  })

  it('take part in resolution: a changed referenced type is a problem of the schema', () => {
    const v1 = reference('Inner', { type: 'record', name: 'Inner', fields: [{ name: 'x', type: 'int' }] })
    const v2 = reference('Inner', {
      type: 'record',
      name: 'Inner',
      fields: [
        { name: 'x', type: 'int' },
        { name: 'y', type: 'int' },
      ],
    })
    const outer = { type: 'record', name: 'Outer', fields: [{ name: 'inner', type: 'Inner' }] }
    expect(errorTypes(parse(outer, [v2]), parse(outer, [v1]))).toEqual(['READER_FIELD_MISSING_DEFAULT_VALUE'])
  })
})

describe('Avro read problems', () => {
  const base = record([{ name: 'f1', type: 'string' }])
  const withDefault = record([
    { name: 'f1', type: 'string' },
    { name: 'f2', type: 'string', default: 'x' },
  ])
  const withoutDefault = record([
    { name: 'f1', type: 'string' },
    { name: 'f2', type: 'string' },
  ])

  it('says what Confluent says for a field added without a default (backward)', () => {
    expect(avroFormat.readProblems(withoutDefault, base)).toEqual([
      "{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE', description:'The field 'f2' at path '/fields/1' in the new schema has no default value and is missing in the old schema', additionalInfo:'f2'}",
    ])
  })

  it('names the schemas by their roles (forward: the old schema reads)', () => {
    const oldInt = record([{ name: 'n', type: 'int' }])
    const newLong = record([{ name: 'n', type: 'long' }])
    expect(avroFormat.readProblems(oldInt, newLong, { reader: 'old', writer: 'new' })).toEqual([
      "{errorType:'TYPE_MISMATCH', description:'The type (path '/fields/0/type') of a field in the old schema does not match with the new schema', additionalInfo:'reader type: INT not compatible with writer type: LONG'}",
    ])
  })

  const int = record([{ name: 'n', type: 'int' }])
  const long = record([{ name: 'n', type: 'long' }])
  const enumOf = (symbols: string[], extra: Record<string, unknown> = {}): ParsedSchema =>
    record([{ name: 'e', type: { type: 'enum', name: 'E', symbols, ...extra } }])
  const unionOf = (...branches: unknown[]): ParsedSchema => record([{ name: 'u', type: branches }])
  const tree = (valueType: string): ParsedSchema =>
    parse({
      type: 'record',
      name: 'Node',
      fields: [
        { name: 'value', type: valueType },
        { name: 'children', type: { type: 'array', items: 'Node' } },
      ],
    })

  it.each<[string, ParsedSchema, ParsedSchema, string[]]>([
    ['a field added with a default: backward ok', withDefault, base, []],
    ['a field added with a default: forward ok', base, withDefault, []],
    ['a field added without a default: not backward', withoutDefault, base, ['READER_FIELD_MISSING_DEFAULT_VALUE']],
    ['a field added without a default: forward ok', base, withoutDefault, []],
    ['a field removed that had no default: forward not', withoutDefault, base, ['READER_FIELD_MISSING_DEFAULT_VALUE']],
    ['int to long: backward ok', long, int, []],
    ['long to int: not', int, long, ['TYPE_MISMATCH']],
    ['int, long, float to double', record([{ name: 'n', type: 'double' }]), record([{ name: 'n', type: 'float' }]), []],
    ['string read as bytes', record([{ name: 'n', type: 'bytes' }]), record([{ name: 'n', type: 'string' }]), []],
    ['an enum symbol added: backward ok', enumOf(['A', 'B', 'C']), enumOf(['A', 'B']), []],
    ['an enum symbol added: forward not', enumOf(['A', 'B']), enumOf(['A', 'B', 'C']), ['MISSING_ENUM_SYMBOLS']],
    [
      'an enum symbol added: forward ok when the reader enum has a default',
      enumOf(['A', 'B'], { default: 'A' }),
      enumOf(['A', 'B', 'C']),
      [],
    ],
    ['a union widened: backward ok', unionOf('null', 'string', 'int'), unionOf('null', 'string'), []],
    ['a union narrowed: backward not', unionOf('null', 'string'), unionOf('null', 'string', 'int'), ['MISSING_UNION_BRANCH']],
    ['a plain type read by a union holding it', unionOf('null', 'string'), record([{ name: 'u', type: 'string' }]), []],
    [
      'a union read by a plain type that takes only one branch',
      record([{ name: 'u', type: 'string' }]),
      unionOf('null', 'string'),
      ['TYPE_MISMATCH'],
    ],
    [
      'a record renamed',
      parse({ type: 'record', name: 'Other', namespace: 'com.acme', fields: [{ name: 'f1', type: 'string' }] }),
      base,
      ['NAME_MISMATCH'],
    ],
    [
      'a record renamed with the old name as an alias',
      parse({ type: 'record', name: 'Other', namespace: 'com.acme', aliases: ['User'], fields: [{ name: 'f1', type: 'string' }] }),
      base,
      [],
    ],
    ['a field renamed with the old name as an alias', record([{ name: 'g1', type: 'string', aliases: ['f1'] }]), base, []],
    [
      'a fixed size changed',
      parse({ type: 'fixed', name: 'F', size: 8 }),
      parse({ type: 'fixed', name: 'F', size: 4 }),
      ['FIXED_SIZE_MISMATCH'],
    ],
    ['array items promoted', parse({ type: 'array', items: 'long' }), parse({ type: 'array', items: 'int' }), []],
    ['map values narrowed', parse({ type: 'map', values: 'int' }), parse({ type: 'map', values: 'long' }), ['TYPE_MISMATCH']],
    ['a recursive type with its value promoted', tree('long'), tree('int'), []],
    ['a recursive type with its value narrowed', tree('int'), tree('long'), ['TYPE_MISMATCH']],
  ])('%s', (_what, reader, writer, expected) => {
    expect(errorTypes(reader, writer)).toEqual(expected)
  })

  it('gives the paths Java Avro gives', () => {
    expect(avroFormat.readProblems(unionOf('null', 'string'), unionOf('null', 'string', 'int'))).toEqual([
      "{errorType:'MISSING_UNION_BRANCH', description:'The new schema is missing a type inside a union field at path '/fields/0/type/2' in the old schema', additionalInfo:'reader union lacking writer type: INT'}",
    ])
    expect(avroFormat.readProblems(enumOf(['A']), enumOf(['A', 'C', 'B']))).toEqual([
      "{errorType:'MISSING_ENUM_SYMBOLS', description:'The new schema is missing enum symbols '[B, C]' at path '/fields/0/type/symbols' in the old schema', additionalInfo:'[B, C]'}",
    ])
    expect(avroFormat.readProblems(parse({ type: 'fixed', name: 'G', size: 8 }), parse({ type: 'fixed', name: 'F', size: 4 }))).toEqual([
      "{errorType:'NAME_MISMATCH', description:'The name of the schema has changed (path '/name')', additionalInfo:'expected: F'}",
      "{errorType:'FIXED_SIZE_MISMATCH', description:'The size of FIXED type field at path '/size' in the new schema does not match with the old schema', additionalInfo:'expected: 4, found: 8'}",
    ])
  })
})
