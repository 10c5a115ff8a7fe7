/**
 * What every Log with transactions (Log.transactionalProducer) must do, written against the seam
 * only: a transaction's appends, across topics and partitions, reach read_committed readers all at
 * once on commit and never on abort; a group's offsets sent with it move only if it commits; a newer
 * producer of the same transactional id fences the older one and aborts what it left open. Kafka
 * writes the commit markers after EndTxn answers, so what a read_committed reader sees is awaited.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { isTributaryError } from '../../core/errors.ts'
import type { Log, TransactionalProducer } from '../../core/log/log.ts'
import type { LogUnderTest } from './log-suite.ts'
import { eventually } from './worker-harness.ts'

const text = (s: string) => Buffer.from(s)
const values = (records: ReadonlyArray<{ value: Buffer | null }>) => records.map((record) => record.value?.toString())

export function runTransactionSuite(name: string, makeLog: () => Promise<LogUnderTest>): void {
  describe(`${name}: transactions`, () => {
    let subject: LogUnderTest
    let log: Log
    const producers: TransactionalProducer[] = []

    const producer = async (transactionalId: string): Promise<TransactionalProducer> => {
      const opened = await log.transactionalProducer!(transactionalId)
      producers.push(opened)
      return opened
    }
    const committedValues = async (topic: string, partition: number): Promise<Array<string | undefined>> =>
      values((await log.read(topic, partition, 0, { isolation: 'read_committed' })).records)
    const groupOffsets = async (groupId: string): Promise<Array<[string, number, number]>> => {
      try {
        return (await log.describeGroup(groupId)).offsets.map((o) => [o.topic, o.partition, o.offset] as [string, number, number])
      } catch (error) {
        if (isTributaryError(error, 'TRB_GROUP_NOT_FOUND')) return []
        throw error
      }
    }

    beforeEach(async () => {
      subject = await makeLog()
      log = subject.log
      expect(log.transactionalProducer, `${name} offers transactions`).toBeTypeOf('function')
    })
    afterEach(async () => {
      for (const opened of producers.splice(0)) await opened.close().catch(() => undefined) // a fenced producer may refuse to close cleanly
      await log.close()
      await subject.cleanup()
    })

    it("shows a transaction's appends to read_committed readers only once it commits, all of them", async () => {
      await log.createTopic('tx-orders', { partitions: 2 })
      await log.createTopic('tx-audit')
      const transaction = await (await producer('tx-commit')).begin()
      const appended = await transaction.append('tx-orders', [
        { key: null, value: text('o1'), partition: 0 },
        { key: null, value: text('o2'), partition: 1 },
      ])
      expect(appended.map((a) => a.partition)).toEqual([0, 1])
      await transaction.append('tx-audit', [{ key: text('k'), value: text('a1') }])

      const open = await log.read('tx-orders', 0, 0, { isolation: 'read_committed' })
      expect(open.records).toEqual([])
      expect(open.lastStableOffset).toBe(appended[0]!.offset)
      expect(values((await log.read('tx-orders', 0, 0)).records)).toEqual(['o1'])

      await transaction.commit()
      await eventually(
        () => committedValues('tx-orders', 0),
        (seen) => seen.length === 1,
      )
      expect(await committedValues('tx-orders', 0)).toEqual(['o1'])
      await eventually(
        () => committedValues('tx-orders', 1),
        (seen) => seen.length === 1,
      )
      expect(await committedValues('tx-orders', 1)).toEqual(['o2'])
      await eventually(
        () => committedValues('tx-audit', 0),
        (seen) => seen.length === 1,
      )
      expect(await committedValues('tx-audit', 0)).toEqual(['a1'])
    })

    it("never shows an aborted transaction's appends to read_committed readers", async () => {
      await log.createTopic('tx-abort')
      const opened = await producer('tx-abort')
      const aborted = await opened.begin()
      await aborted.append('tx-abort', [
        { key: null, value: text('lost1') },
        { key: null, value: text('lost2') },
      ])
      await aborted.abort()
      const committed = await opened.begin()
      await committed.append('tx-abort', [{ key: null, value: text('kept') }])
      await committed.commit()
      await eventually(
        () => committedValues('tx-abort', 0),
        (seen) => seen.includes('kept'),
      )
      expect(await committedValues('tx-abort', 0)).toEqual(['kept'])
      // read_uncommitted sees the aborted data too; neither sees the markers.
      expect(values((await log.read('tx-abort', 0, 0)).records)).toEqual(['lost1', 'lost2', 'kept'])
    })

    it("moves a group's offsets sent with a transaction only when it commits", async () => {
      await log.createTopic('tx-in', { partitions: 2 })
      await log.createTopic('tx-out')
      const opened = await producer('tx-offsets')
      const aborted = await opened.begin()
      await aborted.append('tx-out', [{ key: null, value: text('x') }])
      await aborted.commitGroupOffsets('tx-group', [{ topic: 'tx-in', partition: 0, offset: 7 }])
      await aborted.abort()
      expect(await groupOffsets('tx-group')).toEqual([])

      const committed = await opened.begin()
      await committed.append('tx-out', [{ key: null, value: text('y') }])
      await committed.commitGroupOffsets('tx-group', [
        { topic: 'tx-in', partition: 0, offset: 3 },
        { topic: 'tx-in', partition: 1, offset: 5 },
      ])
      await committed.commit()
      const offsets = await eventually(
        () => groupOffsets('tx-group'),
        (seen) => seen.length === 2,
      )
      expect(offsets.sort()).toEqual([
        ['tx-in', 0, 3],
        ['tx-in', 1, 5],
      ])
    })

    it('hands a read_committed group member the committed records only', async () => {
      await log.createTopic('tx-group-read')
      const opened = await producer('tx-group-read')
      const aborted = await opened.begin()
      await aborted.append('tx-group-read', [{ key: null, value: text('lost') }])
      await aborted.abort()
      const committed = await opened.begin()
      await committed.append('tx-group-read', [{ key: null, value: text('kept') }])
      await committed.commit()
      const member = await log.subscribe({
        groupId: 'tx-reader',
        topics: ['tx-group-read'],
        isolation: 'read_committed',
        sessionTimeoutMs: 6_000,
        heartbeatIntervalMs: 500,
      })
      try {
        const seen: string[] = []
        await eventually(
          async () => {
            seen.push(...values(await member.poll({ maxWaitMs: 200 })).map(String))
            return seen
          },
          (all) => all.includes('kept'),
          30_000,
        )
        expect(seen).toEqual(['kept'])
      } finally {
        await member.close()
      }
    })

    it('fences the older producer of a transactional id and aborts what it left open', async () => {
      await log.createTopic('tx-fence')
      const older = await producer('tx-fenced')
      const open = await older.begin()
      await open.append('tx-fence', [{ key: null, value: text('from-older') }])
      const newer = await producer('tx-fenced')
      await expect(open.commit()).rejects.toMatchObject({ code: 'TRB_PRODUCER_FENCED' })
      const transaction = await newer.begin()
      await transaction.append('tx-fence', [{ key: null, value: text('from-newer') }])
      await transaction.commit()
      await eventually(
        () => committedValues('tx-fence', 0),
        (seen) => seen.includes('from-newer'),
      )
      expect(await committedValues('tx-fence', 0)).toEqual(['from-newer'])
    })
  })
}
