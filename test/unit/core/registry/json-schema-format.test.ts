import { describe, expect, it } from 'vitest'
import { jsonSchemaFormat } from '../../../../core/registry/formats/json-schema.ts'
import { InvalidSchemaError, type ParsedSchema, type ResolvedReference } from '../../../../core/registry/schema-format.ts'

const parse = (schema: unknown, references: ResolvedReference[] = []): ParsedSchema =>
  jsonSchemaFormat.parse(typeof schema === 'string' ? schema : JSON.stringify(schema), references)

const object = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}): ParsedSchema =>
  parse({ type: 'object', properties, ...extra })

const errorTypes = (reader: ParsedSchema, writer: ParsedSchema): string[] =>
  jsonSchemaFormat.readProblems(reader, writer).map((problem) => /errorType:"(\w+)"/.exec(problem)?.[1] ?? problem)

describe('JSON Schema texts', () => {
  it('canonical is the JSON as written, without layout; normalized sorts keys at every level', () => {
    const schema = parse(
      '{ "type" : "object",\n  "properties" : { "b" : { "type" : "string" }, "a" : { "maxLength" : 3, "type" : "string" } } }',
    )
    expect(schema.canonical).toBe('{"type":"object","properties":{"b":{"type":"string"},"a":{"maxLength":3,"type":"string"}}}')
    expect(schema.normalized()).toBe('{"properties":{"a":{"maxLength":3,"type":"string"},"b":{"type":"string"}},"type":"object"}')
  })

  it('canonical is the same for layout variants, normalized also for key order', () => {
    const one = parse('{"type":"string","maxLength":3}')
    const two = parse('{\n  "type": "string",\n  "maxLength": 3\n}')
    const three = parse('{"maxLength":3,"type":"string"}')
    expect(two.canonical).toBe(one.canonical)
    expect(three.canonical).not.toBe(one.canonical)
    expect(three.normalized()).toBe(one.normalized())
  })

  it('takes booleans, unknown keywords and the 2019-09 and 2020-12 drafts', () => {
    expect(parse('true').canonical).toBe('true')
    expect(parse({ type: 'string', 'x-connect-type': 'int8' }).canonical).toBe('{"type":"string","x-connect-type":"int8"}')
    expect(() =>
      parse({ $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'array', prefixItems: [{ type: 'string' }], items: false }),
    ).not.toThrow()
    expect(() =>
      parse({ $schema: 'https://json-schema.org/draft/2019-09/schema', type: 'object', dependentRequired: { a: ['b'] } }),
    ).not.toThrow()
  })
})

describe('JSON Schema parse errors', () => {
  it.each([
    ['not JSON', '{"type":', /not JSON/],
    ['an array', '[{"type":"string"}]', /object or a boolean/],
    ['an unknown type', '{"type":"strin"}', /type/],
    ['a keyword of the wrong kind', '{"type":"string","minLength":"x"}', /minLength/],
    ['an unresolved $ref', '{"$ref":"other.json"}', /other\.json/],
  ])('rejects %s with InvalidSchemaError', (_what, text, message) => {
    expect(() => parse(text)).toThrow(InvalidSchemaError)
    expect(() => parse(text)).toThrow(message)
  })
})

describe('JSON Schema references', () => {
  const address = (type: string): ResolvedReference => ({
    name: 'address.json',
    schemaType: 'JSON',
    references: [],
    schema: JSON.stringify({ type: 'object', properties: { street: { type } }, definitions: { zip: { type: 'string' } } }),
  })

  it('resolve by name, and by name and pointer', () => {
    expect(() =>
      parse({ type: 'object', properties: { home: { $ref: 'address.json' }, zip: { $ref: 'address.json#/definitions/zip' } } }, [
        address('string'),
      ]),
    ).not.toThrow()
  })

  it('take part in compatibility', () => {
    const schema = { type: 'object', properties: { home: { $ref: 'address.json' } } }
    expect(jsonSchemaFormat.readProblems(parse(schema, [address('integer')]), parse(schema, [address('string')]))).toEqual([
      `{errorType:"TYPE_CHANGED", description:"A type at path '#/properties/home/properties/street' is different between the new schema and the old schema'}`,
    ])
  })
})

describe('JSON Schema read problems', () => {
  const open = object({ a: { type: 'string' } })
  const closed = object({ a: { type: 'string' } }, { additionalProperties: false })

  it.each<[string, ParsedSchema, ParsedSchema, string[]]>([
    ['no change', open, open, []],
    // Confluent's default (strict) policy: the old writer may have put anything under "b".
    [
      'an optional property added to an open model: not backward (Confluent strict)',
      object({ a: { type: 'string' }, b: { type: 'string' } }),
      open,
      ['OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL'],
    ],
    [
      'an optional property added to a closed model: backward ok',
      object({ a: { type: 'string' }, b: { type: 'string' } }, { additionalProperties: false }),
      closed,
      [],
    ],
    [
      'a required property added to a closed model: not backward',
      object({ a: { type: 'string' }, b: { type: 'string' } }, { additionalProperties: false, required: ['b'] }),
      closed,
      ['REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL'],
    ],
    [
      'a required property with a default added to a closed model: backward ok',
      object({ a: { type: 'string' }, b: { type: 'string', default: '' } }, { additionalProperties: false, required: ['b'] }),
      closed,
      [],
    ],
    ['a property removed from an open model: backward ok', object({}), open, []],
    [
      'a property removed from a closed model: not backward',
      object({}, { additionalProperties: false }),
      closed,
      ['PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL'],
    ],
    [
      'an existing property made required: not backward',
      object({ a: { type: 'string' } }, { required: ['a'] }),
      open,
      ['REQUIRED_ATTRIBUTE_ADDED'],
    ],
    ['additionalProperties false added: not backward', closed, open, ['ADDITIONAL_PROPERTIES_REMOVED']],
    ['additionalProperties false removed: backward ok', open, closed, []],
    ['a type changed', object({ a: { type: 'boolean' } }), open, ['TYPE_CHANGED']],
    ['integer to number: backward ok (widened)', object({ a: { type: 'number' } }), object({ a: { type: 'integer' } }), []],
    [
      'number to integer: not backward (narrowed)',
      object({ a: { type: 'integer' } }),
      object({ a: { type: 'number' } }),
      ['TYPE_NARROWED'],
    ],
    [
      'maxLength tightened: not backward',
      object({ a: { type: 'string', maxLength: 5 } }),
      object({ a: { type: 'string', maxLength: 10 } }),
      ['MAX_LENGTH_DECREASED'],
    ],
    [
      'maxLength loosened: backward ok',
      object({ a: { type: 'string', maxLength: 10 } }),
      object({ a: { type: 'string', maxLength: 5 } }),
      [],
    ],
    ['minLength added: not backward', object({ a: { type: 'string', minLength: 1 } }), open, ['MIN_LENGTH_ADDED']],
    ['maximum lowered: not backward', parse({ type: 'number', maximum: 5 }), parse({ type: 'number', maximum: 10 }), ['MAXIMUM_DECREASED']],
    ['minimum raised: not backward', parse({ type: 'number', minimum: 5 }), parse({ type: 'number', minimum: 1 }), ['MINIMUM_INCREASED']],
    ['an enum narrowed: not backward', parse({ enum: ['x'] }), parse({ enum: ['x', 'y'] }), ['ENUM_ARRAY_NARROWED']],
    ['an enum extended: backward ok', parse({ enum: ['x', 'y'] }), parse({ enum: ['x'] }), []],
    [
      'array items changed',
      parse({ type: 'array', items: { type: 'integer' } }),
      parse({ type: 'array', items: { type: 'string' } }),
      ['TYPE_CHANGED'],
    ],
    ['array items widened', parse({ type: 'array', items: { type: 'number' } }), parse({ type: 'array', items: { type: 'integer' } }), []],
    [
      'a oneOf narrowed: not backward',
      parse({ oneOf: [{ type: 'string' }] }),
      parse({ oneOf: [{ type: 'string' }, { type: 'integer' }] }),
      ['SUM_TYPE_NARROWED'],
    ],
    [
      'a oneOf extended: backward ok',
      parse({ oneOf: [{ type: 'string' }, { type: 'integer' }] }),
      parse({ oneOf: [{ type: 'string' }] }),
      [],
    ],
    ['a type made a union with it: backward ok', parse({ anyOf: [{ type: 'string' }, { type: 'null' }] }), parse({ type: 'string' }), []],
    ['a nullable type made plain: not backward', parse({ type: 'string' }), parse({ type: ['string', 'null'] }), ['TYPE_CHANGED']],
    [
      'a $ref target changed within the document',
      parse({ properties: { a: { $ref: '#/definitions/A' } }, definitions: { A: { type: 'integer' } } }),
      parse({ properties: { a: { $ref: '#/definitions/A' } }, definitions: { A: { type: 'string' } } }),
      ['TYPE_CHANGED'],
    ],
    [
      'a recursive schema against itself',
      parse({ type: 'object', properties: { next: { $ref: '#' }, v: { type: 'string' } } }),
      parse({ type: 'object', properties: { next: { $ref: '#' }, v: { type: 'string' } } }),
      [],
    ],
  ])('%s', (_what, reader, writer, expected) => {
    expect(errorTypes(reader, writer)).toEqual(expected)
  })

  it('words problems as Confluent does, with the JSON pointer and the roles', () => {
    const reader = object({ a: { type: 'string', maxLength: 5 } })
    const writer = object({ a: { type: 'string', maxLength: 10 } })
    expect(jsonSchemaFormat.readProblems(reader, writer)).toEqual([
      `{errorType:"MAX_LENGTH_DECREASED", description:"The value at path '#/properties/a/maxLength' in the new schema is less than its value in the old schema'}`,
    ])
    expect(jsonSchemaFormat.readProblems(reader, writer, { reader: 'old', writer: 'new' })).toEqual([
      `{errorType:"MAX_LENGTH_DECREASED", description:"The value at path '#/properties/a/maxLength' in the old schema is less than its value in the new schema'}`,
    ])
  })
})
