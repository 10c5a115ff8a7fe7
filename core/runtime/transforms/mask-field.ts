/** Kafka's MaskField: replaces fields with `replacement`, or with their type's empty value. */
import { z } from 'zod'
import { commaList, defineTransform, isPlainObject, updateSide } from './transform.ts'

const schema = z.object({
  fields: commaList.describe('Fields to mask, comma separated'),
  replacement: z.string().optional().describe('Masked value; default the empty value of the field type (0, false, "", [], {})'),
})

function emptyOf(value: unknown): unknown {
  if (typeof value === 'number') return 0
  if (typeof value === 'boolean') return false
  if (typeof value === 'string') return ''
  if (Array.isArray(value)) return []
  if (isPlainObject(value)) return {}
  return null
}

export const maskField = defineTransform({
  name: 'mask-field',
  aliases: ['org.apache.kafka.connect.transforms.MaskField$Value', 'org.apache.kafka.connect.transforms.MaskField$Key', 'MaskField$Value', 'MaskField$Key', 'mask'],
  description: 'Masks sensitive fields of an object value',
  config: schema,
  create(config, target) {
    return {
      apply(record) {
        return updateSide(record, target, (data) => {
          if (!isPlainObject(data)) return data
          const out: Record<string, unknown> = { ...data }
          for (const field of config.fields) {
            if (field in out) out[field] = config.replacement ?? emptyOf(out[field])
          }
          return out
        })
      },
    }
  },
})
