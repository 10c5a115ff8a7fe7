/**
 * The binlog as a pull stream: zongji (on mysql2) connects as a replica from a file and position
 * and pushes decoded events; they queue here until `take()` hands them out in batches. The stream
 * ends on the first error, which `take()` then throws: the task restarts and reconnects from its
 * stored offset.
 */
import ZongJi, { type AnyBinlogEvent } from '@vlasky/zongji'
import { Wakeup } from '../../core/runtime/plugin.ts'
import { SYSTEM_DATABASES, type ConnectionSettings } from './config.ts'
import { driverOptions } from './mysql-options.ts'

export interface BinlogPosition {
  readonly file: string
  readonly pos: number
}

/** The events the reader needs; tablemap must be on for zongji to decode rows. */
const EVENTS = ['rotate', 'tablemap', 'writerows', 'updaterows', 'deleterows', 'xid', 'query', 'mariadbgtid', 'gtid', 'anonymousgtid']

export class BinlogStream {
  private readonly zongji: ZongJi
  private readonly queue: AnyBinlogEvent[] = []
  private failure: Error | undefined
  private readonly wakeup = new Wakeup()
  private stopped = false

  private constructor(zongji: ZongJi) {
    this.zongji = zongji
  }

  /** Connects and starts reading at `from`; resolves once the server accepted the dump request. */
  static async start(settings: ConnectionSettings, serverId: number, from: BinlogPosition): Promise<BinlogStream> {
    const zongji = new ZongJi(driverOptions(settings))
    const stream = new BinlogStream(zongji)
    await new Promise<void>((resolve, reject) => {
      zongji.once('ready', () => resolve())
      zongji.on('error', (error: Error) => {
        reject(error)
        stream.fail(error)
      })
      zongji.on('binlog', (event: AnyBinlogEvent) => stream.push(event))
      zongji.start({
        serverId,
        filename: from.file,
        position: from.pos,
        includeEvents: EVENTS,
        excludeSchema: Object.fromEntries([...SYSTEM_DATABASES].map((name) => [name, true as const])),
      })
    }).catch((error: unknown) => {
      zongji.stop()
      throw error
    })
    return stream
  }

  /**
   * Events carrying up to `maxRows` rows (at least one event), waiting up to `waitMs` for the first;
   * throws the stream's error once drained. Counting rows, not events, keeps a poll's size bounded
   * when one rows event holds hundreds of rows.
   */
  async take(maxRows: number, waitMs: number, signal: AbortSignal): Promise<AnyBinlogEvent[]> {
    if (this.queue.length === 0 && this.failure === undefined) await this.wakeup.wait(waitMs, signal)
    if (this.queue.length === 0 && this.failure !== undefined) throw this.failure
    let count = 0
    let rows = 0
    for (const event of this.queue) {
      if (count > 0 && rows >= maxRows) break
      rows += (event as { rows?: unknown[] }).rows?.length ?? 0
      count++
    }
    return this.queue.splice(0, count)
  }

  stop(): void {
    if (this.stopped) return
    this.stopped = true
    this.zongji.stop()
  }

  private push(event: AnyBinlogEvent): void {
    this.queue.push(event)
    this.wakeup.wake()
  }

  private fail(error: Error): void {
    this.failure ??= error
    this.wakeup.wake()
  }
}
