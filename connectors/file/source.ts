/**
 * `file-source`: tails a file line by line into a topic. The offset is the byte position after the
 * last line written to the log (with the file's inode), so a restart resumes exactly there. Accepts
 * Kafka's FileStreamSource keys (`file`, `topic`, `batch.size`).
 */
import path from 'node:path'
import { z } from 'zod'
import type { SourcePlugin, SourceRecord } from '../../core/runtime/plugin.ts'
import { FileTailer } from './file-tailer.ts'

const configSchema = z.object({
  file: z.string().min(1).describe('The file to tail'),
  topic: z.string().min(1).describe('Topic the lines go to'),
  'batch.size': z.coerce.number().int().min(1).default(2000).describe('Most lines per poll'),
  format: z.enum(['text', 'json']).default('text').describe('text: each line is a string value; json: each line is parsed as JSON'),
  'poll.interval.ms': z.coerce.number().int().min(10).default(250).describe('How often to look for growth when no change event arrives'),
  'poll.max.ms': z.coerce.number().int().min(10).default(1000).describe('Longest a poll waits for new lines'),
})

export type FileSourceConfig = z.infer<typeof configSchema>

export const fileSource: SourcePlugin<FileSourceConfig> = {
  kind: 'source',
  name: 'file-source',
  aliases: ['org.apache.kafka.connect.file.FileStreamSourceConnector', 'FileStreamSource'],
  version: '1.0.0',
  description: 'Tails a file line by line; resumes at the byte position after a restart, follows rotation',
  config: configSchema,
  taskConfigs: (config) => [config],
  createTask(context) {
    const config = context.config
    const file = path.resolve(config.file)
    const partition = { file }
    let tailer: FileTailer | undefined
    return {
      async start() {
        const stored = await context.storedOffset(partition)
        const position = typeof stored?.position === 'number' ? stored.position : 0
        const inode = typeof stored?.inode === 'number' ? stored.inode : null
        tailer = new FileTailer(file, { position, inode })
      },
      async poll(signal) {
        if (tailer === undefined) return []
        const deadline = Date.now() + config['poll.max.ms']
        for (;;) {
          const lines = tailer.readLines(config['batch.size'])
          if (lines.length > 0) {
            return lines.map((line): SourceRecord => ({
              topic: config.topic,
              key: null,
              value: config.format === 'json' ? parseJsonLine(line.text) : line.text,
              ...(config.format === 'json' && !isJson(line.text) && { headers: { 'tributary.parse.error': 'line is not valid JSON; kept as text' } }),
              sourcePartition: partition,
              sourceOffset: { position: line.end.position, inode: line.end.inode },
            }))
          }
          const left = deadline - Date.now()
          if (left <= 0 || signal.aborted) return []
          await tailer.waitForChange(Math.min(left, config['poll.interval.ms']), signal)
        }
      },
      async stop() {
        tailer?.close()
        tailer = undefined
      },
    }
  },
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}

/** A line that is not JSON is kept as its text (with a header saying so) rather than lost. */
function parseJsonLine(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}
