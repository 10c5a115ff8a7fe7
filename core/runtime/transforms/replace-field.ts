/**
 * Kafka's ReplaceField: keep only `include`, drop `exclude`, rename with `renames=old:new,…`. With a
 * schema the value must be a struct, and its schema becomes a struct of the kept fields under their
 * new names, with the old schema's name, version, doc and parameters (and, as in Connect, neither its
 * optionality nor its default).
 */
import { z } from 'zod'
import { TributaryError } from '../../errors.ts'
import type { ConnectRecord } from '../plugin.ts'
import type { Schema } from '../schema/schema.ts'
import { copyStruct, derivedSchemas, fieldValue, replaceNullWithDefault, requireStruct } from './struct-schema.ts'
import { commaList, defineTransform, isPlainObject, updateSide } from './transform.ts'

const renames = z.string().transform((value, ctx) => {
  const pairs: Array<[string, string]> = []
  for (const item of value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const [from, to, extra] = item.split(':')
    if (!from || !to || extra !== undefined) ctx.addIssue({ code: 'custom', message: `"${item}" is not old:new` })
    else pairs.push([from, to])
  }
  return pairs
})

const schema = z.object({
  include: commaList.optional().describe('Fields to keep; all others are dropped'),
  exclude: commaList.optional().describe('Fields to drop'),
  whitelist: commaList.optional().describe('Older name for include'),
  blacklist: commaList.optional().describe('Older name for exclude'),
  fields: commaList.optional().describe('drop-fields: the fields to drop'),
  renames: renames.optional().describe('Renames as old:new pairs, comma separated'),
  'replace.null.with.default': replaceNullWithDefault,
})

const PURPOSE = 'field replacement'

function build(config: z.infer<typeof schema>, target: 'key' | 'value', dropsFields: boolean) {
  const include = config.include ?? config.whitelist
  const exclude = [...(config.exclude ?? config.blacklist ?? []), ...(dropsFields ? (config.fields ?? []) : [])]
  const rename = new Map(config.renames ?? [])
  const keeps = (field: string) => !exclude.includes(field) && (include === undefined || include.includes(field))
  const useDefaults = config['replace.null.with.default'] === 'true'
  // For each input schema: the output schema, and for each of its fields the input field it reads.
  const derive = derivedSchemas((input: Schema) => {
    const sources = (input.fields ?? [])
      .filter((field) => keeps(field.name))
      .map((field) => [rename.get(field.name) ?? field.name, field] as const)
    return {
      output: copyStruct(
        input,
        sources.map(([name, field]) => [name, field.schema]),
      ),
      sources,
    }
  })
  return {
    apply<R extends ConnectRecord>(record: R): R {
      return updateSide(record, target, ({ data, schema: dataSchema }) => {
        if (data === null || data === undefined) return { data, schema: dataSchema }
        if (dataSchema !== undefined) {
          const struct = requireStruct(data, dataSchema, PURPOSE)
          const { output, sources } = derive(dataSchema)
          const out: Record<string, unknown> = {}
          for (const [name, field] of sources) out[name] = fieldValue(struct, field, useDefaults)
          return { data: out, schema: output }
        }
        if (!isPlainObject(data)) throw new TributaryError('TRB_TRANSFORM_FAILED', `replace-field needs an object ${target}`)
        const out: Record<string, unknown> = {}
        for (const [field, value] of Object.entries(data)) {
          if (include !== undefined && !include.includes(field)) continue
          if (exclude.includes(field)) continue
          out[rename.get(field) ?? field] = value
        }
        return { data: out, schema: undefined }
      })
    },
  }
}

export const replaceField = defineTransform({
  name: 'replace-field',
  aliases: [
    'org.apache.kafka.connect.transforms.ReplaceField$Value',
    'org.apache.kafka.connect.transforms.ReplaceField$Key',
    'ReplaceField$Value',
    'ReplaceField$Key',
    'rename-fields',
  ],
  description: 'Keeps, drops and renames fields of an object value',
  config: schema,
  create: (config, target) => build(config, target, false),
})

export const dropFields = defineTransform({
  name: 'drop-fields',
  aliases: [],
  description: 'Drops the listed fields of an object value',
  config: schema,
  create: (config, target) => build(config, target, true),
})
