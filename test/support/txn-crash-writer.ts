/**
 * Child process for the transaction crash test: appends the batches of txn-script.ts to topic `txn`
 * in fsync mode with small segments (so rolls and their snapshots happen often), many in flight, and
 * prints `ack <i>` for each acknowledged batch. It resumes the script after what the log holds.
 */
import { EmbeddedLog } from '../../core/log/embedded-log.ts'
import { scriptBatch } from './txn-script.ts'

const [dataDir] = process.argv.slice(2)
if (!dataDir) throw new Error('usage: txn-crash-writer <dataDir>')

const log = await EmbeddedLog.open({ dataDir })
if (!log.hasTopic('txn')) await log.createTopic('txn', { durability: 'fsync', 'segment.bytes': 2048 })
let next = await log.listOffset('txn', 0, 'latest')
process.stdout.write(`start ${next}\n`)

async function worker(): Promise<void> {
  for (;;) {
    const i = next++
    const offset = await log.queueBatch('txn', 0, scriptBatch(i))
    if (offset !== i) throw new Error(`batch ${i} got offset ${offset}`)
    process.stdout.write(`ack ${i}\n`)
  }
}

await Promise.all(Array.from({ length: 16 }, worker))
