/**
 * A ConnectorConfigValidator shaped like the runtime's, over a few small zod schemas: it checks
 * connector.class, the plugin's keys and each transform's keys, naming problems by flat key.
 */
import { z, type ZodType } from 'zod'
import type { ConnectorConfigValidator } from '../../../../core/config/load-pipelines.ts'

const plugins: Record<string, ZodType> = {
  'postgres-cdc': z.object({
    url: z.string(),
    tables: z.string().optional(),
    'snapshot.mode': z.enum(['initial', 'never']).optional(),
  }),
  'file-sink': z.object({ file: z.string(), format: z.enum(['json', 'text']).optional() }),
  'http-source': z.object({}),
}

const transforms: Record<string, ZodType> = {
  'mask-field': z.object({ fields: z.string() }).strict(),
  filter: z.object({ expr: z.string() }).strict(),
}

export const testValidator: ConnectorConfigValidator = (config) => {
  const problems: Array<{ key: string; message: string }> = []
  const zodProblems = (schema: ZodType, input: Record<string, string>, prefix: string) => {
    const parsed = schema.safeParse(input)
    if (parsed.success) return
    for (const issue of parsed.error.issues) {
      const keys = issue.code === 'unrecognized_keys' ? issue.keys : [issue.path.map(String).join('.')]
      const message =
        issue.code === 'unrecognized_keys' ? 'unknown key' : input[keys[0] ?? ''] === undefined ? 'is required' : issue.message
      for (const key of keys) problems.push({ key: `${prefix}${key}`, message })
    }
  }
  const plugin = plugins[config['connector.class'] ?? '']
  if (plugin === undefined) problems.push({ key: 'connector.class', message: `no plugin named "${config['connector.class']}"` })
  else zodProblems(plugin, { ...config }, '')
  for (const id of (config.transforms ?? '').split(',').filter(Boolean)) {
    const prefix = `transforms.${id}.`
    const type = config[`${prefix}type`] ?? ''
    const schema = transforms[type]
    if (schema === undefined) {
      problems.push({ key: `${prefix}type`, message: `no transform named "${type}"` })
      continue
    }
    const own = Object.entries(config).filter(([key]) => key.startsWith(prefix) && key !== `${prefix}type`)
    zodProblems(schema, Object.fromEntries(own.map(([key, value]) => [key.slice(prefix.length), value])), prefix)
  }
  return problems
}
