/**
 * How an exactly-once topic-sink rides out a transaction that fails: an append failing before the
 * commit aborts and the same output goes again in a new transaction (within errors.retry.timeout,
 * which the connector sets: by default a task restarts at once); a commit that fails, whether it
 * landed or not, restarts the task, whose new producer settles the transaction before the consumer
 * reads the group's committed offsets. Either way a read_committed reader of the output sees each
 * input record once. Faults are injected into the embedded log's transactional producer.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { TributaryError } from '../../../core/errors.ts'
import { EmbeddedLog } from '../../../core/log/embedded-log.ts'
import type { Log, LogTransaction, TransactionalProducer } from '../../../core/log/log.ts'
import { createWorker } from '../../../core/runtime/create-worker.ts'
import { sinkGroupId } from '../../../core/runtime/sink-task-runner.ts'
import type { Herder } from '../../../core/runtime/herder.ts'
import { topicSink } from '../../../connectors/topic/sink.ts'
import { makeTempDir } from '../../support/temp-dir.ts'
import { eventually } from '../../support/worker-harness.ts'

/** append: the append is written, then throws (retriable); commit-landed: the commit is made, then throws; commit-lost: throws, the transaction left open. */
type Fault = 'append' | 'commit-landed' | 'commit-lost'

/** The log, with the given fault in the n-th transaction (1-based) any of its transactional producers begins. */
function withFault(log: EmbeddedLog, fault: Fault, nth: number): { log: Log; fired: () => boolean } {
  let begun = 0
  let fired = false
  const failure = (): TributaryError => {
    fired = true
    return new TributaryError('TRB_LOG_UNAVAILABLE', `injected ${fault}`, { retriable: true })
  }
  const faulty = async (transactionalId: string): Promise<TransactionalProducer> => {
    const producer = await log.transactionalProducer(transactionalId)
    return {
      transactionalId,
      close: () => producer.close(),
      begin: async (): Promise<LogTransaction> => {
        const transaction = await producer.begin()
        const faulted = ++begun === nth
        return {
          append: async (topic, records) => {
            const appended = await transaction.append(topic, records)
            if (faulted && fault === 'append') throw failure()
            return appended
          },
          commitGroupOffsets: (groupId, offsets) => transaction.commitGroupOffsets(groupId, offsets),
          commit: async () => {
            if (faulted && fault === 'commit-landed') await transaction.commit()
            if (faulted && fault !== 'append') throw failure()
            return transaction.commit()
          },
          abort: () => transaction.abort(),
        }
      },
    }
  }
  const wrapped = new Proxy(log, {
    get: (target, property) => {
      if (property === 'transactionalProducer') return faulty
      const value: unknown = Reflect.get(target, property, target)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
  return { log: wrapped, fired: () => fired }
}

let dir: Awaited<ReturnType<typeof makeTempDir>>
let log: EmbeddedLog
let worker: Herder | undefined

const RECORDS = 12

beforeEach(async () => {
  dir = await makeTempDir('tributary-txn-faults-')
  log = await EmbeddedLog.open({ dataDir: dir.path, maintenanceIntervalMs: 0 })
  await log.createTopic('in')
  await log.append(
    'in',
    Array.from({ length: RECORDS }, (_, i) => ({ key: null, value: Buffer.from(`"${i}"`) })),
  )
})
afterEach(async () => {
  await worker?.close()
  worker = undefined
  await log.close()
  await dir.remove()
})

async function runWith(fault: Fault): Promise<string[]> {
  const faulty = withFault(log, fault, 2)
  worker = await createWorker({ log: faulty.log, plugins: [topicSink], workerId: 'w', exactlyOnceSourceSupport: 'enabled' })
  await worker.create('pipe', {
    'connector.class': 'topic-sink',
    topics: 'in',
    topic: 'out',
    'poll.max.records': '3',
    'restart.backoff.ms': '10',
    'errors.retry.timeout': '10000',
  })
  const committed = async (): Promise<number | undefined> => {
    const group = await log.describeGroup(sinkGroupId('pipe')).catch(() => undefined) // none before its first commit
    return group?.offsets.find((o) => o.topic === 'in')?.offset
  }
  await eventually(committed, (offset) => offset === RECORDS)
  expect(faulty.fired()).toBe(true)
  // The commit's markers reach the group's offsets and the output one partition after the other, so
  // the output may show its last transaction a moment after the offsets do; a duplicate still shows
  // as more records than went in.
  const output = async () =>
    (await log.read('out', 0, 0, { isolation: 'read_committed' })).records.map((record) => record.value!.toString())
  return eventually(output, (values) => values.length >= RECORDS)
}

const expected = Array.from({ length: RECORDS }, (_, i) => `"${i}"`)

describe('an exactly-once topic-sink whose transaction fails', () => {
  it('aborts a transaction whose append failed and writes the same output in the next', async () => {
    expect(await runWith('append')).toEqual(expected)
    // The aborted transaction's records stay in the log, unseen by read_committed readers.
    expect((await log.read('out', 0, 0)).records.length).toBeGreaterThan(RECORDS)
  })

  it('restarts from the committed offsets after a commit that failed but landed, writing nothing twice', async () => {
    expect(await runWith('commit-landed')).toEqual(expected)
  })

  it('restarts from the committed offsets after a commit that failed and left the transaction open, losing nothing', async () => {
    expect(await runWith('commit-lost')).toEqual(expected)
  })
})
