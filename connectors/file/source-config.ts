/**
 * Config of `file-source`; docs/connectors/file-source.md is generated from these descriptions.
 * Kafka's FileStreamSource keys (`file`, `topic`, `batch.size`) mean the same here; runtime keys
 * (`tasks.max`, `transforms.*`, …) pass through.
 */
import { z } from 'zod'
import { intField } from './config-fields.ts'

export const fileSourceConfig = z.looseObject({
  file: z
    .string()
    .min(1)
    .describe(
      "The file to tail; its absolute path is the source partition. It must lie in a directory of the worker's `--file-allowed-paths` (default: its data dir and working directory), symbolic links resolved",
    ),
  topic: z.string().min(1).describe('Topic the lines go to'),
  'batch.size': intField(1).default(2000).describe('Most lines per poll'),
  format: z
    .enum(['text', 'json'])
    .default('text')
    .describe(
      'text: each line is a string value; json: each line is parsed as JSON, and a line that does not parse is sent as its text with the header `tributary.parse.error`',
    ),
  'poll.interval.ms': intField(10)
    .default(250)
    .describe('How often to look for growth when no change event arrives (file change events wake the task sooner)'),
  'poll.max.ms': intField(10).default(1000).describe('Longest one poll waits for new lines'),
})

export type FileSourceConfig = z.infer<typeof fileSourceConfig>
