/**
 * The embedded log's transaction coordinator in process: commit and abort write markers readers
 * honour, a new producer of the same transactional id fences the old one, a transaction past its
 * timeout is aborted by the sweep on the manual clock, offsets committed in a transaction count only
 * at its commit, and producer ids, epochs and open transactions survive a reopen.
 */
import { once } from 'node:events'
import { describe, expect, it } from 'vitest'
import type { IsolationLevel } from '../../../core/log/log.ts'
import type { TransactionCoordinator } from '../../../core/log/transactions/coordinator.ts'
import type { TransactionMetadata } from '../../../core/log/transactions/transaction-state.ts'
import { manualClockLogPerTest } from '../../support/manual-clock-log.ts'
import { txnData } from '../../support/txn-batches.ts'

const each = manualClockLogPerTest()
const NONE = { producerId: -1, producerEpoch: -1 }

async function values(topic: string, isolation: IsolationLevel): Promise<string[]> {
  const seen: string[] = []
  for (let offset = 0; ; ) {
    const read = await each.log.read(topic, 0, offset, { isolation })
    seen.push(...read.records.map((r) => r.value!.toString()))
    if (read.nextOffset === offset) return seen
    offset = read.nextOffset
  }
}

/** Begins a transaction of `producer` on t-0 holding `written`. */
async function writeInTxn(
  coordinator: TransactionCoordinator,
  id: string,
  producer: { producerId: number; producerEpoch: number },
  written: string[],
): Promise<void> {
  await coordinator.addPartitions(id, producer, [{ topic: 't', partition: 0 }])
  coordinator.checkWrite(id, producer, 't', 0)
  await each.log.queueBatch('t', 0, txnData(producer.producerId, written, producer.producerEpoch))
}

describe('the transaction coordinator', () => {
  it('commits and aborts: markers decide what read_committed readers see, and the state is stored', async () => {
    await each.log.createTopic('t')
    const coordinator = await each.log.transactions()
    const producer = await coordinator.initProducerId('app', 60_000, NONE)
    expect(producer.producerEpoch).toBe(0)
    await writeInTxn(coordinator, 'app', producer, ['a', 'b'])
    expect(await values('t', 'read_committed')).toEqual([])
    await coordinator.endTransaction('app', producer, true)
    expect(await values('t', 'read_committed')).toEqual(['a', 'b'])
    await writeInTxn(coordinator, 'app', producer, ['x'])
    await coordinator.endTransaction('app', producer, false)
    // A retried abort is answered again; the other outcome is refused.
    await coordinator.endTransaction('app', producer, false)
    await expect(coordinator.endTransaction('app', producer, true)).rejects.toMatchObject({ code: 'TRB_TXN_INVALID_STATE' })
    expect(await values('t', 'read_committed')).toEqual(['a', 'b'])
    expect(await values('t', 'read_uncommitted')).toEqual(['a', 'b', 'x'])
    expect(coordinator.describe('app')).toMatchObject({ state: 'CompleteAbort', partitions: [], ...producer })
    expect(() => coordinator.checkWrite('app', producer, 't', 0)).toThrow(expect.objectContaining({ code: 'TRB_TXN_INVALID_STATE' }))

    await each.reopen()
    const reopened = await each.log.transactions()
    expect(reopened.describe('app')).toMatchObject({ state: 'CompleteAbort', ...producer })
    expect(await reopened.initProducerId('app', 60_000, NONE)).toEqual({ producerId: producer.producerId, producerEpoch: 1 })
  })

  it('fences the older producer when the id is initialised again, aborting its open transaction', async () => {
    await each.log.createTopic('t')
    const coordinator = await each.log.transactions()
    const first = await coordinator.initProducerId('app', 60_000, NONE)
    await writeInTxn(coordinator, 'app', first, ['zombie'])
    const completed = once(coordinator.events, 'completed')
    const second = await coordinator.initProducerId('app', 60_000, NONE)
    expect((await completed)[1]).toBe('fenced')
    expect(second.producerId).toBe(first.producerId)
    expect(second.producerEpoch).toBeGreaterThan(first.producerEpoch)
    await expect(coordinator.endTransaction('app', first, true)).rejects.toMatchObject({ code: 'TRB_PRODUCER_FENCED' })
    await expect(coordinator.addPartitions('app', first, [{ topic: 't', partition: 0 }])).rejects.toMatchObject({
      code: 'TRB_PRODUCER_FENCED',
    })
    expect(() => coordinator.checkWrite('app', first, 't', 0)).toThrow(expect.objectContaining({ code: 'TRB_PRODUCER_FENCED' }))
    expect(await values('t', 'read_committed')).toEqual([])
    expect(each.log.partitionsOf('t')[0]!.lastStableOffset).toBe(each.log.partitionsOf('t')[0]!.highWatermark)
    await writeInTxn(coordinator, 'app', second, ['kept'])
    await coordinator.endTransaction('app', second, true)
    expect(await values('t', 'read_committed')).toEqual(['kept'])
  })

  it('aborts a transaction past transaction.timeout.ms, also one left open across a restart', async () => {
    await each.log.createTopic('t')
    let coordinator = await each.log.transactions()
    const producer = await coordinator.initProducerId('slow', 5_000, NONE)
    await writeInTxn(coordinator, 'slow', producer, ['late'])
    await each.clock.advance(4_000)
    expect(coordinator.describe('slow')!.state).toBe('Ongoing')
    const timedOut = once(coordinator.events, 'completed') as Promise<[TransactionMetadata, string]>
    await each.clock.advance(10_000)
    const [metadata, cause] = await timedOut
    expect([metadata.state, cause, metadata.producerEpoch]).toEqual(['CompleteAbort', 'timed-out', producer.producerEpoch + 1])
    await expect(coordinator.endTransaction('slow', producer, true)).rejects.toMatchObject({ code: 'TRB_PRODUCER_FENCED' })
    expect(await values('t', 'read_committed')).toEqual([])

    const next = await coordinator.initProducerId('slow', 5_000, NONE)
    await writeInTxn(coordinator, 'slow', next, ['orphan'])
    coordinator = await each.reopen().then((log) => log.transactions())
    expect(coordinator.describe('slow')!.state).toBe('Ongoing')
    expect(each.log.partitionsOf('t')[0]!.lastStableOffset).toBeLessThan(each.log.partitionsOf('t')[0]!.highWatermark)
    const aborted = once(coordinator.events, 'completed')
    await each.clock.advance(10_000)
    expect((await aborted)[1]).toBe('timed-out')
    expect(each.log.partitionsOf('t')[0]!.lastStableOffset).toBe(each.log.partitionsOf('t')[0]!.highWatermark)
    expect(await values('t', 'read_committed')).toEqual([])
  })

  it('refuses a timeout past transaction.max.timeout.ms and requests from unknown producers', async () => {
    const coordinator = await each.log.transactions()
    expect(() => coordinator.initProducerId('x', 16 * 60_000, NONE)).toThrow(expect.objectContaining({ code: 'TRB_TXN_INVALID_TIMEOUT' }))
    await expect(coordinator.endTransaction('x', { producerId: 5, producerEpoch: 0 }, true)).rejects.toMatchObject({
      code: 'TRB_TXN_PRODUCER_ID_MAPPING',
    })
    const producer = await coordinator.initProducerId('x', 1000, NONE)
    await expect(coordinator.endTransaction('x', producer, true)).rejects.toMatchObject({ code: 'TRB_TXN_INVALID_STATE' })
  })

  it('never hands out a producer id twice, across restarts', async () => {
    let coordinator = await each.log.transactions()
    const before = await Promise.all(['a', 'b', 'c'].map((id) => coordinator.initProducerId(id, 1000, NONE)))
    coordinator = await each.reopen().then((log) => log.transactions())
    const after = await coordinator.initProducerId('d', 1000, NONE)
    expect(new Set([...before.map((p) => p.producerId), after.producerId]).size).toBe(4)
    expect(after.producerId).toBeGreaterThan(Math.max(...before.map((p) => p.producerId)))
  })

  it('forgets a transactional id idle past transactional.id.expiration.ms, and never reuses its producer id', async () => {
    const log = await each.reopen({ transactions: { idExpirationMs: 60_000 } })
    const coordinator = await log.transactions()
    const idle = await coordinator.initProducerId('idle', 1000, NONE)
    await each.clock.advance(30_000)
    await coordinator.initProducerId('busy', 1000, NONE)
    const expired = once(coordinator.events, 'expired') as Promise<[TransactionMetadata]>
    await each.clock.advance(40_000)
    expect((await expired)[0].transactionalId).toBe('idle')
    expect([coordinator.describe('idle'), coordinator.describe('busy')?.state]).toEqual([undefined, 'Empty'])
    const reopened = await each.reopen().then((l) => l.transactions())
    expect(reopened.describe('idle')).toBeUndefined()
    const again = await reopened.initProducerId('idle', 1000, NONE)
    expect(again.producerId).not.toBe(idle.producerId)
  })

  it('skips and reports records of __transaction_state that are not its own, keeping the good ones', async () => {
    const producer = await (await each.log.transactions()).initProducerId('good', 1000, NONE)
    await each.log.append('__transaction_state', [
      { key: Buffer.from('not json'), value: Buffer.from('{'), partition: 1 },
      {
        key: Buffer.from(JSON.stringify(['txn', 'bad'])),
        value: Buffer.from(JSON.stringify({ transactionalId: 'bad', state: 'Sideways' })),
        partition: 1,
      },
    ])
    const skipped: Array<{ topic: string; reason: string }> = []
    const reopened = await each.reopen({ onSkippedRecord: (event) => skipped.push(event) }).then((log) => log.transactions())
    expect(skipped.map((event) => [event.topic, event.reason])).toEqual([
      ['__transaction_state', 'the key or value is not JSON'],
      ['__transaction_state', "the value is not a transaction's metadata"],
    ])
    expect([reopened.describe('good')?.producerId, reopened.describe('bad')]).toEqual([producer.producerId, undefined])
  })

  it('makes offsets committed in a transaction visible at its commit only, and drops them at its abort', async () => {
    await each.log.createTopic('t')
    const coordinator = await each.log.transactions()
    const groups = await each.log.groups()
    const producer = await coordinator.initProducerId('etl', 60_000, NONE)
    const commitOffsets = async (offset: number) => {
      await coordinator.addOffsets('etl', producer, 'readers')
      await groups.commitTransactionalOffsets('readers', '', -1, producer, [{ topic: 't', partition: 0, offset }])
    }
    await commitOffsets(5)
    expect(groups.fetchOffsets('readers')).toEqual([])
    expect(groups.hasPendingCommit('readers', 't', 0)).toBe(true)
    await coordinator.endTransaction('etl', producer, true)
    expect(groups.fetchOffsets('readers').map((o) => o.offset)).toEqual([5])
    await commitOffsets(9)
    await coordinator.endTransaction('etl', producer, false)
    expect(groups.fetchOffsets('readers').map((o) => o.offset)).toEqual([5])
    await commitOffsets(12)

    // Reopened with the third commit undecided: it stays pending until the timeout aborts it.
    await each.reopen()
    const reopenedGroups = await each.log.groups()
    expect(reopenedGroups.fetchOffsets('readers').map((o) => o.offset)).toEqual([5])
    expect(reopenedGroups.hasPendingCommit('readers', 't', 0)).toBe(true)
    const aborted = once((await each.log.transactions()).events, 'completed')
    await each.clock.advance(70_000)
    await aborted
    expect(reopenedGroups.hasPendingCommit('readers', 't', 0)).toBe(false)
    expect(reopenedGroups.fetchOffsets('readers').map((o) => o.offset)).toEqual([5])
  })
})
