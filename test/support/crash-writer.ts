/**
 * Child process for the crash tests: appends numbered records to topic `crash` in fsync mode, many in
 * flight, and prints `ack <seq>` for each acknowledged record. The parent kills it with SIGKILL at a
 * moment of its choosing. It resumes numbering after whatever the log already holds. With `delete`
 * as its third argument it also deletes records behind the writers (DeleteRecords) over and over,
 * printing `deleted <log start offset>` once each deletion resolved. With `large` each record is padded
 * to 32 KiB, so many MiB are in flight: the writer splits them into groups and writes one while the
 * last is being fsynced.
 */
import { createHash } from 'node:crypto'
import { EmbeddedLog } from '../../core/log/embedded-log.ts'

const [dataDir, inFlightArg, mode] = process.argv.slice(2)
if (!dataDir) throw new Error('usage: crash-writer <dataDir> [inFlight] [append|delete|large]')
const inFlight = Number(inFlightArg ?? 16)

export function crashRecordValue(seq: number, padBytes = 0): Buffer {
  const body = Buffer.from(`record-${seq}-`.padEnd(120, 'x'))
  return Buffer.concat([body, createHash('sha256').update(body).digest(), Buffer.alloc(padBytes, seq % 251)])
}
const padBytes = mode === 'large' ? 32 * 1024 : 0

const log = await EmbeddedLog.open({ dataDir })
if (!log.hasTopic('crash'))
  await log.createTopic('crash', { durability: 'fsync', 'segment.bytes': mode === 'large' ? 4 * 1024 * 1024 : 64 * 1024 })
let next = await log.listOffset('crash', 0, 'latest')
process.stdout.write(`start ${next}\n`)

async function worker(): Promise<void> {
  for (;;) {
    const seq = next++
    const [result] = await log.append('crash', [{ key: Buffer.from(String(seq)), value: crashRecordValue(seq, padBytes), partition: 0 }])
    if (result!.offset !== seq) throw new Error(`record ${seq} got offset ${result!.offset}`)
    process.stdout.write(`ack ${seq}\n`)
  }
}
/** Keeps the last 30 records and deletes the rest, again and again. */
async function deleter(): Promise<void> {
  for (;;) {
    const end = await log.listOffset('crash', 0, 'latest')
    const start = await log.deleteRecords('crash', 0, Math.max(0, end - 30))
    process.stdout.write(`deleted ${start}\n`)
    await new Promise((resolve) => setImmediate(resolve))
  }
}

await Promise.all([...Array.from({ length: inFlight }, worker), ...(mode === 'delete' ? [deleter()] : [])])
