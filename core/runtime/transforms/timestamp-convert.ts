/**
 * Kafka's TimestampConverter for one field (or the whole value): between ISO/format strings, unix
 * numbers (`unix.precision`), and epoch-millisecond "Timestamp"/"Date" values. Formats use Java's
 * SimpleDateFormat letters (yyyy MM dd HH mm ss SSS) and are read and written in UTC.
 */
import { z } from 'zod'
import { defineTransform, isPlainObject, updateSide } from './transform.ts'

const schema = z.object({
  field: z.string().default('').describe('Field to convert; empty converts the whole value'),
  'target.type': z.enum(['string', 'unix', 'Date', 'Timestamp', 'Time']).describe('What the value becomes'),
  format: z.string().optional().describe('SimpleDateFormat pattern for string input or output; ISO-8601 when absent'),
  'unix.precision': z.enum(['seconds', 'milliseconds', 'microseconds', 'nanoseconds']).default('milliseconds').describe('Unit of unix numbers'),
})

const UNIT_MS = { seconds: 1000, milliseconds: 1, microseconds: 0.001, nanoseconds: 0.000001 } as const
const TOKENS = /yyyy|MM|dd|HH|mm|ss|SSS|'[^']*'/g

function formatDate(ms: number, pattern: string | undefined): string {
  const date = new Date(ms)
  if (pattern === undefined) return date.toISOString()
  const pad = (n: number, width = 2) => String(n).padStart(width, '0')
  const parts: Record<string, string> = {
    yyyy: pad(date.getUTCFullYear(), 4), MM: pad(date.getUTCMonth() + 1), dd: pad(date.getUTCDate()),
    HH: pad(date.getUTCHours()), mm: pad(date.getUTCMinutes()), ss: pad(date.getUTCSeconds()), SSS: pad(date.getUTCMilliseconds(), 3),
  }
  return pattern.replace(TOKENS, (token) => (token.startsWith("'") ? token.slice(1, -1) : parts[token] ?? token))
}

function parseDate(text: string, pattern: string | undefined): number {
  if (pattern === undefined) {
    const ms = Date.parse(text)
    if (Number.isNaN(ms)) throw new Error(`"${text}" is not an ISO-8601 timestamp`)
    return ms
  }
  const fields: string[] = []
  const regex = new RegExp(`^${pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(TOKENS, (token) => {
    if (token.startsWith("'")) return token.slice(1, -1)
    fields.push(token)
    return `(\\d{${token.length}})`
  })}$`)
  const match = regex.exec(text)
  if (!match) throw new Error(`"${text}" does not match the format ${pattern}`)
  const value = (token: string, fallback: number) => {
    const index = fields.indexOf(token)
    return index < 0 ? fallback : Number(match[index + 1])
  }
  return Date.UTC(value('yyyy', 1970), value('MM', 1) - 1, value('dd', 1), value('HH', 0), value('mm', 0), value('ss', 0), value('SSS', 0))
}

export const timestampConvert = defineTransform({
  name: 'timestamp-convert',
  aliases: ['org.apache.kafka.connect.transforms.TimestampConverter$Value', 'org.apache.kafka.connect.transforms.TimestampConverter$Key', 'TimestampConverter$Value', 'TimestampConverter$Key'],
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
        case 'string': return formatDate(ms, config.format)
        case 'unix': return Math.trunc(ms / unit)
        case 'Date': return Math.trunc(ms / 86_400_000) * 86_400_000
        case 'Time': return ((ms % 86_400_000) + 86_400_000) % 86_400_000
        case 'Timestamp': return ms
      }
    }
    return {
      apply(record) {
        return updateSide(record, target, (data) => {
          if (config.field === '') return convert(data)
          if (!isPlainObject(data)) return data
          return { ...data, [config.field]: convert(data[config.field]) }
        })
      },
    }
  },
})
