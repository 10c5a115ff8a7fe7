/** Kafka's ReplaceField: keep only `include`, drop `exclude`, rename with `renames=old:new,…`. */
import { z } from 'zod'
import { TributaryError } from '../../errors.ts'
import { commaList, defineTransform, isPlainObject, updateSide } from './transform.ts'

const renames = z.string().transform((value, ctx) => {
  const pairs: Array<[string, string]> = []
  for (const item of value.split(',').map((part) => part.trim()).filter(Boolean)) {
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
})

function build(config: z.infer<typeof schema>, target: 'key' | 'value', dropsFields: boolean) {
  const include = config.include ?? config.whitelist
  const exclude = [...(config.exclude ?? config.blacklist ?? []), ...(dropsFields ? config.fields ?? [] : [])]
  const rename = new Map(config.renames ?? [])
  return {
    apply<R extends Parameters<typeof updateSide>[0]>(record: R): R {
      return updateSide(record, target, (data) => {
        if (data === null || data === undefined) return data
        if (!isPlainObject(data)) throw new TributaryError('TRB_TRANSFORM_FAILED', `replace-field needs an object ${target}`)
        const out: Record<string, unknown> = {}
        for (const [field, value] of Object.entries(data)) {
          if (include !== undefined && !include.includes(field)) continue
          if (exclude.includes(field)) continue
          out[rename.get(field) ?? field] = value
        }
        return out
      }) as R
    },
  }
}

export const replaceField = defineTransform({
  name: 'replace-field',
  aliases: ['org.apache.kafka.connect.transforms.ReplaceField$Value', 'org.apache.kafka.connect.transforms.ReplaceField$Key', 'ReplaceField$Value', 'ReplaceField$Key', 'rename-fields'],
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
