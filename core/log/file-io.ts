/**
 * Thin promise wrappers over fs's callback API on raw descriptors: the fastest path Node offers for
 * positional reads and vectored writes. Errors become TRB_LOG_STORAGE with the errno kept.
 */
import fs from 'node:fs'
import { storageError } from '../errors.ts'
import { FILE_MODE } from './data-dir-modes.ts'

/** Gives a buffer of exactly `size` bytes for a read to fill. */
export type Allocate = (size: number) => Buffer

/** libuv passes iovecs straight to the kernel; stay under Linux's IOV_MAX. */
const MAX_IOVECS = 1024

/** A file this creates gets FILE_MODE: only the worker's user reads the log. */
export function openFile(path: string, flags: string): Promise<number> {
  return new Promise((resolve, reject) => {
    fs.open(path, flags, FILE_MODE, (err, fd) => (err ? reject(storageError('open', path, err)) : resolve(fd)))
  })
}

export function closeFile(fd: number, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    fs.close(fd, (err) => (err ? reject(storageError('close', path, err)) : resolve()))
  })
}

/** Writes all buffers at `position`, looping over short writes. Returns the bytes written. */
export async function writeAll(fd: number, path: string, buffers: readonly Buffer[], position: number): Promise<number> {
  let written = 0
  let pending = buffers.slice()
  while (pending.length > 0) {
    const chunk = pending.slice(0, MAX_IOVECS)
    const expected = chunk.reduce((sum, b) => sum + b.length, 0)
    const n = await new Promise<number>((resolve, reject) => {
      fs.writev(fd, chunk, position + written, (err, bytes) => (err ? reject(storageError('write', path, err)) : resolve(bytes)))
    })
    written += n
    if (n === expected) {
      pending = pending.slice(chunk.length)
      continue
    }
    // Short write: drop what went out and retry the rest of the first unfinished buffer.
    let skip = n
    while (skip > 0 && pending.length > 0 && pending[0]!.length <= skip) skip -= pending.shift()!.length
    if (skip > 0 && pending.length > 0) pending[0] = pending[0]!.subarray(skip)
  }
  return written
}

export function syncData(fd: number, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    fs.fdatasync(fd, (err) => (err ? reject(storageError('fdatasync', path, err)) : resolve()))
  })
}

/** Reads up to `length` bytes at `position` into a buffer from `allocate`; fewer only at end of file. */
export async function readAt(
  fd: number,
  path: string,
  length: number,
  position: number,
  allocate: Allocate = Buffer.allocUnsafe,
): Promise<Buffer> {
  const buf = allocate(length)
  let filled = 0
  while (filled < length) {
    const n = await new Promise<number>((resolve, reject) => {
      fs.read(fd, buf, filled, length - filled, position + filled, (err, bytes) =>
        err ? reject(storageError('read', path, err)) : resolve(bytes),
      )
    })
    if (n === 0) break
    filled += n
  }
  return filled === length ? buf : buf.subarray(0, filled)
}

export function truncateFile(fd: number, path: string, size: number): Promise<void> {
  return new Promise((resolve, reject) => {
    fs.ftruncate(fd, size, (err) => (err ? reject(storageError('truncate', path, err)) : resolve()))
  })
}

/** fsyncs a directory so that a create, rename or unlink inside it survives a crash. */
export async function syncDirectory(path: string): Promise<void> {
  const fd = await openFile(path, 'r')
  try {
    await new Promise<void>((resolve, reject) => {
      fs.fsync(fd, (err) => (err ? reject(storageError('fsync', path, err)) : resolve()))
    })
  } finally {
    await closeFile(fd, path)
  }
}

/** Writes a small file atomically: temp file, fsync, rename, fsync of the directory. */
export async function writeFileAtomic(path: string, data: Buffer | string, directory: string): Promise<void> {
  const temp = `${path}.tmp`
  try {
    const handle = await fs.promises.open(temp, 'w', FILE_MODE)
    try {
      await handle.writeFile(data)
      await handle.datasync()
    } finally {
      await handle.close()
    }
    await fs.promises.rename(temp, path)
  } catch (err) {
    throw storageError('atomic write', path, err)
  }
  await syncDirectory(directory)
}
