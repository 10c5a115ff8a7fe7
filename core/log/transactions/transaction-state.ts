/**
 * The state machine of one transactional id, as Kafka's transaction coordinator runs it. A
 * transactional id holds a producer id and epoch; each transaction moves
 *
 *   Empty ──AddPartitions──► Ongoing ──EndTxn──► PrepareCommit ──markers──► CompleteCommit
 *                                      └────────► PrepareAbort  ──markers──► CompleteAbort
 *
 * and from a Complete state (or Empty) the next AddPartitions starts the next one, or an
 * InitProducerId bumps the epoch back to Empty. A Prepare state is written durably before any
 * marker, so it is the commit point: after a crash the markers are written again and the
 * transaction completes the way it was decided. Kafka's transient PrepareEpochFence (an Ongoing
 * transaction aborted because a new producer took the id, or it timed out) is never stored: the
 * abort is stored as PrepareAbort under the bumped epoch. Transitions not in the table are bugs, so
 * they throw.
 */
import { TributaryError } from '../../errors.ts'
import type { TopicPartition } from '../log.ts'

export const TxnState = {
  Empty: 'Empty',
  Ongoing: 'Ongoing',
  PrepareCommit: 'PrepareCommit',
  PrepareAbort: 'PrepareAbort',
  CompleteCommit: 'CompleteCommit',
  CompleteAbort: 'CompleteAbort',
} as const
export type TxnState = (typeof TxnState)[keyof typeof TxnState]

/** The states each state may be entered from (Kafka's TransactionState.validPreviousStates). */
const ENTERED_FROM: Readonly<Record<TxnState, readonly TxnState[]>> = {
  Empty: ['Empty', 'CompleteCommit', 'CompleteAbort'],
  Ongoing: ['Ongoing', 'Empty', 'CompleteCommit', 'CompleteAbort'],
  PrepareCommit: ['Ongoing'],
  PrepareAbort: ['Ongoing'],
  CompleteCommit: ['PrepareCommit'],
  CompleteAbort: ['PrepareAbort'],
}

export interface TransactionMetadata {
  readonly transactionalId: string
  readonly producerId: number
  readonly producerEpoch: number
  /** The epoch before the last bump (-1: none), so a retried InitProducerId gets the same answer. */
  readonly lastProducerEpoch: number
  readonly timeoutMs: number
  readonly state: TxnState
  /** The partitions the open (or deciding) transaction wrote to; none once it completes. */
  readonly partitions: readonly TopicPartition[]
  /** When the open transaction began (its first AddPartitions), -1 when none is open. */
  readonly txnStartTimestamp: number
  readonly lastUpdateTimestamp: number
}

export function isPrepareState(state: TxnState): boolean {
  return state === TxnState.PrepareCommit || state === TxnState.PrepareAbort
}

export function isCompleteState(state: TxnState): boolean {
  return state === TxnState.CompleteCommit || state === TxnState.CompleteAbort
}

/** The metadata after moving to `to` with `changes`; a move the table does not allow is a bug. */
export function transition(
  metadata: TransactionMetadata,
  to: TxnState,
  nowMs: number,
  changes: Partial<TransactionMetadata> = {},
): TransactionMetadata {
  if (!ENTERED_FROM[to].includes(metadata.state)) {
    throw new TributaryError('TRB_INTERNAL', `transactional id ${metadata.transactionalId}: ${metadata.state} cannot move to ${to}`, {
      details: { transactionalId: metadata.transactionalId, from: metadata.state, to },
    })
  }
  const ending = to === TxnState.Empty || isCompleteState(to)
  return {
    ...metadata,
    ...(ending ? { partitions: [], txnStartTimestamp: -1 } : {}),
    ...changes,
    state: to,
    lastUpdateTimestamp: nowMs,
  }
}

/** The partitions of `current` and of `added` not yet in it, in order. */
export function withPartitions(current: readonly TopicPartition[], added: readonly TopicPartition[]): TopicPartition[] {
  const seen = new Set(current.map(partitionKey))
  const merged = [...current]
  for (const tp of added) {
    if (seen.has(partitionKey(tp))) continue
    seen.add(partitionKey(tp))
    merged.push({ topic: tp.topic, partition: tp.partition })
  }
  return merged
}

export function hasPartition(metadata: TransactionMetadata, topic: string, partition: number): boolean {
  return metadata.partitions.some((tp) => tp.topic === topic && tp.partition === partition)
}

function partitionKey(tp: TopicPartition): string {
  return `${tp.topic}\0${tp.partition}`
}
