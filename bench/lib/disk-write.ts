/**
 * The physical limit beside the numbers: sequential writes of 1 MiB chunks to one file, fdatasync
 * every 16 MiB and at the end, as a log that fsyncs its batches would see the disk.
 */
import fs from 'node:fs'
import path from 'node:path'
import { megabytesPerSecond } from './stats.ts'

export async function measureSequentialWrite(directory: string, totalBytes: number): Promise<number> {
  const file = path.join(directory, 'disk-write.bin')
  const chunk = Buffer.alloc(1024 * 1024, 0x5a)
  const handle = await fs.promises.open(file, 'w')
  const started = performance.now()
  try {
    let written = 0
    while (written < totalBytes) {
      await handle.write(chunk, 0, chunk.length, written)
      written += chunk.length
      if (written % (16 * 1024 * 1024) === 0) await handle.datasync()
    }
    await handle.datasync()
    return megabytesPerSecond(written, performance.now() - started)
  } finally {
    await handle.close()
    await fs.promises.rm(file, { force: true })
  }
}
