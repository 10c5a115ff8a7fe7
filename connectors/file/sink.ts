/**
 * `file-sink`: writes records as lines (JSON by default). `file` is one path or a template with
 * `${topic}` and `${partition}`. put() buffers per file; flush() writes every touched file and fsyncs
 * it before it resolves, so the offsets committed after it are never ahead of the disk. Handles stay
 * open between flushes. Accepts Kafka's FileStreamSink keys.
 */
import fs from 'node:fs'
import path from 'node:path'
import {
  TributaryError,
  isTributaryError,
  definePlugin,
  openUnfollowed,
  type SinkRecord,
  type SinkTask,
  type SinkTaskContext,
} from '../../core/runtime/plugin.ts'
import { recordLine } from './record-line.ts'
import { fileSinkConfig, type FileSinkConfig } from './sink-config.ts'
import { dropTornTail } from './torn-tail.ts'

/** Append mode; openUnfollowed adds the refusal of a symbolic link as the last component, which the sandbox's check resolved away. */
const APPEND = fs.constants.O_WRONLY | fs.constants.O_APPEND | fs.constants.O_CREAT

class FileSinkTask implements SinkTask {
  private readonly context: SinkTaskContext<FileSinkConfig>
  /** Lines put() since the last successful write of each file. */
  private readonly pending = new Map<string, Buffer[]>()
  private readonly handles = new Map<string, fs.promises.FileHandle>()

  constructor(context: SinkTaskContext<FileSinkConfig>) {
    this.context = context
  }

  async start(): Promise<void> {}

  async put(records: readonly SinkRecord[]): Promise<void> {
    const { config } = this.context
    for (const record of records) {
      if (config['skip.tombstones'] && (record.value === null || record.value === undefined)) continue
      const file = this.target(record)
      const lines = this.pending.get(file)
      const line = recordLine(record, config)
      if (lines === undefined) this.pending.set(file, [line])
      else lines.push(line)
    }
  }

  async flush(): Promise<void> {
    const batch = [...this.pending]
    this.pending.clear()
    const results = await Promise.allSettled(batch.map(([file, lines]) => this.writeFile(file, lines)))
    const failed = results.find((result) => result.status === 'rejected')
    if (failed !== undefined) throw failed.reason
  }

  async stop(): Promise<void> {
    // Unflushed lines are dropped: their offsets were not committed, so they come again.
    this.pending.clear()
    const open = [...this.handles]
    this.handles.clear()
    await Promise.all(
      open.map(([file, handle]) =>
        handle.close().catch((err: unknown) => this.context.logger.debug({ err, file }, 'closing a file on stop failed')),
      ),
    )
  }

  private target(record: SinkRecord): string {
    return path.resolve(this.context.config.file.replaceAll('${topic}', record.topic).replaceAll('${partition}', String(record.partition)))
  }

  private async handleFor(file: string): Promise<fs.promises.FileHandle> {
    const open = this.handles.get(file)
    if (open !== undefined) return open
    // Checked on every open: a link swapped in since the connector was created is refused here.
    const real = this.context.policy.checkPath(file, 'write')
    await fs.promises.mkdir(path.dirname(real), { recursive: true })
    await dropTornTail(real)
    const handle = await openUnfollowed(real, APPEND, 'write', 0o666)
    this.handles.set(file, handle)
    return handle
  }

  private async writeFile(file: string, lines: Buffer[]): Promise<void> {
    try {
      const handle = await this.handleFor(file)
      await handle.writeFile(Buffer.concat(lines))
      await handle.sync()
    } catch (error) {
      // Put the lines back for the retry, and reopen then, which cuts any half-written line.
      this.pending.set(file, [...lines, ...(this.pending.get(file) ?? [])])
      const handle = this.handles.get(file)
      this.handles.delete(file)
      await handle?.close().catch(() => undefined) // the write error is the one to report; the lines are pending again
      if (isTributaryError(error, 'TRB_PATH_NOT_ALLOWED')) throw error
      throw new TributaryError('TRB_SINK_WRITE', `writing ${file} failed: ${(error as Error).message}`, {
        cause: error,
        details: { file, errno: (error as NodeJS.ErrnoException).code },
      })
    }
  }
}

export const fileSink = definePlugin({
  kind: 'sink',
  name: 'file-sink',
  aliases: ['org.apache.kafka.connect.file.FileStreamSinkConnector', 'FileStreamSink'],
  version: '1.0.0',
  description: 'Writes records as JSON lines to a file (or one per topic or partition), fsynced before offsets commit',
  config: fileSinkConfig,
  taskConfigs: (config, maxTasks) => (hasOneWriterPerFile(config) ? Array.from({ length: Math.max(1, maxTasks) }, () => config) : [config]),
  // A template is checked with sample values; each file it names is checked again when it is opened.
  targets: (config) => ({
    paths: [{ key: 'file', path: config.file.replaceAll('${topic}', 'topic').replaceAll('${partition}', '0'), access: 'write' }],
  }),
  createTask: (context) => new FileSinkTask(context),
})

/**
 * Tasks may split only when no two of them can write one file: a partition belongs to one task, so
 * the template must name the partition and tell topics apart (or the connector reads one topic).
 */
function hasOneWriterPerFile(config: FileSinkConfig): boolean {
  if (!config.file.includes('${partition}')) return false
  if (config.file.includes('${topic}')) return true
  const topics = config.topics
  return typeof topics === 'string' && !topics.includes(',') && config['topics.regex'] === undefined
}
