/**
 * One partition: an ordered list of segments, the only writer to the last of them, and the readers'
 * view of it. Appends are group-committed: batches appended while a write is under way go out in the
 * next vectored write (a group of up to GROUP_MAX_BYTES). In fsync mode the writer does not wait for
 * a group's fdatasync before writing the next group: the sync stage flushes one while the next is
 * written, and acknowledges a group only after an fdatasync that began once its write had ended.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { Clock } from '../clock.ts'
import { abortError } from '../clock.ts'
import { TributaryError, isTributaryError, storageError } from '../errors.ts'
import type { TopicConfig } from './topic-config.ts'
import type { IsolationLevel, StoredRecord } from './log.ts'
import { BatchField, decodeBatchRecords, readBatchHeader, setBaseOffset } from './record-batch.ts'
import { finishInterruptedCompaction } from './compaction-swap.ts'
import { DIR_MODE } from './data-dir-modes.ts'
import { readLogStartOffset, writeLogStartOffset } from './log-start-offset.ts'
import type { Allocate } from './file-io.ts'
import { Segment, type SegmentBatchMeta } from './segment.ts'
import { type OngoingTransactions, transactionEventOf, type TxnEvent } from './ongoing-transactions.ts'
import type { AbortedTransaction, AbortedTxn } from './transaction-index.ts'
import { recoverTransactions, writeTransactionSnapshot } from './transaction-recovery.ts'
import { RecoveredProducers, type RecoveredProducer } from './recovered-producers.ts'
import { SyncStage } from './sync-stage.ts'
import type { BatchPool } from './batch-pool.ts'

export interface PartitionOptions {
  readonly topic: string
  readonly partition: number
  readonly directory: string
  readonly config: TopicConfig
  readonly clock: Clock
  /** Told about recoveries that cut a torn tail, so the operator sees them. */
  readonly onRecovery?: (event: RecoveryEvent) => void
  /** Where the log's own batches were encoded: each is released once written. */
  readonly batchPool?: BatchPool
}

export interface RecoveryEvent {
  readonly topic: string
  readonly partition: number
  readonly file: string
  readonly fromBytes: number
  readonly toBytes: number
  readonly problem: string
}

export interface PartitionRead {
  readonly batches: Buffer[]
  readonly highWatermark: number
  /** The first offset of the oldest undecided transaction, else the high watermark. */
  readonly lastStableOffset: number
  readonly logStartOffset: number
  /** read_committed only: the aborted transactions overlapping the batches returned, by first offset. */
  readonly abortedTransactions?: AbortedTransaction[]
}

interface PendingBatch {
  readonly buf: Buffer
  readonly meta: SegmentBatchMeta
  readonly txn: TxnEvent | undefined
  readonly resolve: (baseOffset: number) => void
  readonly reject: (error: unknown) => void
}

/** A group written, waiting to be acknowledged: where it ends in each segment it touched. */
interface WrittenGroup {
  readonly batches: readonly PendingBatch[]
  /** The active segment when the write ended; any earlier one was sealed (fsynced) by a roll. */
  readonly segment: Segment
  readonly readableEnds: ReadonlyMap<Segment, number>
  readonly highWatermark: number
}

/**
 * The most one write takes from the queue (unless a single batch is larger). Smaller groups let the
 * first acknowledgements return, and producers refill the queue, while later groups are written and
 * flushed; each group's bytes are still in the CPU cache when they are copied to the OS.
 */
const GROUP_MAX_BYTES = 1024 * 1024

const LOG_FILE = /^(\d{20})\.log$/

export class Partition {
  readonly topic: string
  readonly partition: number
  readonly directory: string
  private config: TopicConfig
  private readonly clock: Clock
  private readonly batchPool: BatchPool | undefined
  private segments: Segment[]
  /** The next offset to assign. */
  private logEndOffset: number
  /** One past the last offset readers may see: written (async) or fsynced (fsync mode). */
  private highWatermarkOffset: number
  /** Where DeleteRecords moved the start to; it may lie inside the first segment. */
  private deletedBeforeOffset: number
  private queue: PendingBatch[] = []
  private writerRunning = false
  private writerDone: Promise<void> = Promise.resolve()
  private rollRequested = false
  private dataWaiters = new Set<() => void>()
  private unsyncedRecords = 0
  private syncTimerPending = false
  private timedSync: Promise<void> = Promise.resolve()
  private readonly syncStage = new SyncStage<WrittenGroup>({
    sync: (groups) => this.syncWritten(groups),
    synced: (groups) => {
      for (const group of groups) this.acknowledge(group)
    },
    failed: (error, groups) => {
      this.failure ??= error instanceof TributaryError ? error : storageError('fdatasync', this.directory, error)
      for (const group of groups) for (const pending of group.batches) pending.reject(this.failure)
    },
  })
  private failure: TributaryError | undefined
  private closed = false
  /** Transactions as written: the writer applies each batch as it places it in a segment. */
  private readonly transactions: OngoingTransactions
  /** The producers' last batches as the log held them at open, until the listener takes them. */
  private readonly recoveredProducers: RecoveredProducers
  /** Counters for metrics and for tests that check group commit. */
  readonly stats = { writes: 0, syncs: 0, batches: 0 }

  private constructor(
    options: PartitionOptions,
    segments: Segment[],
    deletedBeforeOffset: number,
    transactions: OngoingTransactions,
    recoveredProducers: RecoveredProducers,
  ) {
    this.topic = options.topic
    this.partition = options.partition
    this.directory = options.directory
    this.config = options.config
    this.clock = options.clock
    this.batchPool = options.batchPool
    this.segments = segments
    this.logEndOffset = segments[segments.length - 1]!.nextOffset
    this.highWatermarkOffset = this.logEndOffset
    this.transactions = transactions
    this.recoveredProducers = recoveredProducers
    transactions.published(this.highWatermarkOffset)
    // Records below a stored start were fsynced before it was stored, so it never passes the end; this
    // only guards against files damaged by hand.
    this.deletedBeforeOffset = Math.min(deletedBeforeOffset, this.logEndOffset)
  }

  static async open(options: PartitionOptions): Promise<Partition> {
    await fs.promises.mkdir(options.directory, { recursive: true, mode: DIR_MODE })
    await finishInterruptedCompaction(options.directory)
    const names = await fs.promises.readdir(options.directory)
    // Half-written index files of a roll that a crash interrupted.
    for (const name of names) if (name.endsWith('.tmp')) await fs.promises.rm(path.join(options.directory, name), { force: true })
    const bases = names
      .map((name) => LOG_FILE.exec(name)?.[1])
      .filter((base): base is string => base !== undefined)
      .map(Number)
      .sort((a, b) => a - b)
    const interval = options.config['index.interval.bytes']
    const now = options.clock.now()
    const segments: Segment[] = []
    for (const [i, base] of bases.entries()) {
      const isLast = i === bases.length - 1
      const { segment, truncated } = await Segment.open(options.directory, base, interval, isLast, now)
      if (truncated) options.onRecovery?.({ topic: options.topic, partition: options.partition, file: segment.logPath, ...truncated })
      segments.push(segment)
    }
    const deletedBefore = await readLogStartOffset(options.directory)
    if (segments.length === 0) segments.push(await Segment.create(options.directory, deletedBefore, interval, now))
    const producers = new RecoveredProducers()
    const transactions = await recoverTransactions(options.directory, segments, (batch) => producers.observe(batch))
    return new Partition(options, segments, deletedBefore, transactions, producers)
  }

  /** A producer's last batches as the log held them at open, once (see recovered-producers.ts). */
  takeRecoveredProducer(producerId: number): RecoveredProducer | undefined {
    return this.recoveredProducers.take(producerId)
  }

  get highWatermark(): number {
    return this.highWatermarkOffset
  }

  /**
   * Kafka's LSO: read_committed readers stop before the oldest transaction not yet decided. Never
   * below the log start offset: once DeleteRecords or retention has removed a transaction's first
   * records, readers are not held before the start (Kafka moves its first unstable offset up too).
   */
  get lastStableOffset(): number {
    return Math.max(this.transactions.lastStableOffset(this.highWatermarkOffset), this.logStartOffset)
  }

  /** Producer id to first offset of each transaction open as written (decided ones excluded). */
  get openTransactions(): ReadonlyMap<number, number> {
    return this.transactions.openTransactions
  }

  /** Kafka's log start offset (low watermark): the first segment's base, or later where records were deleted. */
  get logStartOffset(): number {
    return Math.max(this.deletedBeforeOffset, this.segments[0]!.baseOffset)
  }

  get sizeBytes(): number {
    let total = 0
    for (const segment of this.segments) total += segment.sizeBytes
    return total
  }

  get segmentCount(): number {
    return this.segments.length
  }

  /** Segments no longer written to, oldest first: what retention and compaction may work on. */
  get closedSegments(): readonly Segment[] {
    return this.segments.slice(0, -1)
  }

  get activeSegment(): Segment {
    return this.segments[this.segments.length - 1]!
  }

  updateConfig(config: TopicConfig): void {
    this.config = config
  }

  /**
   * Appends one encoded batch, assigning its offsets now, and resolves with its base offset once the
   * batch is durable per the topic's mode. Appends resolve in offset order. The batch must be one the
   * caller encoded or checked (checkBatch): reads do not check it again.
   */
  appendBatch(buf: Buffer): Promise<number> {
    const refuse = (error: unknown): Promise<number> => {
      this.batchPool?.release(buf)
      return Promise.reject(error)
    }
    if (this.closed) return refuse(new TributaryError('TRB_LOG_CLOSED', `partition ${this.topic}-${this.partition} is closed`))
    if (this.failure) return refuse(this.failure)
    if (buf.length > this.config['max.message.bytes']) {
      return refuse(
        new TributaryError(
          'TRB_LOG_RECORD_TOO_LARGE',
          `batch of ${buf.length} bytes exceeds max.message.bytes ${this.config['max.message.bytes']} of ${this.topic}`,
          { details: { topic: this.topic, sizeBytes: buf.length, limit: this.config['max.message.bytes'] } },
        ),
      )
    }
    let txn: TxnEvent | undefined
    try {
      txn = transactionEventOf(buf)
    } catch (error) {
      return refuse(error)
    }
    const baseOffset = this.logEndOffset
    const lastOffsetDelta = buf.readInt32BE(BatchField.lastOffsetDelta)
    setBaseOffset(buf, 0, baseOffset)
    this.logEndOffset = baseOffset + lastOffsetDelta + 1
    const meta: SegmentBatchMeta = {
      baseOffset,
      lastOffset: baseOffset + lastOffsetDelta,
      maxTimestamp: readBatchHeader(buf, 0).maxTimestamp,
      sizeBytes: buf.length,
    }
    return new Promise<number>((resolve, reject) => {
      this.queue.push({ buf, meta, txn, resolve, reject })
      this.kickWriter()
    })
  }

  /** Starts the writer on the next turn, so every append made in this one joins the same write. */
  private kickWriter(): void {
    if (this.writerRunning) return
    this.writerRunning = true
    this.writerDone = new Promise<void>((done) => setImmediate(() => void this.runWriter().finally(done)))
  }

  /** The partition's only writer: queued groups and requested rolls, one at a time. */
  private async runWriter(): Promise<void> {
    try {
      while ((this.queue.length > 0 || this.rollRequested) && !this.failure) {
        const group = this.takeGroup()
        try {
          if (this.rollRequested) {
            this.rollRequested = false
            if (!this.activeSegment.isEmpty) await this.roll(this.activeSegment.nextOffset)
          }
          if (group.length > 0) await this.commitGroup(group)
        } catch (error) {
          this.failure = error instanceof TributaryError ? error : storageError('append', this.directory, error)
          for (const pending of [...group, ...this.queue]) pending.reject(this.failure)
          this.queue = []
        }
      }
      // A failed fdatasync stopped the loop: what was still queued fails with it.
      if (this.failure) for (const pending of this.queue.splice(0)) pending.reject(this.failure)
    } finally {
      this.writerRunning = false
    }
  }

  /** The oldest queued batches up to GROUP_MAX_BYTES (at least one). */
  private takeGroup(): PendingBatch[] {
    let count = 0
    let bytes = 0
    while (count < this.queue.length && (count === 0 || bytes + this.queue[count]!.meta.sizeBytes <= GROUP_MAX_BYTES)) {
      bytes += this.queue[count]!.meta.sizeBytes
      count++
    }
    if (count === this.queue.length) {
      const group = this.queue
      this.queue = []
      return group
    }
    return this.queue.splice(0, count)
  }

  /**
   * Writes a group; in fsync mode hands it to the sync stage and returns, so the next group is
   * written while this one is flushed; in async mode acknowledges it at once.
   */
  private async commitGroup(group: readonly PendingBatch[]): Promise<void> {
    const touched = await this.writeGroup(group)
    if (this.batchPool) for (const pending of group) this.batchPool.release(pending.buf)
    this.stats.writes++
    this.stats.batches += group.length
    const readableEnds = new Map<Segment, number>()
    for (const segment of touched) readableEnds.set(segment, segment.sizeBytes)
    const written: WrittenGroup = {
      batches: group,
      segment: this.activeSegment,
      readableEnds,
      highWatermark: group[group.length - 1]!.meta.lastOffset + 1,
    }
    // Behind groups still waiting for their fdatasync (durability was just changed to async), a
    // group waits too, so acknowledgements and the high watermark keep offset order.
    if (this.config.durability === 'fsync' || !this.syncStage.isIdle) {
      // After a failed fdatasync no later one proves anything about the pages it lost.
      if (this.failure) throw this.failure
      this.syncStage.add(written)
      return
    }
    await this.noteUnsynced(group)
    this.acknowledge(written)
  }

  /**
   * One fdatasync for every group handed over: of the segment the last of them ended in, if it is
   * still the active one; otherwise a roll sealed (fsynced) it after these writes.
   */
  private async syncWritten(groups: readonly WrittenGroup[]): Promise<void> {
    const segment = groups[groups.length - 1]!.segment
    if (segment !== this.activeSegment) return
    await segment.sync()
    this.stats.syncs++
  }

  private acknowledge(group: WrittenGroup): void {
    this.publish(group.readableEnds, group.highWatermark)
    for (const pending of group.batches) pending.resolve(pending.meta.baseOffset)
  }

  /** Writes a group, rolling segments where size or age says so; returns the segments written to. */
  private async writeGroup(group: readonly PendingBatch[]): Promise<Set<Segment>> {
    const touched = new Set<Segment>()
    let buffers: Buffer[] = []
    let metas: SegmentBatchMeta[] = []
    let bytes = 0
    for (const pending of group) {
      if (this.shouldRoll(bytes + pending.meta.sizeBytes)) {
        if (buffers.length > 0) await this.activeSegment.write(buffers, metas)
        buffers = []
        metas = []
        bytes = 0
        touched.add(this.activeSegment)
        await this.roll(pending.meta.baseOffset)
      }
      if (pending.txn) this.applyTransaction(pending.txn, pending.meta)
      buffers.push(pending.buf)
      metas.push(pending.meta)
      bytes += pending.meta.sizeBytes
    }
    if (buffers.length > 0) await this.activeSegment.write(buffers, metas)
    touched.add(this.activeSegment)
    return touched
  }

  /** After any roll, so a roll's snapshot holds exactly the transactions open at the new base. */
  private applyTransaction(txn: TxnEvent, meta: SegmentBatchMeta): void {
    const aborted = this.transactions.apply(txn, meta.baseOffset, meta.lastOffset)
    if (aborted) this.activeSegment.transactionIndex.append(aborted)
  }

  private shouldRoll(pendingBytes: number): boolean {
    const active = this.activeSegment
    if (active.isEmpty && pendingBytes === 0) return false
    if (active.sizeBytes === 0) return false
    return (
      active.sizeBytes + pendingBytes > this.config['segment.bytes'] || this.clock.now() - active.createdAtMs >= this.config['segment.ms']
    )
  }

  private async roll(baseOffset: number): Promise<void> {
    await this.activeSegment.seal()
    await writeTransactionSnapshot(this.directory, baseOffset, this.transactions)
    this.segments.push(await Segment.create(this.directory, baseOffset, this.config['index.interval.bytes'], this.clock.now()))
  }

  /** Rolls the active segment if it holds data, so retention can delete it; the writer does it in turn. */
  async rollIfNotEmpty(): Promise<void> {
    this.rollRequested = true
    this.kickWriter()
    await this.drain()
    if (this.failure) throw this.failure
  }

  /** Readers may see each segment up to where the group ended in it, and offsets below `highWatermark`. */
  private publish(readableEnds: ReadonlyMap<Segment, number>, highWatermark: number): void {
    for (const [segment, end] of readableEnds) segment.readableBytes = end
    this.highWatermarkOffset = highWatermark
    this.transactions.published(highWatermark)
    if (this.dataWaiters.size === 0) return
    const waiters = [...this.dataWaiters]
    this.dataWaiters.clear()
    for (const wake of waiters) wake()
  }

  /**
   * async mode: fsync in line once flush.messages records are unsynced (as Kafka does), or flush.ms
   * after the first unsynced write.
   */
  private async noteUnsynced(group: readonly PendingBatch[]): Promise<void> {
    for (const pending of group) this.unsyncedRecords += pending.meta.lastOffset - pending.meta.baseOffset + 1
    if (this.unsyncedRecords >= this.config['flush.messages']) {
      this.unsyncedRecords = 0
      await this.activeSegment.sync()
      this.stats.syncs++
    } else if (!this.syncTimerPending) {
      this.syncTimerPending = true
      void this.clock.sleep(this.config['flush.ms']).then(() => {
        this.syncTimerPending = false
        this.unsyncedRecords = 0
        this.timedSync = this.syncQuietly()
      })
    }
  }

  private async syncQuietly(): Promise<void> {
    if (this.closed) return
    try {
      await this.activeSegment.sync()
      this.stats.syncs++
    } catch (error) {
      this.failure = error instanceof TributaryError ? error : storageError('fsync', this.directory, error)
    }
  }

  /**
   * Resolves when every append made so far has been written and, in fsync mode, synced (or failed),
   * and a started timed fsync is done.
   */
  async drain(): Promise<void> {
    while (this.writerRunning || this.queue.length > 0 || !this.syncStage.isIdle) {
      await this.writerDone
      await this.syncStage.idle()
    }
    await this.timedSync
  }

  /**
   * Whole batches from `offset` on, up to about `maxBytes`, in buffers from `allocate`. At the end of
   * the log, waits up to `maxWaitMs` for an append rather than answering empty at once. read_committed
   * stops before the last stable offset (a batch boundary) and lists the aborted transactions the
   * batches overlap.
   */
  async read(
    offset: number,
    maxBytes: number,
    maxWaitMs = 0,
    signal?: AbortSignal,
    isolation: IsolationLevel = 'read_uncommitted',
    allocate?: Allocate,
  ): Promise<PartitionRead> {
    const committed = isolation === 'read_committed'
    const readableEnd = (): number => (committed ? this.lastStableOffset : this.highWatermarkOffset)
    this.checkReadable(offset)
    if (offset >= readableEnd() && maxWaitMs > 0) await this.waitForData(maxWaitMs, signal)
    this.checkReadable(offset)
    const end = readableEnd()
    const answer = (batches: Buffer[]): PartitionRead => {
      const read = {
        batches,
        highWatermark: this.highWatermarkOffset,
        lastStableOffset: this.lastStableOffset,
        logStartOffset: this.logStartOffset,
      }
      return committed ? { ...read, abortedTransactions: this.abortedTransactionsIn(offset, batches) } : read
    }
    if (offset >= end) return answer([])
    const below = (batches: Buffer[]): Buffer[] => (committed ? batchesBefore(batches, end) : batches)
    try {
      return answer(below(await this.readFromSegments(offset, maxBytes, allocate)))
    } catch (error) {
      // Compaction swapped a segment out under this read; the replacement holds the same offsets.
      if (!isTributaryError(error, 'TRB_LOG_OFFSET_OUT_OF_RANGE')) throw error
      this.checkReadable(offset)
      return answer(below(await this.readFromSegments(offset, maxBytes, allocate)))
    }
  }

  /** The aborted transactions overlapping [offset, end of `batches`), as a Fetch lists them. */
  private abortedTransactionsIn(offset: number, batches: readonly Buffer[]): AbortedTransaction[] {
    if (batches.length === 0) return []
    const upperBound = readBatchHeader(batches[batches.length - 1]!, 0).lastOffset + 1
    return this.abortedTransactionsOverlapping(offset, upperBound).map(({ producerId, firstOffset }) => ({ producerId, firstOffset }))
  }

  /** Entries of the segments' aborted-transaction indexes overlapping [from, upperBound). */
  abortedTransactionsOverlapping(from: number, upperBound: number): AbortedTxn[] {
    const found: AbortedTxn[] = []
    const segments = this.segments
    for (let i = this.segmentIndexFor(from); i < segments.length; i++) {
      if (segments[i]!.transactionIndex.collect(from, upperBound, found)) break
    }
    return found
  }

  private async readFromSegments(offset: number, maxBytes: number, allocate: Allocate | undefined): Promise<Buffer[]> {
    // A snapshot: retention or compaction may swap the list while this read awaits the disk.
    const segments = this.segments
    for (let i = this.segmentIndexFor(offset); i < segments.length; i++) {
      const segment = segments[i]!
      const batches = await segment.readBatches(segment.positionFor(offset), maxBytes, offset, allocate)
      if (batches.length > 0) return batches
    }
    return []
  }

  private checkReadable(offset: number): void {
    if (this.closed) throw new TributaryError('TRB_LOG_CLOSED', `partition ${this.topic}-${this.partition} is closed`)
    if (offset < this.logStartOffset || offset > this.highWatermarkOffset) {
      throw new TributaryError(
        'TRB_LOG_OFFSET_OUT_OF_RANGE',
        `offset ${offset} is outside ${this.topic}-${this.partition} [${this.logStartOffset}, ${this.highWatermarkOffset}]`,
        {
          details: {
            topic: this.topic,
            partition: this.partition,
            offset,
            logStartOffset: this.logStartOffset,
            highWatermark: this.highWatermarkOffset,
          },
        },
      )
    }
  }

  private async waitForData(maxWaitMs: number, signal: AbortSignal | undefined): Promise<void> {
    const timeout = new AbortController()
    const onAbort = (): void => timeout.abort()
    signal?.addEventListener('abort', onAbort, { once: true })
    let wake: (() => void) | undefined
    try {
      await Promise.race([
        new Promise<void>((resolve) => {
          wake = resolve
          this.dataWaiters.add(resolve)
        }),
        this.clock.sleep(maxWaitMs, timeout.signal).catch(() => undefined), // aborted once data came first: the wake-up, not a failure
      ])
    } finally {
      timeout.abort()
      signal?.removeEventListener('abort', onAbort)
      if (wake) this.dataWaiters.delete(wake)
    }
    if (signal?.aborted) throw abortError(signal)
  }

  private segmentIndexFor(offset: number): number {
    let low = 0
    let high = this.segments.length - 1
    let found = 0
    while (low <= high) {
      const mid = (low + high) >>> 1
      if (this.segments[mid]!.baseOffset <= offset) {
        found = mid
        low = mid + 1
      } else {
        high = mid - 1
      }
    }
    return found
  }

  /** The first offset whose record timestamp is >= `timestamp`, or the high watermark when none is. */
  async offsetForTimestamp(timestamp: number): Promise<number> {
    for (const segment of this.segments) {
      if (segment.maxTimestamp < timestamp || segment.readableBytes === 0) continue
      let position = segment.positionForTimestamp(timestamp)
      while (position < segment.readableBytes) {
        const batches = await segment.readBatches(position, 1 << 20, 0)
        if (batches.length === 0) break
        for (const batch of batches) {
          position += batch.length
          if (readBatchHeader(batch, 0).maxTimestamp < timestamp) continue
          const records: StoredRecord[] = []
          decodeBatchRecords(batch, this.topic, this.partition, this.logStartOffset, records)
          const hit = records.find((record) => record.timestamp >= timestamp && record.offset < this.highWatermarkOffset)
          if (hit) return hit.offset
        }
      }
    }
    return this.highWatermarkOffset
  }

  /**
   * Kafka's DeleteRecords: moves the log start offset up to `offset` (at most the high watermark) and
   * removes the closed segments wholly below it; reads below it then fail as out of range. The new
   * start is fsynced before this resolves, and so is every record below it first, so a crash can never
   * leave the start past the end of the log. Returns the log start offset, which never moves back.
   */
  async deleteRecordsBefore(offset: number): Promise<number> {
    if (this.closed) throw new TributaryError('TRB_LOG_CLOSED', `partition ${this.topic}-${this.partition} is closed`)
    if (this.failure) throw this.failure
    if (!Number.isSafeInteger(offset) || offset < 0 || offset > this.highWatermarkOffset) {
      throw new TributaryError(
        'TRB_LOG_OFFSET_OUT_OF_RANGE',
        `cannot delete records of ${this.topic}-${this.partition} before ${offset}: the high watermark is ${this.highWatermarkOffset}`,
        { details: { topic: this.topic, partition: this.partition, offset, highWatermark: this.highWatermarkOffset } },
      )
    }
    if (offset <= this.logStartOffset) return this.logStartOffset
    await this.activeSegment.sync()
    await writeLogStartOffset(this.directory, offset)
    this.deletedBeforeOffset = offset
    await this.deleteSegmentsBelowStart()
    return this.logStartOffset
  }

  /** Removes the closed segments whose every offset lies below the log start offset. */
  async deleteSegmentsBelowStart(): Promise<number> {
    const closed = this.closedSegments
    let count = 0
    while (count < closed.length && closed[count]!.nextOffset <= this.deletedBeforeOffset) count++
    return this.deleteOldestSegments(count)
  }

  /** Removes the oldest closed segments for retention; never the active one. */
  async deleteOldestSegments(count: number): Promise<number> {
    const doomed = this.segments.slice(0, Math.min(count, this.segments.length - 1))
    if (doomed.length === 0) return 0
    this.segments = this.segments.slice(doomed.length)
    for (const segment of doomed) await segment.delete()
    return doomed.length
  }

  /** Swaps closed segments for their compacted replacements in one step; readers never see a gap. */
  replaceSegments(old: readonly Segment[], replacements: readonly Segment[]): void {
    const first = this.segments.indexOf(old[0]!)
    if (first < 0 || first + old.length > this.segments.length - 1)
      throw new TributaryError('TRB_INTERNAL', 'segments to replace are not closed segments of this partition')
    this.segments = [...this.segments.slice(0, first), ...replacements, ...this.segments.slice(first + old.length)]
  }

  async close(): Promise<void> {
    if (this.closed) return
    await this.drain()
    this.closed = true
    try {
      if (!this.failure) await this.activeSegment.sync()
    } finally {
      for (const segment of this.segments) await segment.close()
      const waiters = [...this.dataWaiters]
      this.dataWaiters.clear()
      for (const wake of waiters) wake()
    }
  }
}

/** The leading batches that start before `end`. */
function batchesBefore(batches: Buffer[], end: number): Buffer[] {
  let count = 0
  while (count < batches.length && readBatchHeader(batches[count]!, 0).baseOffset < end) count++
  return count === batches.length ? batches : batches.slice(0, count)
}
