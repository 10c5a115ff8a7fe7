/**
 * Follows a file as `tail -F` does and hands out complete lines with the byte position after each.
 *
 * - Reads in chunks and keeps only the unfinished line between reads, so memory is one chunk, one
 *   batch of lines and the current partial line.
 * - Waits for growth woken by fs.watch on the directory (inotify and friends), with a poll interval
 *   as the fallback where watching does not work (network filesystems, a directory not there yet).
 * - Rename rotation (the path names a new inode): the open file is read to its end, then the new file
 *   from 0. A restart whose offset names a rotated-away file finds it beside the path by its inode.
 * - copytruncate (the file shrinks below the position, or the bytes before the position change): the
 *   file is read again from 0.
 * - A missing file is waited for.
 */
import fs from 'node:fs'
import path from 'node:path'
import { openUnfollowed, Wakeup } from '../../core/runtime/plugin.ts'
import { findRotated } from './find-rotated.ts'

const DEFAULT_CHUNK_BYTES = 64 * 1024
/** Bytes just before the position, kept to notice a file rewritten in place that regrew past it. */
const SAMPLE_BYTES = 16
const NEWLINE = 0x0a
const CARRIAGE_RETURN = 0x0d

export interface TailPosition {
  /** Bytes from the start of the file to just after the last line handed out. */
  readonly position: number
  /** The file's inode; null before the file was first opened. */
  readonly inode: number | null
}

export interface TailedLine {
  /** The line without its `\n` (or `\r\n`), decoded as UTF-8. */
  readonly text: string
  /** Where to resume after this line. */
  readonly end: TailPosition
}

export interface FileTailerOptions {
  readonly chunkBytes?: number
  /**
   * The path to open for a file (the sandbox's check, which resolves links and throws when refused);
   * default: the file itself.
   */
  readonly resolve?: (file: string) => string
}

export class FileTailer {
  readonly file: string
  private readonly chunkBytes: number
  /** The sandbox's check, when there is one. */
  private readonly resolve: ((file: string) => string) | undefined
  private handle: fs.promises.FileHandle | undefined
  private position: number
  private inode: number | null
  /** The start of a line whose newline has not been written yet; it lies at `position`. */
  private carry: Buffer[] = []
  private carryBytes = 0
  private sample: Buffer | undefined
  private searchedRotated = false
  private watcher: fs.FSWatcher | undefined
  private readonly wakeup = new Wakeup()
  private closed = false

  constructor(file: string, start: TailPosition, options: FileTailerOptions = {}) {
    this.file = path.resolve(file)
    this.position = start.position
    this.inode = start.inode
    this.chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES
    this.resolve = options.resolve
  }

  /** Up to `maxLines` complete lines, in file order; [] when there is nothing new. */
  async read(maxLines: number): Promise<TailedLine[]> {
    const lines: TailedLine[] = []
    while (!this.closed && lines.length < maxLines) {
      await this.follow()
      if (this.handle === undefined) break
      const atEnd = await this.readInto(this.handle, lines, maxLines)
      if (!atEnd || !(await this.switchIfRotated(lines))) break
    }
    if (lines.length > 0) await this.takeSample()
    return lines
  }

  /** Resolves on a change in the file's directory, after `intervalMs`, on close, or when `signal` fires. */
  async waitForChange(intervalMs: number, signal: AbortSignal): Promise<void> {
    if (this.closed) return
    this.watch()
    await this.wakeup.wait(intervalMs, signal)
  }

  async close(): Promise<void> {
    this.closed = true
    this.wakeup.wake()
    this.watcher?.close()
    this.watcher = undefined
    const handle = this.handle
    this.handle = undefined
    await handle?.close()
  }

  /** Opens the file when it is not open, and starts over when the open file was truncated or rewritten. */
  private async follow(): Promise<void> {
    if (this.handle === undefined) {
      await this.open()
      return
    }
    const { size } = await this.handle.stat()
    if (size < this.position || !(await this.sampleMatches(this.handle))) this.restartAt(0)
    else if (size < this.position + this.carryBytes) this.dropCarry()
  }

  private async open(): Promise<void> {
    if (!this.searchedRotated && this.inode !== null) {
      this.searchedRotated = true
      const stat = await statOrUndefined(this.file)
      if (stat?.ino !== this.inode) {
        const rotated = await findRotated(this.file, this.inode)
        if (rotated !== undefined) {
          await this.adopt(rotated)
          return
        }
      }
    }
    this.searchedRotated = true
    await this.adopt(this.file)
  }

  /** Opens `file` and takes it as the one being read; a missing file is left for a later read. */
  private async adopt(file: string): Promise<void> {
    let handle: fs.promises.FileHandle
    try {
      // Behind the sandbox, a symbolic link as the last component is refused (`resolve` resolved those away).
      const resolve = this.resolve
      handle = resolve ? await openUnfollowed(resolve(file), fs.constants.O_RDONLY, 'read') : await fs.promises.open(file, 'r')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return
      throw error
    }
    if (this.closed) {
      await handle.close()
      return
    }
    const stat = await handle.stat()
    // Another file than the offset names (replaced while we were away), or one shorter than it: from 0.
    if ((this.inode !== null && stat.ino !== this.inode) || stat.size < this.position) this.restartAt(0)
    this.handle = handle
    this.inode = stat.ino
    if (this.position > 0) await this.takeSample()
  }

  /** Reads lines until the batch is full (false) or the end of the file (true). */
  private async readInto(handle: fs.promises.FileHandle, lines: TailedLine[], maxLines: number): Promise<boolean> {
    for (;;) {
      if (lines.length >= maxLines) return false
      const chunk = Buffer.allocUnsafe(this.chunkBytes)
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, this.position + this.carryBytes)
      if (bytesRead === 0) return true
      const data = chunk.subarray(0, bytesRead)
      let start = 0
      for (let newline = data.indexOf(NEWLINE); newline !== -1; newline = data.indexOf(NEWLINE, start)) {
        // The rest of this chunk is read again next time, from the exact position.
        if (lines.length >= maxLines) return false
        lines.push(this.takeLine(data.subarray(start, newline), 1))
        start = newline + 1
      }
      if (start < data.length) {
        this.carry.push(data.subarray(start))
        this.carryBytes += data.length - start
      }
    }
  }

  /** The carried bytes plus `tail` make a line; `terminator` bytes follow it in the file. */
  private takeLine(tail: Buffer, terminator: number): TailedLine {
    const raw = this.carryBytes > 0 ? Buffer.concat([...this.carry, tail]) : tail
    this.position += raw.length + terminator
    this.dropCarry()
    const text = (raw.at(-1) === CARRIAGE_RETURN ? raw.subarray(0, -1) : raw).toString('utf8')
    return { text, end: { position: this.position, inode: this.inode } }
  }

  /**
   * At the end of the open file: when the path now names another file, the open one was rotated away
   * and is done, so the new one is opened from 0. Its unterminated last line, if any, is emitted once
   * the new file has data (the writer has moved on and will not finish it). Returns true on a switch.
   */
  private async switchIfRotated(lines: TailedLine[]): Promise<boolean> {
    const stat = await statOrUndefined(this.file)
    if (stat === undefined || stat.ino === this.inode) return false
    if (this.carryBytes > 0) {
      if (stat.size === 0) return false
      lines.push(this.takeLine(Buffer.alloc(0), 0))
    }
    const old = this.handle
    this.handle = undefined
    this.inode = null
    this.restartAt(0)
    await old?.close()
    return true
  }

  private restartAt(position: number): void {
    this.position = position
    this.sample = undefined
    this.dropCarry()
  }

  private dropCarry(): void {
    this.carry = []
    this.carryBytes = 0
  }

  private async takeSample(): Promise<void> {
    if (this.handle === undefined) return
    const length = Math.min(SAMPLE_BYTES, this.position)
    const sample = Buffer.alloc(length)
    const { bytesRead } = await this.handle.read(sample, 0, length, this.position - length)
    this.sample = sample.subarray(0, bytesRead)
  }

  private async sampleMatches(handle: fs.promises.FileHandle): Promise<boolean> {
    if (this.sample === undefined || this.sample.length === 0) return true
    const current = Buffer.alloc(this.sample.length)
    const { bytesRead } = await handle.read(current, 0, current.length, this.position - current.length)
    return bytesRead === current.length && current.equals(this.sample)
  }

  private watch(): void {
    if (this.watcher !== undefined) return
    try {
      // persistent: false, so a tailer left open never keeps the process alive.
      this.watcher = fs.watch(path.dirname(this.file), { persistent: false }, () => this.wakeup.wake())
      this.watcher.on('error', () => {
        this.watcher?.close()
        this.watcher = undefined
      })
    } catch {
      // The directory may not exist yet; the poll interval covers it, and the next wait tries again.
    }
  }
}

async function statOrUndefined(file: string): Promise<fs.Stats | undefined> {
  try {
    return await fs.promises.stat(file)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}
