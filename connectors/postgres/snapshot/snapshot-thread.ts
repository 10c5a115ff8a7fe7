/**
 * The initial snapshot read in a thread of its own (snapshot-in-thread.ts starts it): the chunk
 * reads, the decoding and the change events' JSON, which are most of a snapshot's work, run beside
 * the worker's thread instead of on it. Chunks go back encoded (snapshot-chunk.ts). This module
 * only runs as that thread: the worker's side takes only its types.
 */
import { parentPort, workerData } from 'node:worker_threads'
import type { ModuleThreadData } from '../../../core/runtime/plugin.ts'
import { Catalog, textClient } from '../source/source-catalog.ts'
import { ChangeEvents, type ChangeEventSettings } from '../source/change-events.ts'
import { parseKeyColumns } from '../source/config.ts'
import type { Lsn } from '../source/lsn.ts'
import type { Schema } from '../../../core/runtime/plugin.ts'
import { chunkSchemas, encodeChunk, type SnapshotThreadMessage, type SnapshotThreadRequest } from './snapshot-chunk.ts'
import { SnapshotReader, type SnapshotPosition } from './snapshot.ts'
import type { TableName } from './table-chunk.ts'

export interface SnapshotThreadOptions {
  readonly url: string
  readonly keyColumns: string
  readonly events: ChangeEventSettings
  readonly tables: readonly TableName[]
  readonly chunkRows: number
  readonly consistentPoint: Lsn
  readonly snapshotName: string | null
  readonly resume: SnapshotPosition | undefined
}

async function run(port: NonNullable<typeof parentPort>, options: SnapshotThreadOptions): Promise<void> {
  const send = (message: SnapshotThreadMessage, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer)
  const fail = (error: unknown) =>
    send({
      kind: 'failed',
      message: (error as Error).message ?? String(error),
      code: typeof (error as { code?: unknown }).code === 'string' ? (error as { code: string }).code : undefined,
    })
  const client = textClient(options.url)
  client.on('error', fail)
  let reader: SnapshotReader | undefined
  const close = async () => {
    // The thread is ending: a failure it has not reported already went to `fail`, and a close cannot lose rows.
    await reader?.close().catch(() => undefined)
    await client.end().catch(() => undefined)
    port.close()
  }
  try {
    await client.connect()
    const catalog = new Catalog(client, parseKeyColumns(options.keyColumns))
    const events = new ChangeEvents(options.events)
    reader = await SnapshotReader.open({
      client,
      catalog,
      events,
      tables: [...options.tables],
      chunkRows: options.chunkRows,
      consistentPoint: options.consistentPoint,
      snapshotName: options.snapshotName,
      ...(options.resume !== undefined && { resume: options.resume }),
    })
  } catch (error) {
    fail(error)
    await close()
    return
  }
  const opened = reader
  send({ kind: 'ready', progress: opened.progress })
  // Requests are answered one at a time, in order; a table version's schemas go with its first chunk.
  let queue = Promise.resolve()
  let sentSchemas: Schema | undefined
  port.on('message', (request: SnapshotThreadRequest) => {
    queue = queue.then(async () => {
      if (request === 'close') return close()
      try {
        const records = await opened.next()
        if (records.length === 0) return send({ kind: 'done', progress: opened.progress })
        const first = records[0]
        const schemas = first?.valueSchema !== sentSchemas && first !== undefined ? chunkSchemas(first) : undefined
        sentSchemas = first?.valueSchema
        const chunk = encodeChunk(records, opened.progress, schemas)
        send(chunk, [chunk.bytes.buffer as ArrayBuffer, chunk.bounds.buffer as ArrayBuffer, chunk.offsetIndex.buffer as ArrayBuffer])
      } catch (error) {
        fail(error)
      }
    })
  })
}

if (parentPort === null) throw new Error('snapshot-thread.ts runs as a worker thread (snapshot-in-thread.ts starts it)')
await run(parentPort, (workerData as ModuleThreadData<SnapshotThreadOptions>).data)
