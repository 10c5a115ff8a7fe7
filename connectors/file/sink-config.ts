/**
 * Config of `file-sink`; docs/connectors/file-sink.md is generated from these descriptions.
 * Kafka's FileStreamSink keys (`file`, and the runtime's `topics`) mean the same here; runtime keys
 * pass through.
 */
import { z } from 'zod'
import { boolField } from './config-fields.ts'

export const fileSinkConfig = z.looseObject({
  file: z
    .string()
    .min(1)
    .describe(
      "Output path; `${topic}` and `${partition}` in it make one file per topic or partition (parent directories are created). It must lie in a directory of the worker's `--file-allowed-paths` (default: its data dir and working directory), symbolic links resolved",
    ),
  format: z
    .enum(['json', 'raw'])
    .default('json')
    .describe(
      'json: each value as one line of JSON (strings quoted, bytes as base64); raw: strings and bytes written as they are, as FileStreamSink does (other values as JSON)',
    ),
  envelope: boolField
    .prefault('false')
    .describe('Write `{topic, partition, offset, timestamp, key, value}` per line instead of the bare value'),
  'skip.tombstones': boolField.prefault('false').describe('Skip records with a null value instead of writing `null`'),
})

export type FileSinkConfig = z.infer<typeof fileSinkConfig>
