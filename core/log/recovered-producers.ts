/**
 * What a partition's log says of its idempotent and transactional producers when it opens: per
 * producer id, the epoch of its last batch and the sequences and offsets of its last few batches
 * under that epoch, from the batches the open replays anyway to rebuild its transactions (those
 * after the last transaction snapshot: normally the active segment). A Kafka client retries a batch
 * whose answer was lost; when the broker restarted in between, its memory of the producer is gone,
 * and this is what lets it recognise the retry as stored instead of storing it twice (Kafka rebuilds
 * the same from its producer snapshots). Each producer's entry is taken once, by the first batch
 * the producer sends to the partition after the open. A producer whose last batch is older than the
 * replayed segments is not known, and its next batch is a new start, as before.
 */
import { isControlBatch, readBatchHeader } from './record-batch.ts'

/** As many batches as Kafka remembers per producer and partition (and a producer keeps in flight). */
export const REMEMBERED_BATCHES = 5
const SEQUENCE_MODULUS = 0x80000000

export interface RecoveredBatch {
  readonly firstSequence: number
  readonly lastSequence: number
  readonly baseOffset: number
}

export interface RecoveredProducer {
  readonly epoch: number
  /** Oldest first. */
  readonly recent: readonly RecoveredBatch[]
}

export class RecoveredProducers {
  private readonly producers = new Map<number, { epoch: number; recent: RecoveredBatch[] }>()

  /** Takes in a stored batch, in log order. Control batches (markers) and batches without a producer carry no sequence. */
  observe(batch: Buffer): void {
    const header = readBatchHeader(batch)
    if (header.producerId < 0 || header.baseSequence < 0 || isControlBatch(header.attributes)) return
    let state = this.producers.get(header.producerId)
    if (state && header.producerEpoch < state.epoch) return
    if (!state || header.producerEpoch > state.epoch) {
      state = { epoch: header.producerEpoch, recent: [] }
      this.producers.set(header.producerId, state)
    }
    const lastSequence = (header.baseSequence + header.recordCount - 1) % SEQUENCE_MODULUS
    state.recent.push({ firstSequence: header.baseSequence, lastSequence, baseOffset: header.baseOffset })
    if (state.recent.length > REMEMBERED_BATCHES) state.recent.shift()
  }

  /** The producer's entry, once: after that the listener's own memory of the producer is the truth. */
  take(producerId: number): RecoveredProducer | undefined {
    const state = this.producers.get(producerId)
    this.producers.delete(producerId)
    return state
  }
}
