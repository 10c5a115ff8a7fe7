import { describe, expect, it } from 'vitest'
import type { ConnectRecord } from '../../../../../core/runtime/plugin.ts'
import { Debezium, asOptional } from '../../../../../core/runtime/schema/debezium.ts'
import { DATE, Logical, TIME, TIMESTAMP } from '../../../../../core/runtime/schema/logical.ts'
import { Schemas, sameSchema, type Schema } from '../../../../../core/runtime/schema/schema.ts'
import { buildTransformChain } from '../../../../../core/runtime/transforms/chain.ts'
import { throughJsonConverter } from '../../../../support/connect-envelope.ts'

const MS = Date.UTC(2023, 10, 14, 22, 13, 20, 123) // 2023-11-14T22:13:20.123Z
const convert = (props: Record<string, string>) =>
  buildTransformChain({
    transforms: 't',
    'transforms.t.type': 'TimestampConverter$Value',
    ...Object.fromEntries(Object.entries(props).map(([key, value]) => [`transforms.t.${key}`, value])),
  })
const record = (value: unknown, valueSchema: Schema): ConnectRecord => ({ topic: 't', key: null, value, valueSchema })
const rowSchema = (at: Schema) =>
  Schemas.struct(
    [
      ['id', Schemas.int32()],
      ['at', at],
    ],
    { name: 'events.Value', version: 1, optional: true },
  )

describe('timestamp-convert with schemas', () => {
  it("turns the field's schema into the target type's, keeping its optionality, and converts the value", () => {
    const input = rowSchema(Logical.timestamp({ optional: true }))
    const cases: Array<[Record<string, string>, Schema, unknown]> = [
      [{ 'target.type': 'string', format: "yyyy-MM-dd'T'HH:mm:ss.SSS" }, Schemas.string({ optional: true }), '2023-11-14T22:13:20.123'],
      [{ 'target.type': 'unix' }, Schemas.int64({ optional: true }), MS],
      [{ 'target.type': 'unix', 'unix.precision': 'seconds' }, Schemas.int64({ optional: true }), Math.trunc(MS / 1000)],
      [{ 'target.type': 'unix', 'unix.precision': 'nanoseconds' }, Schemas.int64({ optional: true }), BigInt(MS) * 1_000_000n],
      [{ 'target.type': 'Date' }, Logical.date({ optional: true }), new Date(Date.UTC(2023, 10, 14))],
      [{ 'target.type': 'Time' }, Logical.time({ optional: true }), new Date(MS % 86_400_000)],
      [{ 'target.type': 'Timestamp' }, Logical.timestamp({ optional: true }), new Date(MS)],
    ]
    for (const [props, fieldSchema, value] of cases) {
      const chain = convert({ field: 'at', ...props })
      const out = chain.apply(record({ id: 1, at: new Date(MS) }, input))
      expect(out?.value, props['target.type']).toEqual({ id: 1, at: value })
      expect(sameSchema(out?.valueSchema?.fields?.[1]?.schema, fieldSchema), props['target.type']).toBe(true)
      expect(out?.valueSchema).toMatchObject({ name: 'events.Value', version: 1, optional: true })
      expect(chain.apply(record({ id: 2, at: null }, input))).toMatchObject({ value: { id: 2, at: null }, valueSchema: out?.valueSchema })
    }
  })

  it('reads strings in the format, int64 as unix time in unix.precision (Debezium MicroTimestamp too), and Date/Time logical values', () => {
    const fromText = convert({ field: 'at', 'target.type': 'Timestamp', format: 'yyyy-MM-dd HH:mm:ss' }).apply(
      record({ id: 1, at: '2023-11-14 22:13:20' }, rowSchema(Schemas.string())),
    )
    expect(fromText?.value).toEqual({ id: 1, at: new Date(Date.UTC(2023, 10, 14, 22, 13, 20)) })
    expect(fromText?.valueSchema?.fields?.[1]?.schema).toMatchObject({ type: 'int64', name: TIMESTAMP, optional: false })
    const micros = convert({ field: 'at', 'target.type': 'Timestamp', 'unix.precision': 'microseconds' }).apply(
      record({ id: 1, at: MS * 1000 + 999 }, rowSchema(asOptional(Debezium.microTimestamp))),
    )
    expect(micros?.value).toEqual({ id: 1, at: new Date(MS) })
    const nanos = convert({ field: 'at', 'target.type': 'unix', 'unix.precision': 'nanoseconds' }).apply(
      record({ id: 1, at: BigInt(MS) * 1_000_000n + 5n }, rowSchema(Schemas.int64())),
    )
    expect(nanos?.value).toEqual({ id: 1, at: BigInt(MS) * 1_000_000n })
    const fromDate = convert({ field: 'at', 'target.type': 'Timestamp' }).apply(
      record({ id: 1, at: new Date(Date.UTC(2024, 1, 29)) }, rowSchema(Logical.date())),
    )
    expect(fromDate?.value).toEqual({ id: 1, at: new Date(Date.UTC(2024, 1, 29)) })
    const fromTime = convert({ field: 'at', 'target.type': 'string', format: 'HH:mm' }).apply(
      record({ id: 1, at: new Date(3_600_000 * 5 + 60_000 * 7) }, rowSchema(Logical.time())),
    )
    expect(fromTime?.value).toEqual({ id: 1, at: '05:07' })
  })

  it('converts a whole value when field is empty, its schema becoming the target schema', () => {
    const out = convert({ 'target.type': 'Date' }).apply(record(MS, Schemas.int64({ optional: true })))
    expect(out?.value).toEqual(new Date(Date.UTC(2023, 10, 14)))
    expect(out?.valueSchema).toMatchObject({ type: 'int32', name: DATE, optional: true })
    const time = convert({ 'target.type': 'Time' }).apply(record(new Date(MS), Logical.timestamp()))
    expect(time?.valueSchema).toMatchObject({ type: 'int32', name: TIME, optional: false })
  })

  it("converts the struct schema's default, and fails on a field that is no timestamp type, as Connect does", () => {
    const withDefault = Schemas.struct([['at', Schemas.int64()]], { name: 'd', optional: true, defaultValue: { at: 0 } })
    const out = convert({ field: 'at', 'target.type': 'string', format: 'yyyy' }).apply(record(null, withDefault))
    expect(out).toMatchObject({ value: null, valueSchema: { optional: true, defaultValue: { at: '1970' } } })
    expect(() => convert({ field: 'at', 'target.type': 'unix' }).apply(record({ id: 1, at: 5 }, rowSchema(Schemas.int32())))).toThrow(
      /does not correspond to a known timestamp type format/,
    )
    expect(() => convert({ field: 'at', 'target.type': 'unix' }).apply(record({ id: 1, at: 'x' }, rowSchema(Logical.timestamp())))).toThrow(
      /Expected Timestamp to be a Date/,
    )
    expect(() => convert({ field: 'at', 'target.type': 'unix' }).apply(record('x', rowSchema(Logical.timestamp())))).toThrow(
      /Only Struct objects supported for \[converting timestamp formats\]/,
    )
  })

  it('writes through the JSON converter as a schema and payload that agree', () => {
    for (const target of ['string', 'unix', 'Date', 'Time', 'Timestamp']) {
      const out = convert({ field: 'at', 'target.type': target, format: 'yyyy-MM-dd' }).apply(
        record({ id: 1, at: MS }, rowSchema(Schemas.int64())),
      )
      const written = throughJsonConverter(out?.value, out?.valueSchema)
      expect(sameSchema(written.readBack.schema, out?.valueSchema), target).toBe(true)
      expect(written.readBack.value, target).toEqual(out?.value)
    }
  })

  it('leaves schemaless records as they were', () => {
    const out = convert({ field: 'at', 'target.type': 'Date' }).apply({ topic: 't', key: null, value: { at: MS } })
    expect(out).toEqual({ topic: 't', key: null, value: { at: Date.UTC(2023, 10, 14) } })
  })
})
