import type { AnyBinlogEvent } from '@vlasky/zongji'
import { describe, expect, it } from 'vitest'
import type { TableShape } from '../../../../../connectors/mysql/shared/catalog.ts'
import { ChangeEvents } from '../../../../../connectors/mysql/source/change-events.ts'
import { parseGtids } from '../../../../../connectors/mysql/source/gtid-position.ts'
import { DEFAULT_SCHEMA_SETTINGS } from '../../../../../connectors/mysql/source/schema-settings.ts'
import { StreamReader } from '../../../../../connectors/mysql/source/stream-reader.ts'
import type { SourceRecord } from '../../../../../core/runtime/plugin.ts'

const UUID = '3e11fa47-71ca-11e1-9e33-c80aa9429562'
const SHAPE: TableShape = { database: 'shop', table: 'orders', columns: [{ name: 'id', kind: 'integer', width: null }], keyColumns: ['id'] }

/** Events shaped as zongji emits them (the fields the reader reads). */
const event = (name: string, fields: Record<string, unknown>) =>
  ({ getEventName: () => name, timestamp: 1_700_000_000_000, size: 40, ...fields }) as unknown as AnyBinlogEvent
const rotate = (binlogName: string, position: number) => event('rotate', { binlogName, position, nextPosition: 0 })
const mysqlGtid = (gno: number, nextPosition: number) => event('gtid', { gtid: `${UUID}:${gno}`, nextPosition })
const anonymousGtid = (nextPosition: number) => event('anonymousgtid', { gtid: '00000000-0000-0000-0000-000000000000:0', nextPosition })
const mariaDbGtid = (seq: number, nextPosition: number) =>
  event('mariadbgtid', { domainId: 0, serverId: 1, gtid: `0-1-${seq}`, standalone: false, threadId: 9, nextPosition })
const query = (text: string, nextPosition: number) => event('query', { query: text, slaveProxyId: 9, schema: 'shop', nextPosition })
const insert = (ids: number[], nextPosition: number) =>
  event('writerows', {
    tableId: 7,
    tableMap: { 7: { parentSchema: 'shop', tableName: 'orders' } },
    rows: ids.map((id) => ({ id })),
    nextPosition,
  })
const xid = (nextPosition: number) => event('xid', { nextPosition })

function reader(start: { file: string; pos: number }, gtids: string | null, isMariaDb: boolean): StreamReader {
  return new StreamReader({
    events: new ChangeEvents({
      prefix: 'db',
      topic: undefined,
      tombstones: true,
      skipped: new Set(),
      version: '0.1.0',
      schemas: DEFAULT_SCHEMA_SETTINGS,
    }),
    shape: async () => SHAPE,
    isCaptured: () => true,
    start,
    skip: 0,
    serverId: 1,
    gtids: gtids === null ? null : parseGtids(gtids, isMariaDb),
  })
}

const gtidOf = (record: SourceRecord | undefined) => (record!.value as { source: { gtid: string | null } }).source.gtid

describe('StreamReader on MySQL event shapes', () => {
  it('advances the GTID set of the offsets by each committed transaction', async () => {
    const read = reader({ file: 'binlog.000007', pos: 100 }, `${UUID}:1-5`, false)
    const records = await read.accept([mysqlGtid(6, 160), query('BEGIN', 220), insert([1, 2], 300), xid(331)])
    expect(records.map((record) => record.sourceOffset)).toEqual([
      { file: 'binlog.000007', pos: 100, event: 1, gtids: `${UUID}:1-5` },
      { file: 'binlog.000007', pos: 331, event: 0, gtids: `${UUID}:1-6`, txn_end: true },
    ])
    expect(records.map(gtidOf)).toEqual([`${UUID}:6`, `${UUID}:6`])
    // DDL is a transaction of its own, with its own GTID and no BEGIN.
    await read.accept([mysqlGtid(7, 400), query('CREATE TABLE shop.more (id INT PRIMARY KEY)', 500)])
    expect(read.idleOffset).toEqual({ file: 'binlog.000007', pos: 500, event: 0, gtids: `${UUID}:1-7`, txn_end: true })
  })

  it('leaves the GTIDs alone for anonymous transactions (gtid_mode OFF)', async () => {
    const read = reader({ file: 'binlog.000001', pos: 4 }, `${UUID}:1-5`, false)
    const records = await read.accept([anonymousGtid(60), query('BEGIN', 120), insert([1], 200), xid(231)])
    expect(records.map(gtidOf)).toEqual([null])
    expect(records[0]?.sourceOffset).toEqual({ file: 'binlog.000001', pos: 231, event: 0, gtids: `${UUID}:1-5`, txn_end: true })
  })
})

describe('StreamReader positions', () => {
  it('keeps its start when a stream resumed by GTID opens with a rotate to the start of the same file', async () => {
    const read = reader({ file: 'binlog.000003', pos: 2891 }, '0-1-34', true)
    const records = await read.accept([rotate('binlog.000003', 4), mariaDbGtid(35, 2933), insert([31, 32], 3078)])
    expect(records.map((record) => record.sourceOffset)).toEqual([{ file: 'binlog.000003', pos: 2891, event: 1, gtids: '0-1-34' }])
    expect((await read.accept([xid(3109)]))[0]?.sourceOffset).toEqual({
      file: 'binlog.000003',
      pos: 3109,
      event: 0,
      gtids: '0-1-35',
      txn_end: true,
    })
  })

  it('moves to the next file at a rotate between transactions', async () => {
    const read = reader({ file: 'binlog.000003', pos: 3109 }, '0-1-35', true)
    await read.accept([rotate('binlog.000004', 4)])
    expect(read.idleOffset).toEqual({ file: 'binlog.000004', pos: 4, event: 0, gtids: '0-1-35', txn_end: true })
  })
})
