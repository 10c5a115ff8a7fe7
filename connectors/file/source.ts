/**
 * `file-source`: tails a file line by line into a topic. The offset is the byte position after the
 * last line handed out, with the file's inode, so a restart resumes exactly there (and finds a file
 * rotated away since by that inode). Only complete lines are emitted. Accepts Kafka's
 * FileStreamSource keys (`file`, `topic`, `batch.size`).
 */
import path from 'node:path'
import {
  TributaryError,
  isTributaryError,
  definePlugin,
  type RecordHeaders,
  type SourceRecord,
  type SourceTask,
  type SourceTaskContext,
} from '../../core/runtime/plugin.ts'
import { FileTailer, type TailedLine } from './file-tailer.ts'
import { fileSourceConfig, type FileSourceConfig } from './source-config.ts'

export const PARSE_ERROR_HEADER = 'tributary.parse.error'

class FileSourceTask implements SourceTask {
  private readonly context: SourceTaskContext<FileSourceConfig>
  private readonly file: string
  private readonly partition: { file: string }
  private readonly stopping = new AbortController()
  private tailer: FileTailer | undefined

  constructor(context: SourceTaskContext<FileSourceConfig>) {
    this.context = context
    this.file = path.resolve(context.config.file)
    this.partition = { file: this.file }
  }

  async start(): Promise<void> {
    const { context, file } = this
    const stored = await context.storedOffset(this.partition)
    const position = typeof stored?.position === 'number' ? stored.position : 0
    const inode = typeof stored?.inode === 'number' ? stored.inode : null
    // Every open (a rotated file, one found by its inode) goes through the sandbox again.
    const resolve = (name: string) => context.policy.checkPath(name, 'read')
    resolve(file)
    this.tailer = new FileTailer(file, { position, inode }, { resolve })
    context.logger.info({ file, position, inode }, stored === undefined ? 'tailing from the start' : 'resuming after the stored offset')
  }

  async poll(signal: AbortSignal): Promise<SourceRecord[]> {
    const current = this.tailer
    if (current === undefined) return []
    const { config } = this.context
    const done = AbortSignal.any([signal, this.context.signal, this.stopping.signal])
    const deadline = Date.now() + config['poll.max.ms']
    for (;;) {
      const lines = await this.read(current)
      if (lines.length > 0) return lines.map((line) => this.toRecord(line))
      const left = deadline - Date.now()
      if (left <= 0 || done.aborted) return []
      await current.waitForChange(Math.min(left, config['poll.interval.ms']), done)
    }
  }

  // No commit(): the runtime stores the offsets; a file has nothing upstream to confirm.
  async stop(): Promise<void> {
    this.stopping.abort()
    const current = this.tailer
    this.tailer = undefined
    await current?.close()
  }

  private toRecord(line: TailedLine): SourceRecord {
    const { config } = this.context
    const { value, headers } = config.format === 'json' ? parseLine(line.text) : { value: line.text, headers: undefined }
    return {
      topic: config.topic,
      key: null,
      value,
      ...(headers !== undefined && { headers }),
      timestamp: this.context.clock.now(),
      sourcePartition: this.partition,
      sourceOffset: { position: line.end.position, inode: line.end.inode },
    }
  }

  private async read(current: FileTailer): Promise<TailedLine[]> {
    const { file } = this
    try {
      return await current.read(this.context.config['batch.size'])
    } catch (error) {
      if (this.stopping.signal.aborted) return [] // the file was closed under the read by stop()
      if (isTributaryError(error, 'TRB_PATH_NOT_ALLOWED')) throw error
      throw new TributaryError('TRB_SOURCE_READ', `reading ${file} failed: ${(error as Error).message}`, {
        cause: error,
        details: { file, errno: (error as NodeJS.ErrnoException).code },
      })
    }
  }
}

export const fileSource = definePlugin({
  kind: 'source',
  name: 'file-source',
  aliases: ['org.apache.kafka.connect.file.FileStreamSourceConnector', 'FileStreamSource'],
  version: '1.0.0',
  description: 'Tails a file line by line; resumes at the byte position after a restart, follows rotation',
  config: fileSourceConfig,
  // One file is one ordered stream: one task.
  taskConfigs: (config) => [config],
  targets: (config) => ({ paths: [{ key: 'file', path: config.file, access: 'read' }] }),
  createTask: (context) => new FileSourceTask(context),
})

/** A line that is not JSON is kept as its text, with a header saying why, rather than lost. */
function parseLine(text: string): { value: unknown; headers: RecordHeaders | undefined } {
  try {
    return { value: JSON.parse(text) as unknown, headers: undefined }
  } catch (error) {
    return { value: text, headers: { [PARSE_ERROR_HEADER]: (error as Error).message } }
  }
}
