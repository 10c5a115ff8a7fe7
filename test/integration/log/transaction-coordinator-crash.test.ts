/**
 * The transaction coordinator through real crashes: a child runs transactions over three partitions
 * and a group's offsets and is SIGKILLed, once the moment a commit decision is stored (before any
 * marker), once at a random point, once with a transaction written but not ended, once the moment
 * an abort decision is stored. On reopen every
 * transaction is all or nothing: a decided commit is complete in every partition and its offset is
 * the group's, a decided abort and an undecided one are invisible (the undecided one until its
 * timeout aborts it, then the last stable offset catches up), the producer's epoch has survived
 * and grows, and no producer id is handed out twice.
 */
import path from 'node:path'
import { once } from 'node:events'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { EmbeddedLog } from '../../../core/log/embedded-log.ts'
import { ManualClock } from '../../support/clock.ts'
import { killAfterAcks } from '../../support/kill-after-acks.ts'
import { makeTempDir } from '../../support/temp-dir.ts'

const writer = path.resolve(import.meta.dirname, '../../support/txn-coordinator-crash-writer.ts')
const PARTITIONS = 3
let dir: { path: string; remove: () => Promise<void> }

beforeEach(async () => {
  dir = await makeTempDir('tributary-txn-coordinator-crash-')
})
afterEach(async () => {
  await dir.remove()
})

interface KilledRun {
  readonly epoch: number
  readonly producerId: number
  readonly decided: Map<number, 'commit' | 'abort'>
  readonly acked: number[]
}

/** Runs the writer from `firstSeq` until it has acked `acks` transactions, or killed itself at `killAt` (`decision:<seq>`, `written:<seq>`). */
async function runAndKill(firstSeq: number, acks: number, killAt?: string): Promise<KilledRun> {
  const run = { epoch: -1, producerId: -1, decided: new Map<number, 'commit' | 'abort'>(), acked: [] as number[] }
  const args = [dir.path, String(firstSeq), ...(killAt === undefined ? [] : [killAt])]
  const killed = await killAfterAcks(writer, args, acks, (kind, value) => {
    if (kind === 'epoch') run.epoch = Number(value)
    if (kind === 'pid') run.producerId = Number(value)
    if (kind === 'decided') {
      const [seq, outcome] = value.split(':')
      run.decided.set(Number(seq), outcome as 'commit' | 'abort')
    }
  })
  for (let seq = firstSeq; seq <= killed.lastAcked; seq++) run.acked.push(seq)
  return run
}

/** Transaction sequence numbers visible at read_committed, with how many partitions show each. */
async function committedSeqs(log: EmbeddedLog): Promise<Map<number, number>> {
  const seen = new Map<number, number>()
  for (let partition = 0; partition < PARTITIONS; partition++) {
    for (let offset = 0; ; ) {
      const read = await log.read('eos', partition, offset, { isolation: 'read_committed' })
      for (const record of read.records) {
        const seq = Number(record.value!.toString().split(':')[0])
        seen.set(seq, (seen.get(seq) ?? 0) + 1)
      }
      if (read.nextOffset === offset) break
      offset = read.nextOffset
    }
  }
  return seen
}

describe('the transaction coordinator after SIGKILL', () => {
  it('completes decided transactions, aborts undecided ones, and keeps epochs and producer ids', async () => {
    const decided = new Map<number, 'commit' | 'abort'>()
    const epochs: number[] = []
    const producerIds: number[] = []
    let firstSeq = 0
    const sawOngoing: boolean[] = []
    // Killed at the decision of transaction 3 (a commit), at a random point, with 9 written and not
    // ended, at the decision of 14 (an abort).
    for (const [acks, killAt] of [
      [100, 'decision:3'],
      [4, undefined],
      [100, 'written:9'],
      [100, 'decision:14'],
    ] as const) {
      const run = await runAndKill(firstSeq, acks, killAt)
      epochs.push(run.epoch)
      producerIds.push(run.producerId)
      for (const [seq, outcome] of run.decided) decided.set(seq, outcome)
      if (killAt?.startsWith('decision'))
        expect(run.decided.get(Number(killAt.split(':')[1]))).toBe(killAt === 'decision:14' ? 'abort' : 'commit')
      const lastSeq = Math.max(...run.decided.keys(), ...run.acked, firstSeq)

      const clock = new ManualClock(Date.now())
      const log = await EmbeddedLog.open({ dataDir: dir.path, clock, maintenanceIntervalMs: 0 })
      const coordinator = await log.transactions()
      // Whatever was decided is complete now; a transaction still open waits for its timeout.
      sawOngoing.push(coordinator.describe('eos')!.state === 'Ongoing')
      if (coordinator.describe('eos')!.state === 'Ongoing') {
        const undecided = await committedSeqs(log)
        expect([...undecided.keys()].filter((seq) => !decided.has(seq))).toEqual([])
        const aborted = once(coordinator.events, 'completed')
        await clock.advance(70_000)
        expect((await aborted)[1]).toBe('timed-out')
      }
      expect(coordinator.describe('eos')!.state).toMatch(/^Complete/)
      const visible = await committedSeqs(log)
      for (let seq = 0; seq <= lastSeq; seq++) {
        const expected = decided.get(seq) === 'commit' ? PARTITIONS : 0
        expect(visible.get(seq) ?? 0, `transaction ${seq} (${decided.get(seq) ?? 'undecided'})`).toBe(expected)
      }
      for (const partition of log.partitionsOf('eos')) expect(partition.lastStableOffset).toBe(partition.highWatermark)
      const lastCommit = Math.max(...[...decided].filter(([, outcome]) => outcome === 'commit').map(([seq]) => seq))
      expect((await log.groups()).fetchOffsets('eos-group').map((o) => o.offset)).toEqual([lastCommit])
      await log.close()
      firstSeq = lastSeq + 1
    }
    expect(epochs).toEqual([...epochs].sort((a, b) => a - b))
    expect(new Set(epochs).size).toBe(4)
    expect(new Set(producerIds).size).toBe(4)
    expect(sawOngoing[2]).toBe(true)
  })
})
