/**
 * The transaction coordinator of the embedded log (Kafka's TransactionCoordinator, one node): it
 * maps each transactional id to a producer id and epoch, follows its transactions through the state
 * machine in transaction-state.ts and stores every step in `__transaction_state` before answering.
 *
 * - InitProducerId bumps the epoch, which fences the id's older producer: its next request with the
 *   old epoch is refused. An Ongoing transaction left by that producer is aborted first.
 * - AddPartitionsToTxn / AddOffsetsToTxn name the partitions (a group's offsets partition) the
 *   transaction writes to; the Kafka listener's produce path asks checkWrite before appending.
 * - EndTxn stores PrepareCommit or PrepareAbort (the decision), writes the markers, and answers
 *   once they are durable, so a committed transaction is readable when the producer hears back. The
 *   Complete state is written then without being waited for: the id's next state write waits for
 *   it, and a Prepare state found on open has its markers written again, which changes nothing.
 * - A transaction open longer than its transaction.timeout.ms is aborted under a bumped epoch; an id
 *   idle for transactional.id.expiration.ms with none open is forgotten (its producer id is not reused).
 * - On open, a transaction found in a Prepare state is completed as decided; an Ongoing one is
 *   aborted once its timeout has passed (its start time is stored).
 * Requests for one transactional id run one at a time; different ids run side by side.
 */
import { EventEmitter } from 'node:events'
import { runEvery, systemClock, type Clock } from '../../clock.ts'
import type { InternalTopicLog } from '../internal-topic-log.ts'
import type { TopicPartition } from '../log.ts'
import { OFFSETS_TOPIC } from '../groups/offset-store.ts'
import { concurrentTransactions, invalidTimeout, invalidTxnState, producerFenced, unknownProducerIdMapping } from './transaction-errors.ts'
import { TransactionLog } from './transaction-log.ts'
import { writeTransactionMarkers, type MarkerLog } from './transaction-markers.ts'
import { hasPartition, isPrepareState, transition, TxnState, withPartitions, type TransactionMetadata } from './transaction-state.ts'

export interface TransactionCoordinatorOptions {
  readonly clock?: Clock
  /** Kafka's transaction.max.timeout.ms: the longest transaction.timeout.ms a producer may ask for. */
  readonly maxTimeoutMs?: number
  /** How often timed-out transactions are looked for (Kafka's transaction.abort.timed.out.transaction.cleanup.interval.ms). */
  readonly sweepIntervalMs?: number
  /** Kafka's transactional.id.expiration.ms: an id idle this long, with no transaction open, is forgotten. Default 7 days. */
  readonly idExpirationMs?: number
}

/** What the coordinator needs of the log: its state topic, and what writing markers needs. */
export type TransactionCoordinatorLog = InternalTopicLog & MarkerLog

export interface ProducerIdAndEpoch {
  readonly producerId: number
  readonly producerEpoch: number
}

/** Why a transaction completed, as the `completed` event tells it. */
export type CompletionCause = 'ended' | 'timed-out' | 'fenced' | 'recovered'

/** The highest epoch still bumped (int16 max - 2, as Kafka); past it the id gets a new producer id. */
const LAST_BUMPABLE_EPOCH = 0x7fff - 2

export class TransactionCoordinator {
  /**
   * `prepared` (metadata) once a decision is stored, before its markers are written;
   * `completed` (metadata, cause) once a transaction's Complete state is stored; `expired`
   * (metadata) once an idle id is forgotten; `sweep-failed`
   * (error) when a timed-out or undecided transaction could not be completed (the next sweep retries).
   */
  readonly events = new EventEmitter()
  private readonly log: TransactionCoordinatorLog
  private readonly store: TransactionLog
  private readonly clock: Clock
  private readonly maxTimeoutMs: number
  private readonly idExpirationMs: number
  private readonly states: Map<string, TransactionMetadata>
  private readonly chains = new Map<string, Promise<unknown>>()
  /** Each id's Complete state written but not yet waited for: the id's next state write waits for it too. */
  private readonly completing = new Map<string, Promise<void>>()
  private readonly stopSweep = new AbortController()
  private sweeping: Promise<void> = Promise.resolve()

  private constructor(log: TransactionCoordinatorLog, store: TransactionLog, options: TransactionCoordinatorOptions) {
    this.log = log
    this.store = store
    this.clock = options.clock ?? systemClock
    this.maxTimeoutMs = options.maxTimeoutMs ?? 15 * 60 * 1000
    this.idExpirationMs = options.idExpirationMs ?? 7 * 24 * 60 * 60 * 1000
    this.states = new Map(store.loaded)
  }

  static async open(log: TransactionCoordinatorLog, options: TransactionCoordinatorOptions = {}): Promise<TransactionCoordinator> {
    const coordinator = new TransactionCoordinator(log, await TransactionLog.open(log), { clock: log.clock, ...options })
    for (const metadata of coordinator.states.values()) {
      if (isPrepareState(metadata.state)) await coordinator.complete(metadata, metadata.state === TxnState.PrepareCommit, 'recovered')
    }
    coordinator.sweeping = coordinator.sweepEvery(options.sweepIntervalMs ?? 10_000)
    return coordinator
  }

  initProducerId(transactionalId: string, timeoutMs: number, current: ProducerIdAndEpoch): Promise<ProducerIdAndEpoch> {
    if (!Number.isInteger(timeoutMs) || timeoutMs <= 0 || timeoutMs > this.maxTimeoutMs) throw invalidTimeout(timeoutMs, this.maxTimeoutMs)
    return this.locked(transactionalId, async () => {
      let metadata = this.states.get(transactionalId)
      if (!metadata) {
        const producerId = await this.store.allocateProducerId()
        const created: TransactionMetadata = {
          transactionalId,
          producerId,
          producerEpoch: 0,
          lastProducerEpoch: -1,
          timeoutMs,
          state: TxnState.Empty,
          partitions: [],
          txnStartTimestamp: -1,
          lastUpdateTimestamp: this.clock.now(),
        }
        await this.save(created)
        return idsOf(created)
      }
      if (current.producerId !== -1) {
        // KIP-360: a producer re-initialising names what it holds; the answer to a retry is the same.
        const isRetry =
          current.producerId === metadata.producerId &&
          current.producerEpoch === metadata.lastProducerEpoch &&
          metadata.state === TxnState.Empty
        if (isRetry) return idsOf(metadata)
        if (current.producerId !== metadata.producerId || current.producerEpoch !== metadata.producerEpoch)
          throw producerFenced(metadata, current.producerEpoch)
      }
      if (isPrepareState(metadata.state)) metadata = await this.complete(metadata, metadata.state === TxnState.PrepareCommit, 'recovered')
      if (metadata.state === TxnState.Ongoing) metadata = await this.complete(metadata, false, 'fenced', fencingEpoch(metadata))
      const next = transition(metadata, TxnState.Empty, this.clock.now(), { ...(await this.bumpedIds(metadata)), timeoutMs })
      await this.save(next)
      return idsOf(next)
    })
  }

  addPartitions(transactionalId: string, producer: ProducerIdAndEpoch, partitions: readonly TopicPartition[]): Promise<void> {
    return this.locked(transactionalId, async () => {
      const metadata = this.currentFor(transactionalId, producer)
      if (isPrepareState(metadata.state)) throw concurrentTransactions(metadata)
      if (metadata.state === TxnState.Ongoing && partitions.every((tp) => hasPartition(metadata, tp.topic, tp.partition))) return
      const now = this.clock.now()
      await this.save(
        transition(metadata, TxnState.Ongoing, now, {
          partitions: withPartitions(metadata.partitions, partitions),
          txnStartTimestamp: metadata.state === TxnState.Ongoing ? metadata.txnStartTimestamp : now,
        }),
      )
    })
  }

  /** AddOffsetsToTxn: the group's offsets partition joins the transaction. */
  async addOffsets(transactionalId: string, producer: ProducerIdAndEpoch, groupId: string): Promise<void> {
    const partition = (await this.log.groups()).offsetsPartitionOf(groupId)
    await this.addPartitions(transactionalId, producer, [{ topic: OFFSETS_TOPIC, partition }])
  }

  endTransaction(transactionalId: string, producer: ProducerIdAndEpoch, isCommit: boolean): Promise<void> {
    return this.locked(transactionalId, async () => {
      const metadata = this.currentFor(transactionalId, producer)
      const decided = metadata.state === TxnState.CompleteCommit || metadata.state === TxnState.PrepareCommit
      switch (metadata.state) {
        case TxnState.Ongoing:
          await this.complete(metadata, isCommit, 'ended')
          return
        case TxnState.PrepareCommit:
        case TxnState.PrepareAbort:
          // Its markers failed earlier: finish the decision, if this asks for the same one.
          if (decided !== isCommit) throw invalidTxnState(metadata, isCommit ? 'commit' : 'abort')
          await this.complete(metadata, isCommit, 'ended')
          return
        case TxnState.CompleteCommit:
        case TxnState.CompleteAbort:
          // A retry of the request that completed it is answered again; the other outcome is refused.
          if (decided !== isCommit) throw invalidTxnState(metadata, isCommit ? 'commit' : 'abort')
          return
        default:
          throw invalidTxnState(metadata, `${isCommit ? 'commit' : 'abort'} a transaction that never began`)
      }
    })
  }

  /**
   * Throws unless the producer may write to the partition in its open transaction: its epoch is the
   * current one and the partition was added. Synchronous, so the produce path can ask before it queues.
   */
  checkWrite(transactionalId: string, producer: ProducerIdAndEpoch, topic: string, partition: number): void {
    const metadata = this.states.get(transactionalId)
    if (!metadata) throw unknownProducerIdMapping(transactionalId, producer.producerId)
    if (producer.producerId !== metadata.producerId || producer.producerEpoch < metadata.producerEpoch)
      throw producerFenced(metadata, producer.producerEpoch)
    if (producer.producerEpoch !== metadata.producerEpoch) throw invalidTxnState(metadata, `take epoch ${producer.producerEpoch}`)
    if (metadata.state !== TxnState.Ongoing || !hasPartition(metadata, topic, partition)) {
      throw invalidTxnState(metadata, `write to ${topic}-${partition}, which was not added to its transaction`)
    }
  }

  /** A producer id never handed out before (for idempotent producers too, so the two never share one). */
  allocateProducerId(): Promise<number> {
    return this.store.allocateProducerId()
  }

  describe(transactionalId: string): TransactionMetadata | undefined {
    return this.states.get(transactionalId)
  }

  list(): TransactionMetadata[] {
    return [...this.states.values()]
  }

  /**
   * What the sweep does: aborts transactions past their timeout, finishes any whose markers failed,
   * and forgets ids idle past transactional.id.expiration.ms.
   */
  async sweep(): Promise<void> {
    await Promise.all(
      [...this.states.values()].map((seen) => {
        if (this.dueAction(seen, this.clock.now()) === undefined) return undefined
        return this.locked(seen.transactionalId, async () => {
          const metadata = this.states.get(seen.transactionalId)
          const action = metadata && this.dueAction(metadata, this.clock.now())
          if (action === 'finish') await this.complete(metadata!, metadata!.state === TxnState.PrepareCommit, 'recovered')
          if (action === 'abort') await this.complete(metadata!, false, 'timed-out', fencingEpoch(metadata!))
          if (action === 'expire') {
            await this.store.remove(metadata!.transactionalId)
            this.states.delete(metadata!.transactionalId)
            this.events.emit('expired', metadata)
          }
        }).catch((error: unknown) => this.events.emit('sweep-failed', error))
      }),
    )
  }

  private dueAction(metadata: TransactionMetadata, now: number): 'finish' | 'abort' | 'expire' | undefined {
    if (isPrepareState(metadata.state)) return 'finish'
    if (metadata.state === TxnState.Ongoing) return now >= metadata.txnStartTimestamp + metadata.timeoutMs ? 'abort' : undefined
    return now >= metadata.lastUpdateTimestamp + this.idExpirationMs ? 'expire' : undefined
  }

  async close(): Promise<void> {
    this.stopSweep.abort()
    await this.sweeping
    await Promise.allSettled([...this.chains.values()])
    await Promise.allSettled([...this.completing.values()])
  }

  /** Stores the decision (unless stored already), writes the markers, stores the Complete state. */
  private async complete(
    metadata: TransactionMetadata,
    isCommit: boolean,
    cause: CompletionCause,
    changes: Partial<TransactionMetadata> = {},
  ): Promise<TransactionMetadata> {
    let prepared = metadata
    if (!isPrepareState(metadata.state)) {
      prepared = transition(metadata, isCommit ? TxnState.PrepareCommit : TxnState.PrepareAbort, this.clock.now(), changes)
      await this.save(prepared)
      this.events.emit('prepared', prepared)
    }
    await writeTransactionMarkers(this.log, prepared, isCommit, this.clock.now())
    const completed = transition(prepared, isCommit ? TxnState.CompleteCommit : TxnState.CompleteAbort, this.clock.now())
    this.saveComplete(completed)
    this.events.emit('completed', completed, cause)
    return completed
  }

  /** Stores the state durably; a Complete state written before it is durable too once this resolves. */
  private async save(metadata: TransactionMetadata): Promise<void> {
    const earlier = this.completing.get(metadata.transactionalId)
    await Promise.all([earlier, this.store.write(metadata)])
    this.states.set(metadata.transactionalId, metadata)
  }

  /**
   * Stores a Complete state without waiting for it: its markers are durable, and were it lost in a
   * crash, the Prepare state before it would have them written again on open, which changes nothing.
   * The id's next state write (the next transaction's AddPartitions) goes after it in the same
   * partition and waits for both, so no batch of a later transaction is written before it is durable.
   */
  private saveComplete(metadata: TransactionMetadata): void {
    const { transactionalId } = metadata
    const written: Promise<void> = Promise.all([this.completing.get(transactionalId), this.store.write(metadata)])
      .then(() => undefined)
      .finally(() => {
        if (this.completing.get(transactionalId) === written) this.completing.delete(transactionalId)
      })
    written.catch(() => undefined) // awaited by the id's next write, or by close(); lost, it is written again on open
    this.completing.set(transactionalId, written)
    this.states.set(transactionalId, metadata)
  }

  /** The id's metadata, if `producer` is its current producer; else the refusal Kafka gives. */
  private currentFor(transactionalId: string, producer: ProducerIdAndEpoch): TransactionMetadata {
    const metadata = this.states.get(transactionalId)
    if (!metadata || metadata.producerId !== producer.producerId) throw unknownProducerIdMapping(transactionalId, producer.producerId)
    if (metadata.producerEpoch !== producer.producerEpoch) throw producerFenced(metadata, producer.producerEpoch)
    return metadata
  }

  /** The next epoch of the same producer id, or a new id once the epoch is exhausted. */
  private async bumpedIds(metadata: TransactionMetadata): Promise<Partial<TransactionMetadata>> {
    if (metadata.producerEpoch >= LAST_BUMPABLE_EPOCH)
      return { producerId: await this.store.allocateProducerId(), producerEpoch: 0, lastProducerEpoch: -1 }
    return { producerEpoch: metadata.producerEpoch + 1, lastProducerEpoch: metadata.producerEpoch }
  }

  private locked<T>(transactionalId: string, operation: () => Promise<T>): Promise<T> {
    const result = (this.chains.get(transactionalId) ?? Promise.resolve()).then(operation)
    const tail = result.then(
      () => undefined,
      () => undefined,
    )
    this.chains.set(transactionalId, tail)
    void tail.then(() => {
      if (this.chains.get(transactionalId) === tail) this.chains.delete(transactionalId)
    })
    return result
  }

  private sweepEvery(intervalMs: number): Promise<void> {
    return runEvery(this.clock, intervalMs, this.stopSweep.signal, () => this.sweep())
  }
}

/**
 * The epoch an abort the producer did not ask for is written under: one past its own, so the
 * producer is fenced. The markers must name the transaction's producer id, so an exhausted epoch
 * stays as it is.
 */
function fencingEpoch(metadata: TransactionMetadata): Partial<TransactionMetadata> {
  if (metadata.producerEpoch >= LAST_BUMPABLE_EPOCH) return {}
  return { producerEpoch: metadata.producerEpoch + 1, lastProducerEpoch: metadata.producerEpoch }
}

function idsOf(metadata: TransactionMetadata): ProducerIdAndEpoch {
  return { producerId: metadata.producerId, producerEpoch: metadata.producerEpoch }
}
