/**
 * Idempotent producers (KIP-98): InitProducerId hands out ids, and every batch a producer sends to a
 * partition carries its epoch and sequence. A batch that repeats one of the last five answers with the
 * offset it was stored at (a retry after a lost response, stored once); a gap in the sequence is
 * OUT_OF_ORDER_SEQUENCE_NUMBER; an older epoch is fenced. The state is kept in memory; after a
 * restart, the first batch a producer sends to a partition picks up what the partition's log said of
 * it at open (its last batches there: core/log/recovered-producers.ts), so a batch retried across
 * the restart is still stored once; a producer the log no longer knows starts afresh, as Kafka
 * treats a producer whose state has expired. Producer ids come from the allocator the broker gives (the transaction
 * coordinator's blocks, stored in `__transaction_state`), so no id is handed out twice, even across
 * restarts, and idempotent and transactional producers never share one. A batch counts from the moment it is queued, before it is durable, so a
 * producer's next batch can be checked and queued behind it; if the disk then fails it, the
 * partition's state for that producer is dropped and its next batch is a new start.
 */
import { TributaryError } from '../../errors.ts'
import { REMEMBERED_BATCHES, type RecoveredProducer } from '../../log/recovered-producers.ts'

const MAX_SEQUENCE = 0x7fffffff
/** The highest epoch Kafka still bumps (int16 max - 2); above it a producer gets a new id instead. */
const LAST_BUMPABLE_EPOCH = 0x7fff - 2

interface StoredBatch {
  readonly firstSequence: number
  readonly lastSequence: number
  /** Resolves once the batch is durable; a duplicate is answered with it. */
  readonly baseOffset: Promise<number>
}

interface PartitionProducerState {
  epoch: number
  lastSequence: number
  readonly recent: StoredBatch[]
}

export interface SequencedBatch {
  readonly producerId: number
  readonly producerEpoch: number
  readonly baseSequence: number
  /** Records in the batch: its last sequence is baseSequence + recordCount - 1 (wrapping at 2^31). */
  readonly recordCount: number
}

/** What to do with a batch: append it, or answer with the offset a duplicate was stored at. */
export type SequenceCheck = { readonly kind: 'append' } | { readonly kind: 'duplicate'; readonly baseOffset: Promise<number> }

/** What the partition's log said of the producer at open, the first time it is asked. */
export type RecoveredProducerLookup = (topic: string, partition: number, producerId: number) => RecoveredProducer | undefined

export class ProducerStateTable {
  private readonly allocate: () => Promise<number>
  private readonly recovered: RecoveredProducerLookup
  private readonly states = new Map<string, PartitionProducerState>()
  /** Per producer id, the epoch the last bump handed out and the one it replaced. */
  private readonly bumped = new Map<number, { epoch: number; previous: number }>()

  constructor(allocate: () => Promise<number>, recovered: RecoveredProducerLookup = () => undefined) {
    this.allocate = allocate
    this.recovered = recovered
  }

  allocateProducerId(): Promise<number> {
    return this.allocate()
  }

  /**
   * KIP-360: a producer whose sequences went astray names the id and epoch it holds and gets the
   * next epoch; each partition then takes its next batch as a new start. Asking again with the
   * epoch the last bump replaced (a retry after a lost response) gets the same answer; any other
   * stale epoch is a fenced producer. An exhausted epoch gets a new id at epoch 0.
   */
  async bumpEpoch(producerId: number, epoch: number): Promise<{ producerId: number; producerEpoch: number }> {
    const known = this.bumped.get(producerId)
    if (known && epoch === known.previous) return { producerId, producerEpoch: known.epoch }
    if (known && epoch !== known.epoch) {
      throw new TributaryError('TRB_PRODUCER_FENCED', `producer ${producerId} epoch ${epoch} is older than ${known.epoch}`, {
        details: { producerId, epoch, current: known.epoch },
      })
    }
    if (epoch > LAST_BUMPABLE_EPOCH) return { producerId: await this.allocateProducerId(), producerEpoch: 0 }
    this.bumped.set(producerId, { epoch: epoch + 1, previous: epoch })
    return { producerId, producerEpoch: epoch + 1 }
  }

  check(topic: string, partition: number, batch: SequencedBatch): SequenceCheck {
    if (batch.producerId < 0) return { kind: 'append' }
    const state = this.states.get(stateKey(topic, partition, batch.producerId)) ?? this.adoptRecovered(topic, partition, batch.producerId)
    if (!state) return { kind: 'append' }
    if (batch.producerEpoch < state.epoch) {
      throw new TributaryError(
        'TRB_PRODUCER_FENCED',
        `producer ${batch.producerId} epoch ${batch.producerEpoch} is older than ${state.epoch}`,
      )
    }
    if (batch.producerEpoch > state.epoch) {
      if (batch.baseSequence !== 0) throw outOfOrder(topic, partition, batch, 0)
      return { kind: 'append' }
    }
    const last = lastSequenceOf(batch)
    const duplicate = state.recent.find((b) => b.firstSequence === batch.baseSequence && b.lastSequence === last)
    if (duplicate) return { kind: 'duplicate', baseOffset: duplicate.baseOffset }
    const expected = nextSequence(state.lastSequence)
    if (batch.baseSequence !== expected) throw outOfOrder(topic, partition, batch, expected)
    return { kind: 'append' }
  }

  /** Records a batch queued for the log; `baseOffset` resolves once it is durable. */
  record(topic: string, partition: number, batch: SequencedBatch, baseOffset: Promise<number>): void {
    if (batch.producerId < 0) return
    const key = stateKey(topic, partition, batch.producerId)
    baseOffset.catch(() => {
      // Stored nowhere after all: what this state says of the producer no longer holds.
      if (this.states.get(key)?.recent.some((stored) => stored.baseOffset === baseOffset)) this.states.delete(key)
    })
    let state = this.states.get(key)
    if (!state || batch.producerEpoch > state.epoch) {
      state = { epoch: batch.producerEpoch, lastSequence: -1, recent: [] }
      this.states.set(key, state)
    }
    const last = lastSequenceOf(batch)
    state.lastSequence = last
    state.recent.push({ firstSequence: batch.baseSequence, lastSequence: last, baseOffset })
    if (state.recent.length > REMEMBERED_BATCHES) state.recent.shift()
  }

  /** The producer's state as the partition's log left it at open, taken into this table; undefined when the log knew nothing of it. */
  private adoptRecovered(topic: string, partition: number, producerId: number): PartitionProducerState | undefined {
    const recovered = this.recovered(topic, partition, producerId)
    const last = recovered?.recent.at(-1)
    if (!recovered || !last) return undefined
    const state: PartitionProducerState = {
      epoch: recovered.epoch,
      lastSequence: last.lastSequence,
      recent: recovered.recent.map((b) => ({
        firstSequence: b.firstSequence,
        lastSequence: b.lastSequence,
        baseOffset: Promise.resolve(b.baseOffset),
      })),
    }
    this.states.set(stateKey(topic, partition, producerId), state)
    return state
  }
}

function stateKey(topic: string, partition: number, producerId: number): string {
  return `${producerId}\u0000${topic}\u0000${partition}`
}

function lastSequenceOf(batch: SequencedBatch): number {
  return (batch.baseSequence + batch.recordCount - 1) % (MAX_SEQUENCE + 1)
}

function nextSequence(sequence: number): number {
  return sequence === MAX_SEQUENCE ? 0 : sequence + 1
}

function outOfOrder(topic: string, partition: number, batch: SequencedBatch, expected: number): TributaryError {
  return new TributaryError(
    'TRB_PRODUCER_SEQUENCE',
    `producer ${batch.producerId} sent sequence ${batch.baseSequence} to ${topic}-${partition}; expected ${expected}`,
    { details: { topic, partition, producerId: batch.producerId, expected, received: batch.baseSequence } },
  )
}
