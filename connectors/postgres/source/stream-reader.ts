/**
 * Turns the replication stream into change records with offsets that are always safe to resume
 * from. Every record of a transaction carries the previous commit's end LSN as its resume point,
 * except the transaction's last record, which is held back until the commit arrives and then carries
 * the commit's end LSN: a restart replays at most the unfinished transaction, and `commit()` can
 * confirm exactly the transactions that are durable. Streamed (in-progress) transactions are held
 * until they commit, and dropped if they abort; a change made inside a savepoint carries its
 * subtransaction's xid, so rolling the savepoint back drops just that subtransaction's changes.
 * A batch that ends inside a transaction (the poll's size cut it) says in its last record's offset
 * how many of the transaction's records it holds (TRANSACTION_RECORDS): a task resumed from that
 * offset gets the whole transaction again from the server and skips those, so with exactly-once
 * sources, whose offsets commit with the batch, none of them reaches the log twice.
 */
import type { SourceOffset, SourceRecord } from '../../../core/runtime/plugin.ts'
import { keyText, type ChangeEvents, type EventContext, type Relation } from './change-events.ts'
import { formatLsn, type Lsn } from './lsn.ts'
import type { PgOutputMessage, RelationColumn } from './pgoutput.ts'
import type { ReplicationEvent } from './replication-stream.ts'

export interface StreamReaderOptions {
  readonly events: ChangeEvents
  /** Called for every relation message (the first of a session, or after a DDL change): the table's schemas from then on. */
  readonly onRelation: (
    relationId: number,
    relation: { schema: string; table: string; columns: readonly RelationColumn[] },
  ) => Promise<Relation>
  /** The resume LSN the stream started from. */
  readonly startLsn: Lsn
  /** The first transaction after startLsn was partly handed out before: its first records are skipped. */
  readonly within?: ResumeWithin
}

/** Resuming inside a transaction: its first `records` records were handed out already. */
export interface ResumeWithin {
  readonly xid: number
  readonly records: number
}

interface Transaction {
  xid: number | null
  commitTimeUs: number
  records: SourceRecord[]
}

/** A streamed transaction's changes so far, each with the xid of the (sub)transaction that made it. */
interface HeldStream {
  records: SourceRecord[]
  madeBy: number[]
}

/** Marks the records that end a transaction: confirming their LSN upstream is safe once durable. */
export const TRANSACTION_END = 'txn_end'
/** On the last record of a batch that ends inside transaction `txId`: how many of its records the batch ends with. */
export const TRANSACTION_RECORDS = 'txn_records'

/** The partly handed-out transaction a stored offset names, if it names one. */
export function resumeWithin(offset: SourceOffset | undefined): ResumeWithin | undefined {
  const xid = offset?.txId
  const records = offset?.[TRANSACTION_RECORDS]
  return typeof xid === 'number' && typeof records === 'number' && records > 0 ? { xid, records } : undefined
}

export class StreamReader {
  private readonly options: StreamReaderOptions
  private readonly relations = new Map<number, Relation>()
  private lastCommitLsn: Lsn
  private current: Transaction | undefined
  /** The held-back last record of the open (non-streamed) transaction. */
  private heldBack: SourceRecord | undefined
  /** Records of the open transaction handed out so far, in this run or (skipped now) before it. */
  private handedInTransaction = 0
  /** The open transaction's newest record handed out. */
  private lastHanded: SourceRecord | undefined
  /** Until the first transaction commits: the records of it to skip, handed out before a restart. */
  private skip: ResumeWithin | undefined
  /** Streamed transactions by top-level xid. */
  private readonly streamed = new Map<number, HeldStream>()
  private streamXid: number | null = null
  private sharedOffset: { lsn: Lsn; xid: number | null; ledger: SourceOffset; offset: SourceOffset } | undefined
  /** Fields every change's offset carries besides its position: the snapshot ledger (snapshot/snapshot-ledger.ts). */
  snapshotOffset: SourceOffset = {}

  constructor(options: StreamReaderOptions) {
    this.options = options
    this.lastCommitLsn = options.startLsn
    this.skip = options.within
  }

  /** Records ready to hand to the runtime, in order. */
  async accept(events: readonly ReplicationEvent[]): Promise<SourceRecord[]> {
    const ready: SourceRecord[] = []
    for (const { lsn, message } of events) {
      // Only a relation message waits (for its column types); the rest are handled without a promise each.
      if (message.tag === 'relation') {
        const { relationId, schema, table, columns } = message
        this.relations.set(relationId, await this.options.onRelation(relationId, { schema, table, columns }))
      } else {
        this.handle(lsn, message, ready)
      }
    }
    // Ends inside a transaction: the last record says how much of it is handed out.
    const last = ready.at(-1)
    if (this.current !== undefined && last !== undefined && last === this.lastHanded) {
      ready[ready.length - 1] = { ...last, sourceOffset: { ...last.sourceOffset, [TRANSACTION_RECORDS]: this.handedInTransaction } }
    }
    return ready
  }

  /** Where a stream opened anew resumes to hand out what follows the records handed out so far. */
  get resumePosition(): { lsn: Lsn; within: ResumeWithin | undefined } {
    const xid = this.current?.xid
    return {
      lsn: this.lastCommitLsn,
      within: xid !== undefined && xid !== null && this.handedInTransaction > 0 ? { xid, records: this.handedInTransaction } : undefined,
    }
  }

  get resumeLsn(): Lsn {
    return this.lastCommitLsn
  }

  /** Changes of streamed transactions held until they commit. */
  get heldStreamedChanges(): number {
    let count = 0
    for (const held of this.streamed.values()) count += held.records.length
    return count
  }

  /** True while a transaction sent at its commit is partly read: its last record is held back. */
  get inTransaction(): boolean {
    return this.current !== undefined
  }

  /** True when no transaction is open or held: the server's idle position may be confirmed. */
  get isIdle(): boolean {
    return this.current === undefined && this.streamed.size === 0
  }

  private handle(lsn: Lsn, message: Exclude<PgOutputMessage, { tag: 'relation' }>, ready: SourceRecord[]): void {
    switch (message.tag) {
      case 'begin':
        this.current = { xid: message.xid, commitTimeUs: message.commitTimeUs, records: [] }
        this.handedInTransaction = 0
        this.lastHanded = undefined
        // Only the first transaction can be the one partly handed out.
        if (this.skip !== undefined && this.skip.xid !== message.xid) this.skip = undefined
        return
      case 'commit': {
        const held = this.heldBack
        this.heldBack = undefined
        this.current = undefined
        this.skip = undefined
        this.lastHanded = undefined
        this.lastCommitLsn = message.endLsn
        if (held !== undefined) ready.push(this.stampEnd(held, message.endLsn))
        return
      }
      case 'streamStart':
        this.streamXid = message.xid
        this.heldFor(message.xid)
        return
      case 'streamStop':
        this.streamXid = null
        return
      case 'streamAbort':
        this.abortStreamed(message.xid, message.subXid)
        return
      case 'streamCommit': {
        const all = this.streamed.get(message.xid)?.records ?? []
        this.streamed.delete(message.xid)
        const records = this.skip?.xid === message.xid ? all.slice(this.skip.records) : all
        this.skip = undefined
        const previous = this.lastCommitLsn
        this.lastCommitLsn = message.endLsn
        const skipped = all.length - records.length
        // Each record but the last says how many of the transaction's records come up to it: handed
        // out whole, the transaction may still go to the log in several batches (record-backlog.ts).
        records.forEach((record, index) => {
          const isLast = index === records.length - 1
          const context = {
            ...(record.sourceOffset as Record<string, string | number | null>),
            lsn: formatLsn(isLast ? message.endLsn : previous),
            txId: message.xid,
          }
          ready.push(
            isLast
              ? this.stampEnd({ ...record, sourceOffset: context }, message.endLsn)
              : { ...record, sourceOffset: { ...context, [TRANSACTION_RECORDS]: skipped + index + 1 } },
          )
        })
        return
      }
      case 'insert':
      case 'update':
      case 'delete':
      case 'truncate':
        this.change(lsn, message, ready)
        return
      default:
        return // origin, type, message: nothing to emit
    }
  }

  private change(
    lsn: Lsn,
    message: Extract<PgOutputMessage, { tag: 'insert' | 'update' | 'delete' | 'truncate' }>,
    ready: SourceRecord[],
  ): void {
    // Inside a stream block a change names the (sub)transaction that made it; the block names the top-level one.
    const madeBy = message.xid
    const streamedXid = madeBy === undefined ? null : (this.streamXid ?? madeBy)
    const txn = this.current
    const xid = streamedXid ?? txn?.xid ?? null
    const context: EventContext = {
      xid,
      commitTimeUs: txn?.commitTimeUs ?? Date.now() * 1000,
      lsn,
      lastCommitLsn: this.lastCommitLsn,
      snapshot: 'false',
      offset: this.resumeOffset(xid),
    }
    const records = this.recordsFor(message, context)
    if (streamedXid !== null && madeBy !== undefined) {
      const held = this.heldFor(streamedXid)
      for (const record of records) {
        held.records.push(record)
        held.madeBy.push(madeBy)
      }
      return
    }
    // Hold back the newest record: it may be the transaction's last.
    for (const record of records) {
      if (this.skip !== undefined && txn !== undefined && this.handedInTransaction < this.skip.records) {
        this.handedInTransaction++ // in the log already, from before the restart
        continue
      }
      if (this.heldBack !== undefined) {
        ready.push(this.heldBack)
        this.handedInTransaction++
        this.lastHanded = this.heldBack
      }
      this.heldBack = record
    }
  }

  /** What is held of a streamed transaction, from its first stream block on. */
  private heldFor(xid: number): HeldStream {
    let held = this.streamed.get(xid)
    if (held === undefined) {
      held = { records: [], madeBy: [] }
      this.streamed.set(xid, held)
    }
    return held
  }

  /**
   * The whole transaction when `subXid` is its own xid; otherwise the changes of that one
   * subtransaction (a savepoint rolled back: the server sends an abort for each subtransaction it ends).
   */
  private abortStreamed(xid: number, subXid: number): void {
    const held = this.streamed.get(xid)
    if (held === undefined) return
    if (subXid === xid) {
      this.streamed.delete(xid)
      return
    }
    const records: SourceRecord[] = []
    const madeBy: number[] = []
    held.madeBy.forEach((maker, index) => {
      if (maker === subXid) return
      records.push(held.records[index] as SourceRecord)
      madeBy.push(maker)
    })
    this.streamed.set(xid, { records, madeBy })
  }

  private recordsFor(
    message: Extract<PgOutputMessage, { tag: 'insert' | 'update' | 'delete' | 'truncate' }>,
    context: EventContext,
  ): SourceRecord[] {
    const { events } = this.options
    if (message.tag === 'truncate') {
      return message.relationIds.flatMap((id) => {
        const relation = this.relations.get(id)
        return relation === undefined ? [] : events.truncate(relation, context)
      })
    }
    const relation = this.relations.get(message.relationId)
    if (relation === undefined) throw new Error(`change for relation ${message.relationId} before its relation message`)
    if (message.tag === 'insert') return events.change(relation, 'c', null, events.row(relation, message.newTuple), context)
    if (message.tag === 'delete') {
      const before = events.row(relation, message.oldTuple ?? message.keyTuple ?? [])
      return events.change(relation, 'd', before, null, context)
    }
    const after = events.row(relation, message.newTuple)
    const before =
      message.oldTuple !== undefined
        ? events.row(relation, message.oldTuple)
        : message.keyTuple !== undefined
          ? events.row(relation, message.keyTuple)
          : null
    const oldKey = before === null ? null : events.key(relation, before)
    const newKey = events.key(relation, after)
    // A changed primary key is a delete of the old key and a create of the new, as Debezium emits it.
    // The old key comes in the key tuple, or in the old row under REPLICA IDENTITY FULL; with neither
    // (default identity, key unchanged) there is no old key and the update stays one.
    if (before !== null && oldKey !== null && keyText(oldKey) !== keyText(newKey)) {
      return events.keyChange(relation, before, after, context)
    }
    return events.change(relation, 'u', before, after, context)
  }

  /** The offset every record of a transaction shares (all but its last): built once per transaction. */
  private resumeOffset(xid: number | null): SourceOffset {
    const cached = this.sharedOffset
    if (cached !== undefined && cached.lsn === this.lastCommitLsn && cached.xid === xid && cached.ledger === this.snapshotOffset)
      return cached.offset
    this.sharedOffset = {
      lsn: this.lastCommitLsn,
      xid,
      ledger: this.snapshotOffset,
      offset: Object.freeze({ ...this.snapshotOffset, lsn: formatLsn(this.lastCommitLsn), txId: xid }),
    }
    return this.sharedOffset.offset
  }

  private stampEnd(record: SourceRecord, endLsn: Lsn): SourceRecord {
    return { ...record, sourceOffset: { ...record.sourceOffset, lsn: formatLsn(endLsn), [TRANSACTION_END]: true } }
  }
}
