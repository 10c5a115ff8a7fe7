/**
 * The Log seam's transactional producer on the embedded log: the same coordinator the Kafka listener
 * serves, called in process. Opening it is InitProducerId (the epoch bump that fences the id's older
 * producers and aborts what they left open); a transaction's appends add their partitions to it and
 * are written as the producer's transactional batches, group offsets go in as TxnOffsetCommit does,
 * and commit or abort is EndTxn, which answers once every marker is durable. A producer fenced
 * meanwhile writes nothing more: each batch is checked against the current epoch as it queues.
 * Appends started together (an exactly-once source appends its records and its offsets side by side)
 * add their partitions in one AddPartitions state write: the joins asked for in the same turn are
 * gathered and sent once that turn's synchronous work is done. Each append still waits for the write
 * to be durable before its batches queue, as a Kafka producer waits for AddPartitionsToTxn.
 */
import { TributaryError } from '../../errors.ts'
import type { GroupCoordinator } from '../groups/coordinator.ts'
import type {
  AppendResult,
  LogRecord,
  LogTransaction,
  TopicPartition,
  TopicPartitionOffset,
  TransactionalProducer,
  TransactionalProducerOptions,
} from '../log.ts'
import type { ProducerIdAndEpoch, TransactionCoordinator } from './coordinator.ts'
import type { TransactionalAppend } from './transactional-append.ts'

const DEFAULT_TRANSACTION_TIMEOUT_MS = 60_000

/** What the producer needs of the embedded log: its two coordinators, and the append that writes a transaction's batches. */
export interface ProducerLog {
  transactions(): Promise<TransactionCoordinator>
  groups(): Promise<GroupCoordinator>
  appendAs(topic: string, records: readonly LogRecord[], transaction: TransactionalAppend | undefined): Promise<AppendResult[]>
}

export async function openEmbeddedProducer(
  log: ProducerLog,
  transactionalId: string,
  options: TransactionalProducerOptions = {},
): Promise<TransactionalProducer> {
  const coordinator = await log.transactions()
  const producer: ProducerIdAndEpoch = await coordinator.initProducerId(
    transactionalId,
    options.transactionTimeoutMs ?? DEFAULT_TRANSACTION_TIMEOUT_MS,
    { producerId: -1, producerEpoch: -1 },
  )
  /** Each partition's next sequence number, as a Kafka producer numbers its batches. */
  const sequences = new Map<string, number>()
  let open = false
  let closed = false

  const begin = async (): Promise<LogTransaction> => {
    if (closed)
      throw new TributaryError('TRB_ABORTED', `the transactional producer ${transactionalId} is closed`, { details: { transactionalId } })
    if (open)
      throw new TributaryError(
        'TRB_TXN_INVALID_STATE',
        `transactional id ${transactionalId} has a transaction open: commit or abort it first`,
        { details: { transactionalId } },
      )
    open = true
    let ended = false
    const live = (what: string): void => {
      if (ended)
        throw new TributaryError('TRB_TXN_INVALID_STATE', `cannot ${what}: this transaction of ${transactionalId} has ended`, {
          details: { transactionalId },
        })
    }
    const end = async (isCommit: boolean): Promise<void> => {
      live(isCommit ? 'commit' : 'abort')
      ended = true
      open = false
      await coordinator.endTransaction(transactionalId, producer, isCommit)
    }
    /** The partitions asked to join in this turn, and the one AddPartitions that will add them all. */
    let gathering: { partitions: TopicPartition[]; joined: Promise<void> } | undefined
    const join = (partitions: readonly TopicPartition[]): Promise<void> => {
      if (gathering === undefined) {
        const batch: { partitions: TopicPartition[]; joined: Promise<void> } = { partitions: [], joined: Promise.resolve() }
        batch.joined = Promise.resolve().then(() => {
          gathering = undefined
          return coordinator.addPartitions(transactionalId, producer, batch.partitions)
        })
        gathering = batch
      }
      gathering.partitions.push(...partitions)
      return gathering.joined
    }
    return {
      append: async (topic: string, records: readonly LogRecord[]): Promise<AppendResult[]> => {
        live(`append to ${topic}`)
        const writes: TransactionalAppend = {
          join: (partitions) => join(partitions.map((partition) => ({ topic, partition }))),
          check: (partition) => coordinator.checkWrite(transactionalId, producer, topic, partition),
          producer: (partition, count) => {
            const key = `${topic}\0${partition}`
            const baseSequence = sequences.get(key) ?? 0
            sequences.set(key, (baseSequence + count) % 2 ** 31)
            return { ...producer, baseSequence }
          },
        }
        return log.appendAs(topic, records, writes)
      },
      commitGroupOffsets: async (groupId: string, offsets: readonly TopicPartitionOffset[]): Promise<void> => {
        live(`commit offsets of group ${groupId}`)
        await coordinator.addOffsets(transactionalId, producer, groupId)
        const groups = await log.groups()
        await groups.commitTransactionalOffsets(
          groupId,
          '',
          -1,
          producer,
          offsets.map(({ topic, partition, offset }) => ({ topic, partition, offset, metadata: null })),
        )
      },
      commit: () => end(true),
      abort: () => end(false),
    }
  }

  return {
    transactionalId,
    begin,
    close: async () => {
      // A transaction left open is the coordinator's to abort when its timeout passes, as Kafka's is.
      closed = true
    },
  }
}
