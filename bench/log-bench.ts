/**
 * `npm run bench:log [-- --records N] [--value-bytes B]`: the embedded log against the peers on this
 * machine (Redis Streams, NATS JetStream) and the disk's sequential write rate, all in one run on the
 * same workload of N records (default 1,000,000) of B bytes each (default 100; 1024 for the fsync
 * goal at 1 KiB records, `ratio.batchedFsyncMBsVsDisk`).
 * One JSON object on stdout; a readable table on stderr.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { EmbeddedLog } from '../core/log/embedded-log.ts'
import { measureSequentialWrite } from './lib/disk-write.ts'
import { ratio, round, sampleValue } from './lib/stats.ts'
import { benchJetStream } from './peers/jetstream.ts'
import { benchRedisStreams, type PeerResult } from './peers/redis-streams.ts'
import { consumeAll, endToEndLatency, fsyncAppendLatency, produceBatched, produceSingle } from './tributary-log.ts'

const { values } = parseArgs({
  options: { records: { type: 'string', default: '1000000' }, 'value-bytes': { type: 'string', default: '100' } },
})
const records = Number(values.records)
if (!Number.isInteger(records) || records < 1000) throw new Error('--records must be a whole number >= 1000')
const RECORD_BYTES = Number(values['value-bytes'])
if (!Number.isInteger(RECORD_BYTES) || RECORD_BYTES < 1 || RECORD_BYTES > 1024 * 1024)
  throw new Error('--value-bytes must be a whole number from 1 to 1048576')
const scale = records / 1_000_000

async function main(): Promise<void> {
  const value = sampleValue(RECORD_BYTES)
  const dataDir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'tributary-bench-'))
  const rssSampler = sampleRss()
  const absent: string[] = []
  try {
    const diskWriteMBs = await measureSequentialWrite(dataDir, Math.max(32, Math.round(256 * scale)) * 1024 * 1024)

    const log = await EmbeddedLog.open({ dataDir, maintenanceIntervalMs: 0 })
    await log.createTopic('bench-async', { durability: 'async' })
    await log.createTopic('bench-fsync', { durability: 'fsync' })
    await log.createTopic('bench-single', { durability: 'fsync' })
    await log.createTopic('bench-latency', { durability: 'fsync' })
    await log.createTopic('bench-e2e-async', { durability: 'async' })
    await log.createTopic('bench-e2e-fsync', { durability: 'fsync' })
    const batchedAsync = await produceBatched(log, 'bench-async', records, value)
    const batchedFsync = await produceBatched(log, 'bench-fsync', records, value)
    const singleFsync = await produceSingle(log, 'bench-single', records, value)
    const consume = await consumeAll(log, 'bench-async', records, RECORD_BYTES)
    const fsyncLatency = await fsyncAppendLatency(log, 'bench-latency', 2000, value)
    const e2eMs = Math.max(1000, Math.round(3000 * scale))
    const e2eAsync = await endToEndLatency(log, 'bench-e2e-async', e2eMs, 10_000, RECORD_BYTES)
    const e2eFsync = await endToEndLatency(log, 'bench-e2e-fsync', e2eMs, 10_000, RECORD_BYTES)
    await log.close()
    const peakRssMB = round(Math.max(rssSampler.stop(), process.resourceUsage().maxRSS / 1024), 1)

    const redis = await benchRedisStreams(records, value)
    if (!redis) absent.push('redis (127.0.0.1:6379 not reachable)')
    const jetstream = await benchJetStream(records, value)
    if (!jetstream) absent.push('jetstream (127.0.0.1:4222 not reachable)')
    const fastestPeerProduce = maxOf(redis?.produce, jetstream?.produce)
    const fastestPeerConsume = maxOf(redis?.consume, jetstream?.consume)

    const result = {
      records,
      recordBytes: RECORD_BYTES,
      'tributary.produceBatchedAsync': batchedAsync.msgsPerSec,
      'tributary.produceBatchedAsyncMBs': batchedAsync.MBs,
      'tributary.produceBatchedFsync': batchedFsync.msgsPerSec,
      'tributary.produceBatchedFsyncMBs': batchedFsync.MBs,
      'tributary.produceSingleFsync': singleFsync.msgsPerSec,
      'tributary.consume': consume.msgsPerSec,
      'tributary.consumeMBs': consume.MBs,
      'tributary.fsyncAppendP50Ms': fsyncLatency.p50,
      'tributary.fsyncAppendP99Ms': fsyncLatency.p99,
      'tributary.endToEndP50Ms': e2eAsync.p50,
      'tributary.endToEndP99Ms': e2eAsync.p99,
      'tributary.endToEndFsyncP50Ms': e2eFsync.p50,
      'tributary.endToEndFsyncP99Ms': e2eFsync.p99,
      'tributary.peakRssMB': peakRssMB,
      'redis.produce': redis?.produce ?? null,
      'redis.consume': redis?.consume ?? null,
      'jetstream.produce': jetstream?.produce ?? null,
      'jetstream.consume': jetstream?.consume ?? null,
      diskWriteMBs,
      'ratio.batchedAsyncVsRedis': ratio(batchedAsync.msgsPerSec, redis?.produce ?? null),
      'ratio.batchedAsyncVsJetstream': ratio(batchedAsync.msgsPerSec, jetstream?.produce ?? null),
      'ratio.batchedAsyncVsFastestPeer': ratio(batchedAsync.msgsPerSec, fastestPeerProduce),
      'ratio.consumeVsFastestPeer': ratio(consume.msgsPerSec, fastestPeerConsume),
      'ratio.batchedFsyncMBsVsDisk': ratio(batchedFsync.MBs, diskWriteMBs),
      durability: {
        'tributary.async': 'acknowledged once written to the OS; fsync every flush.ms (1 s) — survives a process crash, not a power loss',
        'tributary.fsync': 'acknowledged after fdatasync of the batch (group commit) — survives a power loss',
        redis: 'in memory; this machine runs Redis with no RDB or AOF persistence',
        jetstream: 'file storage, acknowledged once written; fsync on a timer (sync_interval, 2 minutes by default)',
      },
      absent,
    }
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`)
    printTable(result, redis, jetstream)
  } finally {
    await fs.promises.rm(dataDir, { recursive: true, force: true })
  }
}

function maxOf(...values: Array<number | undefined>): number | null {
  const present = values.filter((v): v is number => v !== undefined)
  return present.length === 0 ? null : Math.max(...present)
}

function sampleRss(): { stop(): number } {
  let peak = process.memoryUsage.rss()
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 100)
  return {
    stop() {
      clearInterval(timer)
      return peak / (1024 * 1024)
    },
  }
}

function printTable(result: Record<string, unknown>, redis: PeerResult | null, jetstream: PeerResult | null): void {
  const fmt = (v: unknown) => (v === null || v === undefined ? 'absent' : typeof v === 'number' ? v.toLocaleString('en-US') : String(v))
  const rows: Array<[string, unknown, unknown, unknown]> = [
    ['produce, batches of 100 (msgs/s)', result['tributary.produceBatchedAsync'], redis?.produce, jetstream?.produce],
    ['consume (msgs/s)', result['tributary.consume'], redis?.consume, jetstream?.consume],
  ]
  const lines = [
    `${result.records} records of ${result.recordBytes} bytes`,
    `${'workload'.padEnd(36)}${'tributary'.padStart(14)}${'redis'.padStart(14)}${'jetstream'.padStart(14)}`,
    ...rows.map(([name, ours, r, j]) => `${name.padEnd(36)}${fmt(ours).padStart(14)}${fmt(r).padStart(14)}${fmt(j).padStart(14)}`),
    `fsync mode, batches of 100: ${fmt(result['tributary.produceBatchedFsync'])} msgs/s, ${fmt(result['tributary.produceBatchedFsyncMBs'])} MB/s of a disk limit of ${fmt(result.diskWriteMBs)} MB/s`,
    `fsync mode, single records, 64 in flight: ${fmt(result['tributary.produceSingleFsync'])} msgs/s`,
    `single fsync append latency: p50 ${fmt(result['tributary.fsyncAppendP50Ms'])} ms, p99 ${fmt(result['tributary.fsyncAppendP99Ms'])} ms`,
    `produce-to-consume at 10,000/s: async p99 ${fmt(result['tributary.endToEndP99Ms'])} ms, fsync p99 ${fmt(result['tributary.endToEndFsyncP99Ms'])} ms`,
    `peak RSS ${fmt(result['tributary.peakRssMB'])} MB`,
  ]
  process.stderr.write(`${lines.join('\n')}\n`)
}

await main()
