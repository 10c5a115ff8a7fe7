import { describe, expect, it } from 'vitest'
import { isTributaryError } from '../../../../core/errors.ts'
import { createPlainConverters, nestsDeeperThan, validateConverterConfig } from '../../../../core/runtime/converters.ts'
import { JsonBytes, toJsonText } from '../../../../core/runtime/plugin.ts'
import { buildTransformChain } from '../../../../core/runtime/transforms/chain.ts'

describe('converters', () => {
  it('json writes data as JSON, Buffers as base64, and reads it back', () => {
    const { value } = createPlainConverters({})
    const bytes = value.fromData('t', { a: 1, raw: Buffer.from('hi') })
    expect(bytes?.toString()).toBe('{"a":1,"raw":"aGk="}')
    expect(value.toData('t', Buffer.from('{"a":[1,2]}')).value).toEqual({ a: [1, 2] })
    expect(value.fromData('t', null)).toBeNull()
    expect(value.toData('t', null).value).toBeNull()
  })

  it('json with schemas.enable reads and writes the schema/payload envelope', () => {
    const { value } = createPlainConverters({
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter.schemas.enable': 'true',
    })
    expect(value.fromData('t', { a: 1 })?.toString()).toBe('{"schema":null,"payload":{"a":1}}')
    expect(
      value.toData(
        't',
        Buffer.from(
          '{"schema":{"type":"struct","fields":[{"type":"int32","optional":false,"field":"b"}],"optional":false},"payload":{"b":2}}',
        ),
      ).value,
    ).toEqual({ b: 2 })
    expect(() => value.toData('t', Buffer.from('{"b":2}')).value).toThrow(/schema/)
  })

  it('json uses the JSON text a value carries, inside the schema envelope too', () => {
    const data = { a: 1, [toJsonText]: () => '{"a":1,"encoded":"once"}' }
    expect(createPlainConverters({}).value.fromData('t', data)?.toString()).toBe('{"a":1,"encoded":"once"}')
    const withSchemas = createPlainConverters({ 'value.converter': 'json', 'value.converter.schemas.enable': 'true' })
    expect(withSchemas.value.fromData('t', data)?.toString()).toBe('{"schema":null,"payload":{"a":1,"encoded":"once"}}')
  })

  it('json refuses to read a record nested deeper than 1,000 levels, with the depth error as the cause', () => {
    const { value } = createPlainConverters({})
    const nested = (depth: number) => `${'{"a":'.repeat(depth - 1)}[1]${'}'.repeat(depth - 1)}`
    expect(value.toData('t', Buffer.from(nested(1000))).value).toBeTruthy()
    let caught: unknown
    try {
      value.toData('t', Buffer.from(nested(1001)))
    } catch (error) {
      caught = error
    }
    expect(isTributaryError(caught, 'TRB_CONVERTER_FAILED')).toBe(true)
    expect(isTributaryError((caught as Error).cause, 'TRB_JSON_TOO_DEEP')).toBe(true)
    // Brackets inside strings are text, not nesting.
    expect(value.toData('t', Buffer.from(JSON.stringify({ text: '['.repeat(5000) }))).value).toEqual({ text: '['.repeat(5000) })
  })

  it('json fails to write data too deep to serialise as a converter failure, not a RangeError', () => {
    let data: unknown = null
    for (let i = 0; i < 100_000; i++) data = [data]
    for (const converter of [createPlainConverters({}).value, createPlainConverters({ 'value.converter': 'string' }).value]) {
      let caught: unknown
      try {
        converter.fromData('t', data)
      } catch (error) {
        caught = error
      }
      expect(isTributaryError(caught, 'TRB_CONVERTER_FAILED')).toBe(true)
      expect(isTributaryError((caught as Error).cause, 'TRB_JSON_TOO_DEEP')).toBe(true)
    }
    expect(nestsDeeperThan({ a: [{ b: 1 }] }, 3)).toBe(false)
    expect(nestsDeeperThan({ a: [{ b: [] }] }, 3)).toBe(true)
    expect(nestsDeeperThan({ raw: Buffer.alloc(10) }, 1)).toBe(false)
  })

  it('string and bytes converters pass text and bytes through', () => {
    const { key, value } = createPlainConverters({
      'key.converter': 'string',
      'value.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
    })
    expect(key.fromData('t', 'k')?.toString()).toBe('k')
    expect(key.fromData('t', { a: 1 })?.toString()).toBe('{"a":1}')
    expect(key.toData('t', Buffer.from('k')).value).toBe('k')
    const raw = Buffer.from([0, 255])
    expect(value.fromData('t', raw)).toBe(raw)
    expect(value.toData('t', raw).value).toBe(raw)
  })

  it('fails with a typed error on data it cannot convert, and on unknown converters', () => {
    const { key, value } = createPlainConverters({ 'key.converter': 'bytes' })
    for (const attempt of [() => value.toData('t', Buffer.from('{oops')), () => key.fromData('t', { a: 1 })]) {
      try {
        attempt()
        expect.unreachable()
      } catch (error) {
        expect(isTributaryError(error, 'TRB_CONVERTER_FAILED')).toBe(true)
      }
    }
    expect(validateConverterConfig({ 'value.converter': 'nosuch', 'key.converter.schemas.enable': 'maybe' }).map((p) => p.key)).toEqual([
      'key.converter.schemas.enable',
      'value.converter',
    ])
    expect(() => createPlainConverters({ 'value.converter': 'nosuch' })).toThrow(/unknown converter/)
    // A registry converter's own settings are checked with Confluent's names.
    expect(
      validateConverterConfig({
        'value.converter': 'io.confluent.connect.avro.AvroConverter',
        'value.converter.auto.register.schemas': 'maybe',
        'value.converter.schema.registry.url': 'ftp://x',
        'value.converter.value.subject.name.strategy': 'NoSuchStrategy',
      }).map((p) => p.key),
    ).toEqual([
      'value.converter.auto.register.schemas',
      'value.converter.schema.registry.url',
      'value.converter.value.subject.name.strategy',
    ])
  })

  it('writes JSON bytes as they are, gives transforms their data, and fails the bytes converter as for any object', () => {
    const data = new JsonBytes(Buffer.from('{"op":"r","after":{"name":"grüße"}}'))
    expect(createPlainConverters({}).value.fromData('t', data)).toBe(data.bytes)
    expect(createPlainConverters({ 'value.converter.schemas.enable': 'true' }).value.fromData('t', data)?.toString()).toBe(
      '{"schema":null,"payload":{"op":"r","after":{"name":"grüße"}}}',
    )
    expect(createPlainConverters({ 'value.converter': 'string' }).value.fromData('t', data)).toBe(data.bytes)
    expect(() => createPlainConverters({ 'value.converter': 'bytes' }).value.fromData('t', data)).toThrow(/needs a Buffer or a string/)
    expect(JSON.stringify({ wrapped: data })).toBe('{"wrapped":{"op":"r","after":{"name":"grüße"}}}')
    const unwrap = buildTransformChain({ transforms: 'u', 'transforms.u.type': 'unwrap' })
    expect(unwrap.apply({ topic: 't', key: new JsonBytes(Buffer.from('{"id":1}')), value: data })).toEqual({
      topic: 't',
      key: { id: 1 },
      value: { name: 'grüße' },
    })
    const none = buildTransformChain({})
    const record = { topic: 't', key: null, value: data }
    expect(none.apply(record)).toBe(record)
  })
})
