/**
 * Child process for the transaction coordinator's crash test: runs transactions of transactional id
 * `eos` on the embedded log, each writing one record to each partition of topic `eos` (fsync) and
 * committing offset `<seq>` for group `eos-group`; transaction `seq` aborts when seq % 3 === 2.
 * Prints `start <n>`, `epoch <producer epoch>`, `pid <a producer id of a fresh transactional id>`,
 * `decided <seq>:<commit|abort>` once a decision is durable, and `ack <seq>` once a transaction has
 * completed. Given a kill point it SIGKILLs itself there: `decision:<seq>` the moment that
 * transaction's decision is stored, before any marker is written; `written:<seq>` once its records
 * and offsets are written, before it is ended (left Ongoing).
 *
 *   txn-coordinator-crash-writer <dataDir> <firstSeq> [decision|written:<seq>]
 */
import { EmbeddedLog } from '../../core/log/embedded-log.ts'
import { ATTR_TRANSACTIONAL, encodeRecordBatch } from '../../core/log/record-batch.ts'

export const CRASH_PARTITIONS = 3
export const isAbortedSeq = (seq: number): boolean => seq % 3 === 2

const [dataDir, firstSeqArg, killArg] = process.argv.slice(2)
const [killWhere, killSeq] = (killArg ?? 'none:-1').split(':')
if (dataDir && firstSeqArg) await run(dataDir, Number(firstSeqArg), killWhere!, Number(killSeq))

async function run(dir: string, firstSeq: number, killWhere: string, killAt: number): Promise<void> {
  const log = await EmbeddedLog.open({ dataDir: dir, maintenanceIntervalMs: 0 })
  if (!log.hasTopic('eos')) await log.createTopic('eos', { partitions: CRASH_PARTITIONS, durability: 'fsync', 'segment.bytes': 4096 })
  const coordinator = await log.transactions()
  const groups = await log.groups()
  const producer = await coordinator.initProducerId('eos', 60_000, { producerId: -1, producerEpoch: -1 })
  const fresh = await coordinator.initProducerId(`fresh-${firstSeq}`, 60_000, { producerId: -1, producerEpoch: -1 })
  process.stdout.write(`start ${firstSeq}\nepoch ${producer.producerEpoch}\npid ${fresh.producerId}\n`)
  let seq = firstSeq
  coordinator.events.on('prepared', (metadata: { state: string }) => {
    process.stdout.write(`decided ${seq}:${metadata.state === 'PrepareCommit' ? 'commit' : 'abort'}\n`)
    if (killWhere === 'decision' && seq === killAt) process.kill(process.pid, 'SIGKILL')
  })
  for (; ; seq++) {
    const partitions = Array.from({ length: CRASH_PARTITIONS }, (_, partition) => ({ topic: 'eos', partition }))
    await coordinator.addPartitions('eos', producer, partitions)
    await coordinator.addOffsets('eos', producer, 'eos-group')
    await Promise.all(
      partitions.map(({ partition }) => {
        const batch = encodeRecordBatch(
          [{ key: Buffer.from(`k${partition}`), value: Buffer.from(`${seq}:${partition}`) }],
          0,
          { ...producer, baseSequence: 0 },
          0,
          Date.now(),
          ATTR_TRANSACTIONAL,
        )
        return log.queueBatch('eos', partition, batch)
      }),
    )
    await groups.commitTransactionalOffsets('eos-group', '', -1, producer, [{ topic: 'eos', partition: 0, offset: seq }])
    if (killWhere === 'written' && seq === killAt) process.kill(process.pid, 'SIGKILL')
    await coordinator.endTransaction('eos', producer, !isAbortedSeq(seq))
    process.stdout.write(`ack ${seq}\n`)
  }
}
