/**
 * `file-sink`: writes records as JSON lines. `file` is one path or a template with `${topic}` and
 * `${partition}`. put() buffers; flush() writes and fsyncs every touched file before it resolves, so
 * the offsets committed after it are never ahead of the disk. Accepts Kafka's FileStreamSink keys.
 */
import fs from 'node:fs'
import path from 'node:path'
import { z } from 'zod'
import { TributaryError } from '../../core/errors.ts'
import type { SinkPlugin, SinkRecord } from '../../core/runtime/plugin.ts'

const configSchema = z.object({
  file: z.string().min(1).describe('Output path; ${topic} and ${partition} make one file per topic or partition'),
  format: z.enum(['json', 'raw']).default('json').describe('json: each value as a line of JSON; raw: strings and bytes as they are, as FileStreamSink'),
  envelope: z.enum(['true', 'false']).default('false').transform((v) => v === 'true').describe('Write {topic, partition, offset, timestamp, key, value} per line'),
  'skip.tombstones': z.enum(['true', 'false']).default('false').transform((v) => v === 'true').describe('Skip records with a null value'),
})

export type FileSinkConfig = z.infer<typeof configSchema>

function renderData(data: unknown): unknown {
  return Buffer.isBuffer(data) ? data.toString('base64') : data
}

function line(record: SinkRecord, config: FileSinkConfig): string {
  if (config.envelope) {
    return JSON.stringify({ topic: record.topic, partition: record.partition, offset: record.offset, timestamp: record.timestamp, key: renderData(record.key), value: renderData(record.value) })
  }
  if (config.format === 'raw' && (typeof record.value === 'string' || Buffer.isBuffer(record.value))) return record.value.toString()
  return JSON.stringify(renderData(record.value) ?? null)
}

/**
 * A line cut short by a crash was never flushed whole, so its offset was never committed and the
 * record will come again: cut the fragment off rather than glue the next line onto it.
 */
async function dropTornTail(file: string): Promise<void> {
  let handle: fs.promises.FileHandle
  try {
    handle = await fs.promises.open(file, 'r+')
  } catch {
    return // no file yet
  }
  try {
    const { size } = await handle.stat()
    let end = size
    const chunk = Buffer.alloc(64 * 1024)
    while (end > 0) {
      const start = Math.max(0, end - chunk.length)
      const { bytesRead } = await handle.read(chunk, 0, end - start, start)
      const newline = chunk.subarray(0, bytesRead).lastIndexOf(0x0a)
      if (newline >= 0) {
        end = start + newline + 1
        break
      }
      end = start
    }
    if (end < size) {
      await handle.truncate(end)
      await handle.sync()
    }
  } finally {
    await handle.close()
  }
}

export const fileSink: SinkPlugin<FileSinkConfig> = {
  kind: 'sink',
  name: 'file-sink',
  aliases: ['org.apache.kafka.connect.file.FileStreamSinkConnector', 'FileStreamSink'],
  version: '1.0.0',
  description: 'Writes records as JSON lines to a file (or one per topic), fsynced before offsets commit',
  config: configSchema,
  taskConfigs: (config, maxTasks) => (config.file.includes('${') ? Array.from({ length: maxTasks }, () => config) : [config]),
  createTask(context) {
    const config = context.config
    const buffers = new Map<string, string[]>()
    const handles = new Map<string, fs.promises.FileHandle>()
    const target = (record: SinkRecord) => path.resolve(config.file.replaceAll('${topic}', record.topic).replaceAll('${partition}', String(record.partition)))
    return {
      async start() {},
      async put(records) {
        for (const record of records) {
          if (config['skip.tombstones'] && (record.value === null || record.value === undefined)) continue
          const file = target(record)
          const lines = buffers.get(file) ?? []
          lines.push(line(record, config))
          buffers.set(file, lines)
        }
      },
      async flush() {
        for (const [file, lines] of buffers) {
          if (lines.length === 0) continue
          try {
            let handle = handles.get(file)
            if (handle === undefined) {
              await fs.promises.mkdir(path.dirname(file), { recursive: true })
              await dropTornTail(file)
              handle = await fs.promises.open(file, 'a')
              handles.set(file, handle)
            }
            await handle.writeFile(`${lines.join('\n')}\n`, 'utf8')
            await handle.sync()
            buffers.set(file, [])
          } catch (error) {
            throw new TributaryError('TRB_SINK_WRITE', `writing ${file} failed: ${(error as Error).message}`, { cause: error, details: { file, errno: (error as NodeJS.ErrnoException).code } })
          }
        }
      },
      async stop() {
        for (const handle of handles.values()) await handle.close().catch(() => undefined)
        handles.clear()
        buffers.clear()
      },
    }
  },
}
