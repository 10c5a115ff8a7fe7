/**
 * Follows a file as `tail -F` does: reads complete lines from a byte position, waits for growth
 * (woken by fs.watch on the directory, with a poll interval as the fallback), survives rename
 * rotation (finish the old file, then start the new one at 0) and copytruncate (the file shrinks
 * below the position: start again at 0). A missing file is waited for.
 */
import fs from 'node:fs'
import path from 'node:path'
import { Wakeup } from '../../core/runtime/plugin.ts'

const CHUNK_BYTES = 64 * 1024

export interface TailPosition {
  readonly position: number
  readonly inode: number | null
}

export interface TailedLine {
  readonly text: string
  /** The byte position just after this line's newline: where to resume. */
  readonly end: TailPosition
}

export class FileTailer {
  readonly file: string
  private position: number
  private inode: number | null
  private fd: number | null = null
  private pending = Buffer.alloc(0)
  /** The bytes just before `position`, to notice a file rewritten in place (copytruncate) even when it regrew past the position. */
  private sample: Buffer | undefined
  private watcher: fs.FSWatcher | undefined
  private readonly wakeup = new Wakeup()

  constructor(file: string, start: TailPosition) {
    this.file = path.resolve(file)
    this.position = start.position
    this.inode = start.inode
  }

  /** Up to `maxLines` complete lines; [] when there is nothing new. */
  readLines(maxLines: number): TailedLine[] {
    this.reopenIfRotated()
    const lines: TailedLine[] = []
    while (this.fd !== null && lines.length < maxLines) {
      const chunk = Buffer.allocUnsafe(CHUNK_BYTES)
      const readFrom = this.position + this.pending.length
      const bytes = fs.readSync(this.fd, chunk, 0, CHUNK_BYTES, readFrom)
      if (bytes === 0) break
      this.pending = Buffer.concat([this.pending, chunk.subarray(0, bytes)])
      let newline = this.pending.indexOf(0x0a)
      while (newline >= 0 && lines.length < maxLines) {
        const raw = this.pending.subarray(0, newline)
        const text = (raw.at(-1) === 0x0d ? raw.subarray(0, -1) : raw).toString('utf8')
        this.position += newline + 1
        this.pending = this.pending.subarray(newline + 1)
        lines.push({ text, end: { position: this.position, inode: this.inode } })
        newline = this.pending.indexOf(0x0a)
      }
    }
    // Keep only what belongs to an unfinished line; it is read again from `position` next time.
    this.pending = Buffer.alloc(0)
    if (lines.length > 0) this.takeSample()
    return lines
  }

  /** Resolves on a change in the file's directory or after `intervalMs`, or when the signal fires. */
  async waitForChange(intervalMs: number, signal: AbortSignal): Promise<void> {
    this.watch()
    await this.wakeup.wait(intervalMs, signal)
  }

  close(): void {
    this.watcher?.close()
    this.watcher = undefined
    if (this.fd !== null) fs.closeSync(this.fd)
    this.fd = null
  }

  private watch(): void {
    if (this.watcher !== undefined) return
    try {
      this.watcher = fs.watch(path.dirname(this.file), () => this.wakeup.wake())
      this.watcher.on('error', () => {
        this.watcher?.close()
        this.watcher = undefined
      })
    } catch {
      // The directory may not exist yet; the poll interval covers it.
    }
  }

  private reopenIfRotated(): void {
    let stat: fs.Stats
    try {
      stat = fs.statSync(this.file)
    } catch {
      return // Missing (or between rename and create): keep reading the open file, if any.
    }
    if (this.fd === null) {
      this.open(stat)
      return
    }
    const open = fs.fstatSync(this.fd)
    if (stat.ino !== this.inode) {
      // Rotated by rename: finish the old file first; switch once it is read to its end.
      if (this.position < open.size) return
      fs.closeSync(this.fd)
      this.fd = null
      this.position = 0
      this.open(stat)
    } else if (open.size < this.position || !this.sampleMatches()) {
      this.position = 0 // copytruncate
      this.sample = undefined
    }
  }

  private takeSample(): void {
    if (this.fd === null) return
    const length = Math.min(16, this.position)
    const sample = Buffer.alloc(length)
    fs.readSync(this.fd, sample, 0, length, this.position - length)
    this.sample = sample
  }

  private sampleMatches(): boolean {
    if (this.sample === undefined || this.fd === null) return true
    const current = Buffer.alloc(this.sample.length)
    const read = fs.readSync(this.fd, current, 0, current.length, this.position - current.length)
    return read === current.length && current.equals(this.sample)
  }

  private open(stat: fs.Stats): void {
    this.sample = undefined
    this.fd = fs.openSync(this.file, 'r')
    if (this.inode !== null && this.inode !== stat.ino) this.position = 0
    if (stat.size < this.position) this.position = 0
    this.inode = stat.ino
  }
}
