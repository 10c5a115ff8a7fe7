/** Every record batch an embedded log stored in one partition, raw, read from its segment files on disk. */
import fs from 'node:fs'
import path from 'node:path'
import { readBatchHeader } from '../../core/log/record-batch.ts'

export function batchesOnDisk(dataDir: string, topic: string, partition = 0): Buffer[] {
  const partitionDir = path.join(dataDir, 'topics', topic, String(partition))
  const batches: Buffer[] = []
  for (const file of fs
    .readdirSync(partitionDir)
    .filter((name) => name.endsWith('.log'))
    .sort()) {
    const bytes = fs.readFileSync(path.join(partitionDir, file))
    for (let pos = 0; pos < bytes.length; ) {
      const size = readBatchHeader(bytes, pos).sizeBytes
      batches.push(bytes.subarray(pos, pos + size))
      pos += size
    }
  }
  return batches
}
