/**
 * Tributary's side of the log benchmark, on the embedded engine in this process: batched and single
 * appends in both durability modes, a full consume, single-append fsync latency, and produce-to-
 * consume latency at a steady rate.
 */
import type { EmbeddedLog } from '../core/log/embedded-log.ts'
import type { LogRecord } from '../core/log/log.ts'
import { latencySummary, megabytesPerSecond, perSecond, runWindow } from './lib/stats.ts'

const APPENDS_IN_FLIGHT = 64
const BATCH_RECORDS = 100

export interface ProduceResult {
  readonly msgsPerSec: number
  readonly MBs: number
}

export async function produce(log: EmbeddedLog, topic: string, records: number, value: Buffer, batchSize: number): Promise<ProduceResult> {
  const batch: LogRecord[] = Array.from({ length: batchSize }, () => ({ key: null, value, partition: 0 }))
  const elapsedMs = await runWindow(records, APPENDS_IN_FLIGHT, batchSize, () => log.append(topic, batch))
  return { msgsPerSec: perSecond(records, elapsedMs), MBs: megabytesPerSecond(records * value.length, elapsedMs) }
}

export const produceBatched = (log: EmbeddedLog, topic: string, records: number, value: Buffer) =>
  produce(log, topic, records, value, BATCH_RECORDS)
export const produceSingle = (log: EmbeddedLog, topic: string, records: number, value: Buffer) => produce(log, topic, records, value, 1)

export async function consumeAll(log: EmbeddedLog, topic: string, records: number, valueBytes: number): Promise<ProduceResult> {
  const started = performance.now()
  let offset = 0
  let read = 0
  while (read < records) {
    const result = await log.read(topic, 0, offset, { maxBytes: 1024 * 1024 })
    if (result.records.length === 0) throw new Error(`log ended after ${read} of ${records} records`)
    read += result.records.length
    offset = result.nextOffset
  }
  const elapsedMs = performance.now() - started
  return { msgsPerSec: perSecond(read, elapsedMs), MBs: megabytesPerSecond(read * valueBytes, elapsedMs) }
}

/** Sequential single appends in fsync mode: each waits for its own fsync. */
export async function fsyncAppendLatency(
  log: EmbeddedLog,
  topic: string,
  samples: number,
  value: Buffer,
): Promise<{ p50: number; p99: number; max: number }> {
  const record: LogRecord[] = [{ key: null, value, partition: 0 }]
  const latencies: number[] = []
  for (let i = 0; i < samples; i++) {
    const started = performance.now()
    await log.append(topic, record)
    latencies.push(performance.now() - started)
  }
  return latencySummary(latencies)
}

/**
 * A consumer long-polls while a producer appends `ratePerSec` records a second (10 every ms), each
 * carrying its send time; latency is from the append call to the consumer holding the record.
 */
export async function endToEndLatency(
  log: EmbeddedLog,
  topic: string,
  durationMs: number,
  ratePerSec: number,
  valueBytes: number,
): Promise<{ p50: number; p99: number; max: number }> {
  const total = Math.max(1000, Math.round((ratePerSec * durationMs) / 1000))
  const perTick = Math.max(1, Math.round(ratePerSec / 1000))
  const latencies: number[] = []
  const consumer = (async () => {
    let offset = await log.listOffset(topic, 0, 'latest')
    const end = offset + total
    while (offset < end) {
      const result = await log.read(topic, 0, offset, { maxWaitMs: 500 })
      const now = performance.now()
      for (const record of result.records) latencies.push(now - record.value!.readDoubleLE(0))
      offset = result.nextOffset
    }
  })()
  await new Promise<void>((resolve, reject) => {
    let sent = 0
    const tick = setInterval(() => {
      for (let i = 0; i < perTick && sent < total; i++, sent++) {
        const value = Buffer.alloc(valueBytes)
        value.writeDoubleLE(performance.now(), 0)
        log.append(topic, [{ key: null, value, partition: 0 }]).catch(reject)
      }
      if (sent >= total) {
        clearInterval(tick)
        resolve()
      }
    }, 1)
  })
  await consumer
  return latencySummary(latencies)
}
