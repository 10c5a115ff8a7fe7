/**
 * Resuming inside a transaction: a poll that ends partway through one marks in its last offset how
 * many of the transaction's records it holds, and a reader started from that offset, which the
 * server sends the whole transaction again, hands out only the rest. Exactly-once sources store
 * offsets with their batch, so without this a restart would put the first part in the log twice.
 */
import { describe, expect, it } from 'vitest'
import type { CatalogColumn } from '../../../../../connectors/postgres/source/source-catalog.ts'
import { ChangeEvents } from '../../../../../connectors/postgres/source/change-events.ts'
import type { PgType } from '../../../../../connectors/postgres/source/pg-types.ts'
import type { PgOutputMessage } from '../../../../../connectors/postgres/source/pgoutput.ts'
import type { ReplicationEvent } from '../../../../../connectors/postgres/source/replication-stream.ts'
import { DEFAULT_SCHEMA_SETTINGS } from '../../../../../connectors/postgres/source/schema-settings.ts'
import {
  resumeWithin,
  StreamReader,
  TRANSACTION_END,
  TRANSACTION_RECORDS,
  type ResumeWithin,
} from '../../../../../connectors/postgres/source/stream-reader.ts'
import type { SourceRecord } from '../../../../../core/runtime/plugin.ts'

const int4 = (oid: number): PgType | undefined =>
  oid === 23
    ? { oid, name: 'int4', namespace: 'pg_catalog', kind: 'b', category: 'N', element: 0, base: 0, typmod: -1, notNull: false }
    : undefined
const events = new ChangeEvents({
  prefix: 'shop',
  database: 'db',
  topic: undefined,
  tombstones: true,
  skipped: new Set(),
  version: '1.2.3',
  schemas: DEFAULT_SCHEMA_SETTINGS,
})
const columns: CatalogColumn[] = [{ name: 'id', typeOid: 23, typmod: -1, notNull: true, defaultExpression: null, generated: false }]
const items = events.queriedTable('public', 'items', columns, ['id'], int4)
const START = 0x1000n

function reader(within?: ResumeWithin): StreamReader {
  return new StreamReader({ events, startLsn: START, ...(within && { within }), onRelation: async () => items })
}

/** A transaction inserting `ids`, as the server sends one at its commit. */
function transaction(xid: number, ids: readonly number[], endLsn: bigint): ReplicationEvent[] {
  const messages: PgOutputMessage[] = [
    {
      tag: 'relation',
      relationId: 1,
      schema: 'public',
      table: 'items',
      replicaIdentity: 'default',
      columns: [{ name: 'id', typeOid: 23, typeModifier: -1, isKey: true }],
    },
    { tag: 'begin', finalLsn: endLsn - 8n, commitTimeUs: 1, xid },
    ...ids.map((id): PgOutputMessage => ({ tag: 'insert', relationId: 1, newTuple: [String(id)] })),
    { tag: 'commit', commitLsn: endLsn - 8n, endLsn, commitTimeUs: 1 },
  ]
  return messages.map((message, index) => ({ lsn: endLsn - 100n + BigInt(index), message }))
}

const ids = (records: readonly SourceRecord[]) => records.map((record) => (record.key as { id: number }).id)

describe('a stream reader resumed inside a transaction', () => {
  it('marks a poll that ends inside a transaction and, resumed from it, hands out only the rest', async () => {
    const sent = transaction(700, [1, 2, 3, 4, 5], 0x2000n)
    const first = reader()
    // Relation, begin and three inserts: the third is held back (it may be the last).
    const cut = await first.accept(sent.slice(0, 5))
    expect(ids(cut)).toEqual([1, 2])
    const offset = cut.at(-1)!.sourceOffset
    expect(offset).toMatchObject({ lsn: '0/1000', txId: 700, [TRANSACTION_RECORDS]: 2 })
    expect(cut[0]!.sourceOffset[TRANSACTION_RECORDS]).toBeUndefined()
    expect(first.resumePosition).toEqual({ lsn: START, within: { xid: 700, records: 2 } })

    // A restart from that offset: the server sends the whole transaction again.
    const resumed = await reader(resumeWithin(offset)).accept(sent)
    expect(ids(resumed)).toEqual([3, 4, 5])
    expect(resumed.at(-1)!.sourceOffset).toMatchObject({ lsn: '0/2000', [TRANSACTION_END]: true })
    expect(resumed.at(-1)!.sourceOffset[TRANSACTION_RECORDS]).toBeUndefined()
  })

  it('counts across polls, and a poll that ends at a commit carries no count', async () => {
    const sent = transaction(701, [1, 2, 3, 4, 5, 6], 0x2000n)
    const first = reader()
    expect((await first.accept(sent.slice(0, 4))).at(-1)!.sourceOffset).toMatchObject({ [TRANSACTION_RECORDS]: 1 })
    const second = await first.accept(sent.slice(4, 7))
    expect(ids(second)).toEqual([2, 3, 4])
    expect(second.at(-1)!.sourceOffset).toMatchObject({ txId: 701, [TRANSACTION_RECORDS]: 4 })
    const end = await first.accept(sent.slice(7))
    expect(ids(end)).toEqual([5, 6])
    expect(end.at(-1)!.sourceOffset[TRANSACTION_RECORDS]).toBeUndefined()
    expect(first.resumePosition).toEqual({ lsn: 0x2000n, within: undefined })
    expect(ids(await reader(resumeWithin(second.at(-1)!.sourceOffset)).accept(sent))).toEqual([5, 6])
  })

  it('skips nothing when the first transaction is another one than the offset names', async () => {
    const resumed = await reader({ xid: 699, records: 2 }).accept([
      ...transaction(700, [1, 2, 3], 0x2000n),
      ...transaction(699, [4, 5, 6], 0x3000n),
    ])
    expect(ids(resumed)).toEqual([1, 2, 3, 4, 5, 6])
  })

  it('counts each record of a transaction streamed while in progress, and resumed inside it hands out the rest', async () => {
    const insert = (id: number): PgOutputMessage => ({ tag: 'insert', xid: 800, relationId: 1, newTuple: [String(id)] })
    const messages: PgOutputMessage[] = [
      { tag: 'streamStart', xid: 800, firstSegment: true },
      {
        tag: 'relation',
        xid: 800,
        relationId: 1,
        schema: 'public',
        table: 'items',
        replicaIdentity: 'default',
        columns: [{ name: 'id', typeOid: 23, typeModifier: -1, isKey: true }],
      },
      insert(1),
      insert(2),
      insert(3),
      insert(4),
      { tag: 'streamStop' },
      { tag: 'streamCommit', xid: 800, commitLsn: 0x2ff8n, endLsn: 0x3000n, commitTimeUs: 1 },
    ]
    const sent = messages.map((message, index) => ({ lsn: 0x2000n + BigInt(index), message }))
    const whole = await reader().accept(sent)
    expect(whole.map((record) => record.sourceOffset[TRANSACTION_RECORDS])).toEqual([1, 2, 3, undefined])
    expect(whole.at(-1)!.sourceOffset).toMatchObject({ lsn: '0/3000', [TRANSACTION_END]: true })
    // A batch that ended at the second record: a restart hands out the third and fourth.
    expect(ids(await reader(resumeWithin(whole[1]!.sourceOffset)).accept(sent))).toEqual([3, 4])
  })

  it('reads no position from offsets without a count', () => {
    expect(resumeWithin({ lsn: '0/1000', txId: 700 })).toBeUndefined()
    expect(resumeWithin(undefined)).toBeUndefined()
  })
})
