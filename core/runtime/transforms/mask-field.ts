/**
 * Kafka's MaskField: replaces fields with `replacement`, or with their type's empty value. With a
 * schema the value must be a struct, its schema stays as it is, and each masked field gets what its
 * own type calls empty or the replacement read as that type (mask-value.ts).
 */
import { z } from 'zod'
import type { Schema } from '../schema/schema.ts'
import { maskerFor } from './mask-value.ts'
import { derivedSchemas, fieldValue, replaceNullWithDefault, requireStruct } from './struct-schema.ts'
import { commaList, defineTransform, isPlainObject, updateSide } from './transform.ts'

const schema = z.object({
  fields: commaList.describe('Fields to mask, comma separated'),
  replacement: z.string().optional().describe('Masked value; default the empty value of the field type (0, false, "", [], {})'),
  'replace.null.with.default': replaceNullWithDefault,
})

const PURPOSE = 'mask fields'

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
  aliases: [
    'org.apache.kafka.connect.transforms.MaskField$Value',
    'org.apache.kafka.connect.transforms.MaskField$Key',
    'MaskField$Value',
    'MaskField$Key',
    'mask',
  ],
  description: 'Masks sensitive fields of an object value',
  config: schema,
  create(config, target) {
    const masked = new Set(config.fields)
    const useDefaults = config['replace.null.with.default'] === 'true'
    // For each struct schema: per field, the masker, or undefined to copy the value.
    const maskers = derivedSchemas((struct: Schema) =>
      (struct.fields ?? []).map((field) => ({
        field,
        mask: masked.has(field.name) ? maskerFor(field.schema, config.replacement, field.name) : undefined,
      })),
    )
    return {
      apply(record) {
        return updateSide(record, target, ({ data, schema: dataSchema }) => {
          if (dataSchema !== undefined) {
            if (data === null || data === undefined) return { data, schema: dataSchema }
            const struct = requireStruct(data, dataSchema, PURPOSE)
            const out: Record<string, unknown> = {}
            for (const { field, mask } of maskers(dataSchema)) {
              const value = fieldValue(struct, field, useDefaults)
              out[field.name] = mask === undefined ? value : mask(value)
            }
            return { data: out, schema: dataSchema }
          }
          if (!isPlainObject(data)) return { data, schema: undefined }
          const out: Record<string, unknown> = { ...data }
          for (const field of config.fields) {
            if (field in out) out[field] = config.replacement ?? emptyOf(out[field])
          }
          return { data: out, schema: undefined }
        })
      },
    }
  },
})
