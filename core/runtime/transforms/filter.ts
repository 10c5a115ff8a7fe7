/**
 * Filtering. Kafka's Filter drops every record it applies to, so it is used with a predicate
 * (`predicate=is-tombstone`). Tributary's `expr` keeps the records for which a filtrex expression
 * holds, evaluated against `{ topic, key, value, headers, timestamp }` with dotted access:
 * `value.after.status == "paid" and value.after.total > 100`. Strings take double quotes.
 */
import { compileExpression } from 'filtrex'
import { z } from 'zod'
import { defineTransform, getPath } from './transform.ts'

const schema = z.object({
  expr: z
    .string()
    .optional()
    .describe('Keep records for which this expression is true; without it, drop every record (use with a predicate)'),
})

export function compileFilterExpression(expression: string): (data: Record<string, unknown>) => unknown {
  return compileExpression(expression, { customProp: (path: string, _get: unknown, data: unknown) => getPath(data, path) })
}

export const filter = defineTransform({
  name: 'filter',
  aliases: ['org.apache.kafka.connect.transforms.Filter', 'Filter'],
  description: 'Keeps records matching expr; with no expr, drops records (combine with a predicate)',
  config: schema.superRefine((config, ctx) => {
    if (config.expr === undefined) return
    try {
      compileFilterExpression(config.expr)
    } catch (error) {
      ctx.addIssue({
        code: 'custom',
        path: ['expr'],
        message: `not a valid expression: ${(error as Error).message.split('\n').slice(0, 3).join(' ')}`,
      })
    }
  }),
  create(config) {
    if (config.expr === undefined) return { apply: () => null }
    const test = compileFilterExpression(config.expr)
    return {
      apply(record) {
        const result = test({
          topic: record.topic,
          key: record.key,
          value: record.value,
          headers: record.headers ?? {},
          timestamp: record.timestamp,
        })
        if (result instanceof Error) throw result
        return result ? record : null
      },
    }
  },
})
