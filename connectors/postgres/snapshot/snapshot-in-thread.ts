/**
 * The worker's side of a snapshot read in its own thread (snapshot-thread.ts): it asks for the next
 * chunk as soon as one arrives, so the thread reads and encodes while the runtime writes, and turns
 * each chunk back into records whose key and value are their payload's JSON bytes (JsonBytes), with
 * their schemas.
 */
import type { Worker } from 'node:worker_threads'
import { siblingModule, startModuleThread } from '../../../core/runtime/plugin.ts'
import type { SourcePartition, SourceRecord } from '../../../core/runtime/plugin.ts'
import {
  decodeChunk,
  decodeSchemas,
  type DecodedSchemas,
  type SnapshotThreadMessage,
  type SnapshotThreadRequest,
} from './snapshot-chunk.ts'
import type { SnapshotThreadOptions } from './snapshot-thread.ts'
import type { SnapshotProgress } from './snapshot.ts'

/** What the source reads a snapshot through, in its own thread or in the worker's. */
export interface SnapshotSource {
  readonly progress: SnapshotProgress
  /** The next chunk of records ([] once every table is read). */
  next(): Promise<SourceRecord[]>
  close(): Promise<void>
}

/** The thread's heap: a few chunks of rows at a time. */
const THREAD_HEAP_MB = 128
/** Its young generation: its garbage dies young, and V8's default would take some 25 MB more memory for no speed. */
const THREAD_YOUNG_MB = 12
/** Chunks asked for ahead: the thread reads and encodes these while the runtime writes. */
const CHUNKS_AHEAD = 3

export class SnapshotInThread implements SnapshotSource {
  private readonly thread: Worker
  /** ChangeEvents' one object for every record: the runtime recognises an unchanged partition by identity. */
  private readonly sourcePartition: SourcePartition
  private readonly arrived: SnapshotThreadMessage[] = []
  private waiting: { resolve: (message: SnapshotThreadMessage) => void; reject: (error: Error) => void } | undefined
  private failure: Error | undefined
  /** Chunks asked for and not yet handed out. */
  private asked = 0
  private done = false
  private closing = false
  /** Resolves when the thread has ended, however it ended. */
  private readonly exited: Promise<void>
  private latest: SnapshotProgress
  /** The schemas of the table version being read, as the thread last sent them. */
  private schemas: DecodedSchemas | undefined

  private constructor(thread: Worker, sourcePartition: SourcePartition) {
    this.thread = thread
    this.sourcePartition = sourcePartition
    this.latest = { rowsDone: 0, rowsEstimated: 0, table: null }
    thread.on('message', (message: SnapshotThreadMessage) => this.deliver(message))
    thread.on('error', (error) => this.fail(error))
    this.exited = new Promise((resolve) =>
      thread.once('exit', (code) => {
        if (!this.closing) this.fail(new Error(`the snapshot thread exited (code ${code})`))
        resolve()
      }),
    )
  }

  /** Starts the thread; resolves once it has opened the snapshot transaction. `sourcePartition`: the source's own. */
  static async open(options: SnapshotThreadOptions, sourcePartition: SourcePartition): Promise<SnapshotInThread> {
    const reader = new SnapshotInThread(
      startModuleThread(siblingModule(import.meta.url, 'snapshot-thread'), options, {
        maxOldGenerationSizeMb: THREAD_HEAP_MB,
        maxYoungGenerationSizeMb: THREAD_YOUNG_MB,
      }),
      sourcePartition,
    )
    try {
      const ready = await reader.receive()
      if (ready.kind !== 'ready') throw new Error(`snapshot thread: ${ready.kind} before ready`)
      reader.latest = ready.progress
    } catch (error) {
      await reader.close()
      throw error
    }
    return reader
  }

  get progress(): SnapshotProgress {
    return this.latest
  }

  async next(): Promise<SourceRecord[]> {
    if (this.done) return []
    while (this.asked < CHUNKS_AHEAD) this.ask()
    const message = await this.receive()
    this.asked--
    if (message.kind === 'chunk') {
      this.latest = message.progress
      if (message.schemas !== undefined) this.schemas = decodeSchemas(message.schemas)
      if (this.schemas === undefined) throw new Error('snapshot thread: a chunk before its schemas')
      return decodeChunk(message, this.sourcePartition, this.schemas)
    }
    if (message.kind !== 'done') throw new Error(`snapshot thread: unexpected ${message.kind}`)
    this.latest = message.progress
    this.done = true
    return []
  }

  async close(): Promise<void> {
    if (this.closing) return
    this.closing = true
    this.thread.postMessage('close' satisfies SnapshotThreadRequest)
    // The thread commits its transaction and ends; a thread stuck on a dead connection is stopped.
    const timer = setTimeout(() => void this.thread.terminate(), 5000)
    await this.exited
    clearTimeout(timer)
  }

  private ask(): void {
    this.asked++
    this.thread.postMessage('next' satisfies SnapshotThreadRequest)
  }

  private receive(): Promise<SnapshotThreadMessage> {
    const message = this.arrived.shift()
    if (message !== undefined) return Promise.resolve(message)
    if (this.failure !== undefined) return Promise.reject(this.failure)
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }))
  }

  private deliver(message: SnapshotThreadMessage): void {
    if (message.kind === 'failed') {
      this.fail(failed(message))
      return
    }
    const waiting = this.waiting
    this.waiting = undefined
    if (waiting !== undefined) waiting.resolve(message)
    else this.arrived.push(message)
  }

  private fail(error: Error): void {
    this.failure ??= error
    const waiting = this.waiting
    this.waiting = undefined
    waiting?.reject(error)
  }
}

/** The thread's error as the worker's thread would have met it: the message, and the SQLSTATE as `code`. */
function failed(message: Extract<SnapshotThreadMessage, { kind: 'failed' }>): Error {
  return Object.assign(new Error(message.message), message.code === undefined ? {} : { code: message.code })
}
