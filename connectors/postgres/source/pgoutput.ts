/**
 * Decodes pgoutput, PostgreSQL's built-in logical decoding output (protocol versions 1 and 2, with
 * streamed in-progress transactions), from the bytes of one XLogData payload. Sans I/O: Buffer in,
 * message object out. Text column values are decoded to strings here and binary ones copied, so a
 * message never points into the caller's buffer (pg reuses its receive buffer); column-readers.ts turns
 * the text into data.
 *
 * Message grammar (PostgreSQL "Logical Replication Message Formats"); fields marked (s) are present
 * only inside a streamed transaction (between Stream Start and Stream Stop):
 *   Begin 'B' => final_lsn:int64 commit_time:int64 xid:int32
 *   Commit 'C' => flags:int8 commit_lsn:int64 end_lsn:int64 commit_time:int64
 *   Origin 'O' => lsn:int64 name:string
 *   Relation 'R' => xid(s) relid:int32 namespace:string name:string replica_identity:int8 [flags:int8 name:string type:int32 typmod:int32]
 *   Type 'Y' => xid(s) oid:int32 namespace:string name:string
 *   Insert 'I' => xid(s) relid:int32 'N' tuple
 *   Update 'U' => xid(s) relid:int32 ['K' tuple | 'O' tuple] 'N' tuple
 *   Delete 'D' => xid(s) relid:int32 ('K' | 'O') tuple
 *   Truncate 'T' => xid(s) count:int32 options:int8 [relid:int32]
 *   Message 'M' => xid(s) flags:int8 lsn:int64 prefix:string length:int32 content
 *   Stream Start 'S' => xid:int32 first:int8   Stream Stop 'E'
 *   Stream Commit 'c' => xid:int32 flags:int8 commit_lsn:int64 end_lsn:int64 commit_time:int64
 *   Stream Abort 'A' => xid:int32 subxid:int32
 *   tuple => count:int16 [kind:byte ('n' | 'u' | 't' len:int32 bytes | 'b' len:int32 bytes)]
 */
import { ByteReader } from '../../../core/runtime/plugin.ts'
import type { Lsn } from './lsn.ts'

/** Microseconds between the Unix epoch and PostgreSQL's (2000-01-01). */
const PG_EPOCH_US = 946_684_800_000_000n

/** An unchanged TOASTed value: the server did not send it. */
export const UNCHANGED: unique symbol = Symbol('unchanged TOAST value')

/** A column's value as sent: text (decoded to a string), binary (copied), NULL, or unchanged. No wrapper objects: there is one per column of every row. */
export type TupleValue = string | Buffer | null | typeof UNCHANGED

export interface RelationColumn {
  readonly name: string
  readonly typeOid: number
  readonly typeModifier: number
  readonly isKey: boolean
}

export type PgOutputMessage =
  | { tag: 'begin'; finalLsn: Lsn; commitTimeUs: number; xid: number }
  | { tag: 'commit'; commitLsn: Lsn; endLsn: Lsn; commitTimeUs: number }
  | { tag: 'origin'; lsn: Lsn; name: string }
  | {
      tag: 'relation'
      xid?: number
      relationId: number
      schema: string
      table: string
      replicaIdentity: 'default' | 'nothing' | 'full' | 'index'
      columns: RelationColumn[]
    }
  | { tag: 'type'; xid?: number; typeOid: number; schema: string; name: string }
  | { tag: 'insert'; xid?: number; relationId: number; newTuple: TupleValue[] }
  | { tag: 'update'; xid?: number; relationId: number; keyTuple?: TupleValue[]; oldTuple?: TupleValue[]; newTuple: TupleValue[] }
  | { tag: 'delete'; xid?: number; relationId: number; keyTuple?: TupleValue[]; oldTuple?: TupleValue[] }
  | { tag: 'truncate'; xid?: number; cascade: boolean; restartIdentity: boolean; relationIds: number[] }
  | { tag: 'message'; xid?: number; transactional: boolean; lsn: Lsn; prefix: string; content: Buffer }
  | { tag: 'streamStart'; xid: number; firstSegment: boolean }
  | { tag: 'streamStop' }
  | { tag: 'streamCommit'; xid: number; commitLsn: Lsn; endLsn: Lsn; commitTimeUs: number }
  | { tag: 'streamAbort'; xid: number; subXid: number }

const IDENTITY = { d: 'default', n: 'nothing', f: 'full', i: 'index' } as const

/** A commit time: µs since the Unix epoch (exact in a double until the year 2255). */
function timestampUs(reader: ByteReader): number {
  return Number(BigInt.asIntN(64, reader.bigUint64()) + PG_EPOCH_US)
}

/** PostgreSQL's clock for standby status updates: microseconds since 2000-01-01. */
export function pgTimestampNow(nowMs: number): bigint {
  return BigInt(nowMs) * 1000n - PG_EPOCH_US
}

function tuple(reader: ByteReader): TupleValue[] {
  const count = reader.int16()
  const values: TupleValue[] = new Array(count)
  for (let i = 0; i < count; i++) {
    const kind = reader.uint8()
    if (kind === 0x74)
      values[i] = reader.utf8(reader.int32()) // 't'
    else if (kind === 0x6e)
      values[i] = null // 'n'
    else if (kind === 0x75)
      values[i] = UNCHANGED // 'u'
    else if (kind === 0x62)
      values[i] = Buffer.from(reader.slice(reader.int32())) // 'b': a copy, as the buffer is reused
    else throw new RangeError(`unknown tuple value kind "${String.fromCharCode(kind)}"`)
  }
  return values
}

/** Decodes one message; `inStream` says whether a Stream Start is open (the xid fields appear). */
export function decodePgOutput(buf: Buffer, inStream: boolean): PgOutputMessage {
  const reader = new ByteReader(buf)
  const tag = String.fromCharCode(reader.uint8())
  const xid = () => (inStream ? { xid: reader.uint32() } : {})
  switch (tag) {
    case 'B':
      return { tag: 'begin', finalLsn: reader.bigUint64(), commitTimeUs: timestampUs(reader), xid: reader.uint32() }
    case 'C': {
      reader.uint8()
      return { tag: 'commit', commitLsn: reader.bigUint64(), endLsn: reader.bigUint64(), commitTimeUs: timestampUs(reader) }
    }
    case 'O':
      return { tag: 'origin', lsn: reader.bigUint64(), name: reader.cstring() }
    case 'R': {
      const head = { ...xid(), relationId: reader.uint32(), schema: reader.cstring(), table: reader.cstring() }
      const identity = IDENTITY[String.fromCharCode(reader.uint8()) as keyof typeof IDENTITY] ?? 'default'
      const count = reader.int16()
      const columns: RelationColumn[] = []
      for (let i = 0; i < count; i++) {
        const flags = reader.uint8()
        columns.push({ isKey: (flags & 1) === 1, name: reader.cstring(), typeOid: reader.uint32(), typeModifier: reader.int32() })
      }
      return { tag: 'relation', ...head, replicaIdentity: identity, columns }
    }
    case 'Y':
      return { tag: 'type', ...xid(), typeOid: reader.uint32(), schema: reader.cstring(), name: reader.cstring() }
    case 'I': {
      const head = { ...xid(), relationId: reader.uint32() }
      reader.uint8() // 'N'
      return { tag: 'insert', ...head, newTuple: tuple(reader) }
    }
    case 'U': {
      const head = { ...xid(), relationId: reader.uint32() }
      let marker = String.fromCharCode(reader.uint8())
      let keyTuple: TupleValue[] | undefined
      let oldTuple: TupleValue[] | undefined
      if (marker === 'K') keyTuple = tuple(reader)
      if (marker === 'O') oldTuple = tuple(reader)
      if (marker !== 'N') marker = String.fromCharCode(reader.uint8())
      return { tag: 'update', ...head, ...(keyTuple && { keyTuple }), ...(oldTuple && { oldTuple }), newTuple: tuple(reader) }
    }
    case 'D': {
      const head = { ...xid(), relationId: reader.uint32() }
      const marker = String.fromCharCode(reader.uint8())
      const values = tuple(reader)
      return { tag: 'delete', ...head, ...(marker === 'K' ? { keyTuple: values } : { oldTuple: values }) }
    }
    case 'T': {
      const head = xid()
      const count = reader.int32()
      const options = reader.uint8()
      const relationIds = Array.from({ length: count }, () => reader.uint32())
      return { tag: 'truncate', ...head, cascade: (options & 1) === 1, restartIdentity: (options & 2) === 2, relationIds }
    }
    case 'M': {
      const head = xid()
      const flags = reader.uint8()
      const lsn = reader.bigUint64()
      const prefix = reader.cstring()
      return { tag: 'message', ...head, transactional: (flags & 1) === 1, lsn, prefix, content: Buffer.from(reader.slice(reader.int32())) }
    }
    case 'S':
      return { tag: 'streamStart', xid: reader.uint32(), firstSegment: reader.uint8() === 1 }
    case 'E':
      return { tag: 'streamStop' }
    case 'c': {
      const streamXid = reader.uint32()
      reader.uint8()
      return {
        tag: 'streamCommit',
        xid: streamXid,
        commitLsn: reader.bigUint64(),
        endLsn: reader.bigUint64(),
        commitTimeUs: timestampUs(reader),
      }
    }
    case 'A':
      return { tag: 'streamAbort', xid: reader.uint32(), subXid: reader.uint32() }
    default:
      throw new RangeError(`unknown pgoutput message "${tag}"`)
  }
}
