/**
 * Kafka's InsertField: adds a static field and/or the record's topic, partition, offset or timestamp.
 * A field name may end in `!` (required) or `?` (optional, the default); the mark is not part of the
 * name. With a schema the value must be a struct, and its schema gains the fields as Connect types
 * them: topic and static a string, partition an int32, offset an int64, timestamp a Timestamp.
 */
import { z } from 'zod'
import type { ConnectRecord } from '../plugin.ts'
import { Logical } from '../schema/logical.ts'
import { Schemas, type Schema } from '../schema/schema.ts'
import { copyStruct, dataError, derivedSchemas, fieldValue, replaceNullWithDefault, requireStruct } from './struct-schema.ts'
import { defineTransform, isPlainObject, updateSide } from './transform.ts'

const schema = z.object({
  'static.field': z.string().optional().describe('Field that gets static.value'),
  'static.value': z.string().optional().describe('The static value'),
  field: z.string().optional().describe('Short form of static.field'),
  value: z.string().optional().describe('Short form of static.value'),
  'topic.field': z.string().optional().describe('Field that gets the topic name'),
  'partition.field': z.string().optional().describe('Field that gets the partition'),
  'offset.field': z.string().optional().describe('Field that gets the offset (sinks)'),
  'timestamp.field': z.string().optional().describe('Field that gets the record timestamp (ms)'),
  'replace.null.with.default': replaceNullWithDefault,
})

const PURPOSE = 'field insertion'

type Meta = 'topic' | 'partition' | 'offset' | 'timestamp' | 'static'

/** Each kind's schema, required and optional, built once. */
const TYPES: Readonly<Record<Meta, readonly [Schema, Schema]>> = {
  topic: [Schemas.string(), Schemas.string({ optional: true })],
  partition: [Schemas.int32(), Schemas.int32({ optional: true })],
  offset: [Schemas.int64(), Schemas.int64({ optional: true })],
  timestamp: [Logical.timestamp(), Logical.timestamp({ optional: true })],
  static: [Schemas.string(), Schemas.string({ optional: true })],
}

interface Insertion {
  readonly meta: Meta
  readonly name: string
  readonly optional: boolean
}

function insertion(meta: Meta, spec: string | undefined): Insertion[] {
  if (!spec) return []
  if (spec.endsWith('!')) return [{ meta, name: spec.slice(0, -1), optional: false }]
  return [{ meta, name: spec.endsWith('?') ? spec.slice(0, -1) : spec, optional: true }]
}

type Metadata = ConnectRecord & { readonly offset?: number }

export const insertField = defineTransform({
  name: 'insert-field',
  aliases: [
    'org.apache.kafka.connect.transforms.InsertField$Value',
    'org.apache.kafka.connect.transforms.InsertField$Key',
    'InsertField$Value',
    'InsertField$Key',
  ],
  description: 'Adds a static field or record metadata to an object value',
  config: schema,
  create(config, target) {
    const staticValue = config['static.value'] ?? config.value ?? null
    const insertions = [
      ...insertion('topic', config['topic.field']),
      ...insertion('partition', config['partition.field']),
      ...insertion('offset', config['offset.field']),
      ...insertion('timestamp', config['timestamp.field']),
      ...insertion('static', config['static.field'] ?? config.field),
    ]
    // Schemaless data has always had the static field first.
    const schemalessOrder = [...insertions.filter((item) => item.meta === 'static'), ...insertions.filter((item) => item.meta !== 'static')]
    const useDefaults = config['replace.null.with.default'] === 'true'
    const derive = derivedSchemas((input: Schema) =>
      copyStruct(input, [
        ...(input.fields ?? []).map((field) => [field.name, field.schema] as const),
        ...insertions.map(({ meta, name, optional }) => [name, TYPES[meta][optional ? 1 : 0]] as const),
      ]),
    )
    const metaValue = (record: Metadata, { meta, name, optional }: Insertion): unknown => {
      let value: unknown
      switch (meta) {
        case 'topic':
          value = record.topic
          break
        case 'partition':
          value = record.partition ?? null
          break
        case 'offset':
          if (record.offset === undefined) throw dataError(`Only sink records have an offset for [${PURPOSE}] (offset.field ${name})`)
          value = record.offset
          break
        case 'timestamp':
          value = record.timestamp === undefined ? null : new Date(record.timestamp)
          break
        case 'static':
          value = staticValue
          break
      }
      if (value === null && !optional) throw dataError(`the required field ${name} has no ${meta} to take for [${PURPOSE}]`)
      return value
    }
    return {
      apply(record) {
        const meta = record as Metadata
        return updateSide(record, target, ({ data, schema: dataSchema }) => {
          if (data === null || data === undefined) return { data, schema: dataSchema }
          if (dataSchema !== undefined) {
            const struct = requireStruct(data, dataSchema, PURPOSE)
            const out: Record<string, unknown> = {}
            for (const field of dataSchema.fields ?? []) out[field.name] = fieldValue(struct, field, useDefaults)
            for (const item of insertions) out[item.name] = metaValue(meta, item)
            return { data: out, schema: derive(dataSchema) }
          }
          if (!isPlainObject(data)) throw new Error(`insert-field needs an object ${target}, got ${typeof data}`)
          const out: Record<string, unknown> = { ...data }
          for (const item of schemalessOrder) {
            if (item.meta === 'timestamp') out[item.name] = meta.timestamp ?? null
            else if (item.meta === 'offset') out[item.name] = meta.offset ?? null
            else if (item.meta === 'partition') out[item.name] = meta.partition ?? null
            else out[item.name] = item.meta === 'topic' ? record.topic : staticValue
          }
          return { data: out, schema: undefined }
        })
      },
    }
  },
})
