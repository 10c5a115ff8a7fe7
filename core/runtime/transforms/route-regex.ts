/** Kafka's RegexRouter: when the whole topic name matches `regex`, it becomes `replacement` ($1 for groups). */
import { z } from 'zod'
import { defineTransform } from './transform.ts'

const schema = z.object({
  regex: z
    .string()
    .min(1)
    .describe('Regular expression the whole topic name must match')
    .refine((value) => {
      try {
        new RegExp(value)
        return true
      } catch {
        return false
      }
    }, 'is not a valid regular expression'),
  replacement: z.string().describe('New topic name; $1, $2 … insert the groups'),
})

export const routeRegex = defineTransform({
  name: 'route-regex',
  aliases: ['org.apache.kafka.connect.transforms.RegexRouter', 'RegexRouter'],
  description: 'Routes records to another topic by a regex over the topic name',
  config: schema,
  create(config) {
    const whole = new RegExp(`^(?:${config.regex})$`)
    return {
      apply(record) {
        if (!whole.test(record.topic)) return record
        return { ...record, topic: record.topic.replace(whole, config.replacement) }
      },
    }
  },
})
