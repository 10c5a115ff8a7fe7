/**
 * Fetch's isolation_level on the wire: READ_COMMITTED answers stop at the last stable offset and name
 * the aborted transactions the records overlap; READ_UNCOMMITTED answers run to the high watermark
 * and carry the real LSO all the same. Checked at a classic (v4) and a flexible (v12) version, and
 * through KafkaLog, whose read_committed reads leave out what the listener names as aborted.
 */
import { describe, expect, it } from 'vitest'
import { KafkaLog } from '../../../core/kafka/kafka-log.ts'
import type { IsolationLevel } from '../../../core/log/log.ts'
import { readBatchHeader } from '../../../core/log/record-batch.ts'
import { wireApis } from '../../support/kafka-wire-apis.ts'
import { plainData, txnData, txnMarker } from '../../support/txn-batches.ts'
import { wireClientPerFile } from '../../support/wire-client-per-file.ts'

const wire = wireClientPerFile()

async function fetch(version: number, isolationLevel: number, fetchOffset = 0) {
  const response = await wire.client.request(wireApis.fetch, version, {
    replicaId: -1,
    maxWaitMs: 0,
    minBytes: 0,
    maxBytes: 1 << 20,
    isolationLevel,
    sessionId: 0,
    sessionEpoch: -1,
    topics: [
      {
        topic: 'txn',
        topicId: Buffer.alloc(16),
        partitions: [{ partition: 0, currentLeaderEpoch: -1, fetchOffset, partitionMaxBytes: 1 << 20 }],
      },
    ],
    rackId: '',
  })
  const p = response.topics[0]!.partitions[0]!
  const offsets: number[] = []
  for (const chunk of p.records)
    for (let at = 0; at < chunk.length; at += readBatchHeader(chunk, at).sizeBytes) offsets.push(readBatchHeader(chunk, at).baseOffset)
  return { hw: p.highWatermark, lso: p.lastStableOffset, aborted: p.abortedTransactions, offsets }
}

describe('Fetch isolation levels', () => {
  it('answers READ_COMMITTED up to the LSO with the aborted transactions, READ_UNCOMMITTED up to the high watermark', async () => {
    await wire.kafka.log.createTopic('txn', { partitions: 1 })
    const append = (batch: Buffer) => wire.kafka.log.queueBatch('txn', 0, batch)
    await Promise.all([
      append(txnData(11, ['a', 'b'])),
      append(plainData(['c'])),
      append(txnMarker(11, 'abort')),
      append(txnData(12, ['d'])),
    ])
    for (const version of [4, 12]) {
      expect(await fetch(version, 1)).toEqual({ hw: 5, lso: 4, aborted: [{ producerId: 11, firstOffset: 0 }], offsets: [0, 2, 3] })
      expect(await fetch(version, 0)).toEqual({ hw: 5, lso: 4, aborted: [], offsets: [0, 2, 3, 4] })
      expect(await fetch(version, 1, 4)).toEqual({ hw: 5, lso: 4, aborted: [], offsets: [] })
    }
    await append(txnMarker(12, 'commit'))
    // From the ABORT marker (offset 3) on, the transaction it ends is still named; past it, not.
    expect(await fetch(12, 1, 3)).toEqual({ hw: 6, lso: 6, aborted: [{ producerId: 11, firstOffset: 0 }], offsets: [3, 4, 5] })
    expect(await fetch(12, 1, 4)).toEqual({ hw: 6, lso: 6, aborted: [], offsets: [4, 5] })
  })
})

describe('KafkaLog isolation levels', () => {
  it('reads committed records only, up to the LSO, across an aborted and a committed transaction', async () => {
    await wire.kafka.log.createTopic('txn-kafka-log', { partitions: 1 })
    const batches = [
      txnData(21, ['a']),
      plainData(['b']),
      txnData(22, ['c']),
      txnMarker(21, 'abort'),
      txnData(21, ['d']),
      txnMarker(22, 'commit'),
      plainData(['e']),
    ]
    for (const batch of batches) await wire.kafka.log.queueBatch('txn-kafka-log', 0, batch)
    const log = await KafkaLog.connect({ brokers: [`127.0.0.1:${wire.kafka.port}`] })
    try {
      const read = async (isolation: IsolationLevel) => {
        const result = await log.read('txn-kafka-log', 0, 0, { isolation })
        return [result.records.map((r) => `${r.offset}:${r.value!.toString()}`), result.nextOffset, result.lastStableOffset]
      }
      // Producer 21's second transaction (offset 4) is still open: the LSO holds there.
      expect(await read('read_committed')).toEqual([['1:b', '2:c'], 4, 4])
      expect(await read('read_uncommitted')).toEqual([['0:a', '1:b', '2:c', '4:d', '6:e'], 7, 4])
      await wire.kafka.log.queueBatch('txn-kafka-log', 0, txnMarker(21, 'commit'))
      expect(await read('read_committed')).toEqual([['1:b', '2:c', '4:d', '6:e'], 8, 8])
    } finally {
      await log.close()
    }
  })
})
