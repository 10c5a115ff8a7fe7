/**
 * Heartbeat records, as Debezium's `heartbeat.interval.ms`: while the captured tables are idle but
 * the binlog moves on (other tables, other databases), a record on `<topic.heartbeat.prefix>.<prefix>`
 * carries the newer position into the stored offset. Without it a restart would read all that binlog
 * again, and fail if the server had purged it meanwhile.
 */
import type { SourceOffset, SourceRecord } from '../../../core/runtime/plugin.ts'

export class Heartbeat {
  private readonly topic: string
  private readonly serverName: string
  private readonly intervalMs: number
  private lastBeatMs = Date.now()
  /** The position handed out last. */
  private lastPosition = ''

  constructor(options: { topicPrefix: string; serverName: string; intervalMs: number }) {
    this.topic = `${options.topicPrefix}.${options.serverName}`
    this.serverName = options.serverName
    this.intervalMs = options.intervalMs
  }

  /** The stream starts at the stored offset: that position needs no heartbeat. */
  startAt(offset: SourceOffset | undefined): void {
    if (offset !== undefined) this.lastPosition = positionKey(offset)
  }

  /** After a poll: a heartbeat when one is due and the idle position moved past what was handed out. */
  after(records: readonly SourceRecord[], idleOffset: SourceOffset | undefined): SourceRecord | undefined {
    const now = Date.now()
    const last = records.at(-1)
    if (last !== undefined) {
      this.lastPosition = positionKey(last.sourceOffset)
      this.lastBeatMs = now
      return undefined
    }
    if (this.intervalMs === 0 || now - this.lastBeatMs < this.intervalMs || idleOffset === undefined) return undefined
    this.lastBeatMs = now
    const position = positionKey(idleOffset)
    if (position === this.lastPosition) return undefined
    this.lastPosition = position
    return {
      topic: this.topic,
      key: { serverName: this.serverName },
      value: { ts_ms: now },
      timestamp: now,
      sourcePartition: { server: this.serverName },
      sourceOffset: idleOffset,
    }
  }
}

function positionKey(offset: SourceOffset): string {
  return `${String(offset.file)}:${String(offset.pos)}:${String(offset.event)}`
}
