/**
 * Kafka's predicates: `predicates=p1`, `predicates.p1.type=TopicNameMatches`, then a transform with
 * `predicate=p1` (and `negate=true`) applies only where the predicate holds (or does not).
 */
import { z, type ZodType } from 'zod'
import type { ConnectRecord } from '../plugin.ts'

export interface PredicatePlugin {
  readonly name: string
  readonly aliases: readonly string[]
  readonly description: string
  readonly config: ZodType<unknown>
  create(config: never): (record: ConnectRecord) => boolean
}

const validRegex = z
  .string()
  .min(1)
  .refine((value) => {
    try {
      new RegExp(value)
      return true
    } catch {
      return false
    }
  }, 'is not a valid regular expression')

const topicNameMatches = {
  name: 'topic-name-matches',
  aliases: ['org.apache.kafka.connect.transforms.predicates.TopicNameMatches', 'TopicNameMatches'],
  description: 'True when the whole topic name matches pattern',
  config: z.object({ pattern: validRegex.describe('Regular expression over the topic name') }),
  create(config: { pattern: string }) {
    const whole = new RegExp(`^(?:${config.pattern})$`)
    return (record: ConnectRecord) => whole.test(record.topic)
  },
}

const hasHeaderKey = {
  name: 'has-header-key',
  aliases: ['org.apache.kafka.connect.transforms.predicates.HasHeaderKey', 'HasHeaderKey'],
  description: 'True when the record has a header with this name',
  config: z.object({ name: z.string().min(1).describe('Header name') }),
  create(config: { name: string }) {
    return (record: ConnectRecord) => record.headers !== undefined && config.name in record.headers
  },
}

const recordIsTombstone = {
  name: 'record-is-tombstone',
  aliases: ['org.apache.kafka.connect.transforms.predicates.RecordIsTombstone', 'RecordIsTombstone'],
  description: 'True for records whose value is null',
  config: z.object({}),
  create() {
    return (record: ConnectRecord) => record.value === null || record.value === undefined
  },
}

export const predicatePlugins: readonly PredicatePlugin[] = [
  topicNameMatches,
  hasHeaderKey,
  recordIsTombstone,
] as unknown as PredicatePlugin[]

export function findPredicate(type: string): PredicatePlugin | undefined {
  return predicatePlugins.find((plugin) => plugin.name === type || plugin.aliases.includes(type))
}
