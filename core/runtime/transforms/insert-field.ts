/** Kafka's InsertField: adds a static field and/or the record's topic, partition, offset or timestamp. */
import { z } from 'zod'
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
})

export const insertField = defineTransform({
  name: 'insert-field',
  aliases: ['org.apache.kafka.connect.transforms.InsertField$Value', 'org.apache.kafka.connect.transforms.InsertField$Key', 'InsertField$Value', 'InsertField$Key'],
  description: 'Adds a static field or record metadata to an object value',
  config: schema,
  create(config, target) {
    const staticField = config['static.field'] ?? config.field
    const staticValue = config['static.value'] ?? config.value ?? null
    return {
      apply(record) {
        return updateSide(record, target, (data) => {
          if (data === null || data === undefined) return data
          if (!isPlainObject(data)) throw new Error(`insert-field needs an object ${target}, got ${typeof data}`)
          const meta = record as { partition?: number; offset?: number; timestamp?: number }
          const out: Record<string, unknown> = { ...data }
          if (staticField) out[staticField] = staticValue
          if (config['topic.field']) out[config['topic.field']] = record.topic
          if (config['partition.field']) out[config['partition.field']] = meta.partition ?? null
          if (config['offset.field']) out[config['offset.field']] = meta.offset ?? null
          if (config['timestamp.field']) out[config['timestamp.field']] = meta.timestamp ?? null
          return out
        })
      },
    }
  },
})
