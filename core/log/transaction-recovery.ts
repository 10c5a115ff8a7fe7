/**
 * Rebuilds a partition's transaction state at open from what is durable: the open transactions at
 * the base of the first segment whose `.txnindex` cannot be trusted (always the active one, which
 * open has just rescanned and cut at its last whole batch), then a replay of the batches from there.
 * Normally that is one snapshot and the active segment; a closed segment without its index (closed
 * before transactions were tracked, or by a crash inside compaction) widens the replay back to the
 * nearest snapshot, or to the first segment. A transaction open at a crash stays open: ending it is
 * the transaction coordinator's job, not the log's. `onBatch` sees every replayed batch in order
 * (the partition learns its producers' last sequences from them: recovered-producers.ts).
 */
import fs from 'node:fs'
import path from 'node:path'
import { writeFileAtomic } from './file-io.ts'
import { OngoingTransactions, transactionEventOf } from './ongoing-transactions.ts'
import { readBatchHeader } from './record-batch.ts'
import { segmentFileName, type Segment } from './segment.ts'
import { TransactionIndex } from './transaction-index.ts'

export async function recoverTransactions(
  directory: string,
  segments: readonly Segment[],
  onBatch: (batch: Buffer) => void = () => undefined,
): Promise<OngoingTransactions> {
  const lastIndex = segments.length - 1
  let first = segments.findIndex((segment) => !segment.transactionIndexKnown)
  if (first < 0) first = lastIndex
  let start = first
  let state: OngoingTransactions | undefined
  for (; start >= 0 && !state; start--) state = await readTransactionSnapshot(directory, segments[start]!.baseOffset)
  if (state) start++
  else [state, start] = [new OngoingTransactions(), 0]
  for (let i = start; i <= lastIndex; i++) {
    const segment = segments[i]!
    // The active segment's snapshot may be missing (first open after an upgrade): stored for next time.
    if (i === lastIndex && i > start) await writeTransactionSnapshot(directory, segment.baseOffset, state)
    const rebuild = !segment.transactionIndexKnown
    if (rebuild) segment.transactionIndex = new TransactionIndex()
    await segment.forEachBatch((batch) => {
      onBatch(batch)
      const event = transactionEventOf(batch)
      if (!event) return
      const header = readBatchHeader(batch)
      const aborted = state.apply(event, header.baseOffset, header.lastOffset)
      if (aborted && rebuild) segment.transactionIndex.append(aborted)
    })
    if (!rebuild) continue
    segment.transactionIndexKnown = true
    if (i < lastIndex) await segment.writeTransactionIndex()
  }
  return state
}

/** Stores the transactions open at `baseOffset`, the base of the segment about to be created. */
export async function writeTransactionSnapshot(directory: string, baseOffset: number, state: OngoingTransactions): Promise<void> {
  await writeFileAtomic(path.join(directory, segmentFileName(baseOffset, 'txnsnapshot')), state.serialize(), directory)
}

async function readTransactionSnapshot(directory: string, baseOffset: number): Promise<OngoingTransactions | undefined> {
  try {
    return OngoingTransactions.deserialize(await fs.promises.readFile(path.join(directory, segmentFileName(baseOffset, 'txnsnapshot'))))
  } catch {
    return undefined
  }
}
