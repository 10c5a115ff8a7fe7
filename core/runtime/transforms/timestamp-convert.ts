/**
 * Kafka's TimestampConverter for one field (or the whole value): between ISO/format strings, unix
 * numbers (`unix.precision`), and Date/Time/Timestamp values. Schemaless data is read by its JS type
 * (a number is unix time) and Date/Time/Timestamp are written as epoch milliseconds. With a schema,
 * the schema says what the timestamp is and the field's schema becomes the target type's, as Connect
 * derives it (timestamp-typed.ts); the struct keeps its name, optionality and (converted) default.
 */
import { z } from 'zod'
import type { Field, Schema } from '../schema/schema.ts'
import { copyStruct, derivedSchemas, fieldValue, replaceNullWithDefault, requireStruct, type StructValue } from './struct-schema.ts'
import { formatDate, parseDate } from './timestamp-format.ts'
import { readMillis, targetSchema, timestampTypeOf, writeMillis, type TimestampType } from './timestamp-typed.ts'
import { defineTransform, isPlainObject, updateSide } from './transform.ts'

const schema = z.object({
  field: z.string().default('').describe('Field to convert; empty converts the whole value'),
  'target.type': z.enum(['string', 'unix', 'Date', 'Timestamp', 'Time']).describe('What the value becomes'),
  format: z.string().optional().describe('SimpleDateFormat pattern for string input or output; ISO-8601 when absent'),
  'unix.precision': z
    .enum(['seconds', 'milliseconds', 'microseconds', 'nanoseconds'])
    .default('milliseconds')
    .describe('Unit of unix numbers'),
  'replace.null.with.default': replaceNullWithDefault,
})

const PURPOSE = 'converting timestamp formats'
const UNIT_MS = { seconds: 1000, milliseconds: 1, microseconds: 0.001, nanoseconds: 0.000001 } as const

/** What a schema'd side turns into: its new schema and, for a struct, the field converted and what it holds. */
interface Plan {
  readonly output: Schema
  readonly input: Schema
  readonly field: Field | undefined
  /** What the converted data is, or why it is no timestamp (thrown for each record, as Connect does). */
  readonly from: TimestampType | Error | undefined
}

function typeOf(schema: Schema): TimestampType | Error {
  try {
    return timestampTypeOf(schema)
  } catch (error) {
    return error as Error
  }
}

export const timestampConvert = defineTransform({
  name: 'timestamp-convert',
  aliases: [
    'org.apache.kafka.connect.transforms.TimestampConverter$Value',
    'org.apache.kafka.connect.transforms.TimestampConverter$Key',
    'TimestampConverter$Value',
    'TimestampConverter$Key',
  ],
  description: 'Converts a timestamp field between strings, unix numbers and epoch milliseconds',
  config: schema,
  create(config, target) {
    const unit = UNIT_MS[config['unix.precision']]
    const toMs = (input: unknown): number => {
      // Numbers are unix time in unix.precision units, as Kafka reads a long field.
      if (typeof input === 'number') return input * unit
      if (typeof input === 'string') return /^-?\d+$/.test(input) ? Number(input) * unit : parseDate(input, config.format)
      if (input instanceof Date) return input.getTime()
      throw new Error(`cannot read a timestamp from ${typeof input}`)
    }
    const convert = (input: unknown): unknown => {
      if (input === null || input === undefined) return input
      const ms = toMs(input)
      switch (config['target.type']) {
        case 'string':
          return formatDate(ms, config.format)
        case 'unix':
          return Math.trunc(ms / unit)
        case 'Date':
          return Math.trunc(ms / 86_400_000) * 86_400_000
        case 'Time':
          return ((ms % 86_400_000) + 86_400_000) % 86_400_000
        case 'Timestamp':
          return ms
      }
    }

    const to = config['target.type']
    const options = { format: config.format, precision: config['unix.precision'] }
    const useDefaults = config['replace.null.with.default'] === 'true'
    const convertTyped = (value: unknown, from: Plan['from']): unknown => {
      if (from instanceof Error) throw from
      if (value === null || value === undefined || from === undefined) return value ?? null
      return writeMillis(readMillis(value, from, options), to, options)
    }
    const convertStruct = (struct: StructValue, plan: Plan): StructValue => {
      const out: StructValue = {}
      for (const field of plan.input.fields ?? []) {
        const value = fieldValue(struct, field, useDefaults)
        out[field.name] = field === plan.field ? convertTyped(value, plan.from) : value
      }
      return out
    }
    const plans = derivedSchemas((input: Schema): Plan => {
      if (config.field === '') return { output: targetSchema(to, input.optional), input, field: undefined, from: typeOf(input) }
      if (input.type !== 'struct') return { output: input, input, field: undefined, from: undefined }
      const field = input.fields?.find((candidate) => candidate.name === config.field)
      if (field === undefined) return { output: input, input, field, from: undefined }
      const from = typeOf(field.schema)
      const fields = (input.fields ?? []).map(
        (each) => [each.name, each === field ? targetSchema(to, each.schema.optional) : each.schema] as const,
      )
      const draft: Plan = { output: input, input, field, from }
      const fallback =
        input.defaultValue === undefined || input.defaultValue === null
          ? undefined
          : convertStruct(input.defaultValue as StructValue, draft)
      return {
        ...draft,
        output: copyStruct(input, fields, { optional: input.optional, ...(fallback !== undefined && { defaultValue: fallback }) }),
      }
    })

    return {
      apply(record) {
        return updateSide(record, target, ({ data, schema: dataSchema }) => {
          if (dataSchema !== undefined) {
            const plan = plans(dataSchema)
            if (config.field === '') return { data: convertTyped(data, plan.from), schema: plan.output }
            if (data === null || data === undefined) return { data: null, schema: plan.output }
            return { data: convertStruct(requireStruct(data, dataSchema, PURPOSE), plan), schema: plan.output }
          }
          if (config.field === '') return { data: convert(data), schema: undefined }
          if (!isPlainObject(data)) return { data, schema: undefined }
          return { data: { ...data, [config.field]: convert(data[config.field]) }, schema: undefined }
        })
      },
    }
  },
})
