/**
 * The keys every connector has, whatever its plugin: Kafka Connect's own names where one exists.
 * Plugin-specific keys are parsed by the plugin's schema; transforms and converters by theirs.
 */
import { z } from 'zod'

const intFromString = (min: number) => z.coerce.number().int().min(min)
const boolFromString = z.union([z.boolean(), z.enum(['true', 'false']).transform((value) => value === 'true')])
const list = z.string().transform((value) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0),
)

export const connectorSettingsSchema = z.object({
  'connector.class': z.string().min(1).describe('The plugin: its name (file-source) or a Kafka Connect class alias'),
  'tasks.max': intFromString(1).max(1024).default(1).describe('Most tasks the connector may split into'),
  topics: list.optional().describe('Sinks: the topics to consume, comma separated'),
  'topics.regex': z.string().optional().describe('Sinks: consume every topic whose whole name matches'),
  'consumer.auto.offset.reset': z
    .enum(['earliest', 'latest'])
    .default('earliest')
    .describe('Sinks: where to start with no committed offset'),
  'errors.tolerance': z
    .enum(['none', 'all'])
    .default('none')
    .describe('none fails the task on a bad record; all sends it to the dead-letter topic'),
  'errors.retry.timeout': intFromString(-1).default(0).describe('How long to retry a retriable failure, ms; -1 forever'),
  'errors.retry.delay.max.ms': intFromString(1).default(60_000).describe('Longest wait between retries, ms'),
  'errors.deadletterqueue.topic.name': z.string().default('').describe('Where records that fail go when errors.tolerance is all'),
  'errors.deadletterqueue.context.headers.enable': boolFromString
    .default(true)
    .describe('Add the error and origin as __connect.errors.* headers'),
  'errors.log.enable': boolFromString.default(true).describe('Log each tolerated failure'),
  'restart.max.attempts': intFromString(0).default(10).describe('Automatic restarts of a failing task before it is left FAILED'),
  'restart.backoff.ms': intFromString(1).default(1000).describe('Wait before the first automatic restart, ms; doubles each time'),
  'restart.backoff.max.ms': intFromString(1).default(60_000).describe('Longest wait between automatic restarts, ms'),
  'topic.creation.default.partitions': intFromString(1).default(1).describe('Partitions of a topic a source creates by writing to it'),
  'exactly.once.support': z
    .enum(['requested', 'required'])
    .default('requested')
    .describe(
      "Sources and sinks whose store is the log (topic-sink): requested writes each batch (a flush's output) and its offsets in one transaction when the worker has exactly-once enabled; required refuses to run otherwise",
    ),
  'poll.max.records': intFromString(1).default(2000).describe('Sinks: most records handed to put() at once'),
})

export type ConnectorSettings = z.infer<typeof connectorSettingsSchema>
