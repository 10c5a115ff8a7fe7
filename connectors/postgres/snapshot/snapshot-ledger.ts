/**
 * Which tables' contents have been read, kept in the source offset next to the stream position, so
 * a table added to `tables` later is read (incrementally) and a table already read never is again.
 * Every record's offset carries the ledger: whichever record is the newest durable one, a restart
 * knows both where to stream from and what is left to read.
 */
import type { SourceOffset } from '../../../core/runtime/plugin.ts'

export interface IncrementalPosition {
  /** Tables still to read, `schema.table`; the first is the one being read. */
  readonly tables: readonly string[]
  /** Text key of the last row of the last emitted chunk of the first table; null before its first. */
  readonly key: readonly string[] | null
}

export interface SnapshotLedger {
  /** Tables (`schema.table`) whose contents have been read. */
  readonly done: readonly string[]
  readonly incremental?: IncrementalPosition | undefined
}

const DONE = 'snapshot_tables'
const INCREMENTAL = 'incremental'

/** The offset fields that record a ledger. */
export function ledgerOffset(ledger: SnapshotLedger): SourceOffset {
  return { [DONE]: JSON.stringify(ledger.done), ...(ledger.incremental && { [INCREMENTAL]: JSON.stringify(ledger.incremental) }) }
}

export interface LedgerInput {
  /** The stored offset, which has a stream position. */
  readonly stored: SourceOffset
  /** The configured tables, `schema.table`. */
  readonly configured: readonly string[]
  /** Tables this start added to an existing publication: not captured before. */
  readonly newlyPublished: readonly string[]
  /** False (snapshot.mode no_data, initial_only): added tables are only streamed. */
  readonly readsAddedTables: boolean
}

/**
 * The ledger to continue with. An offset from before ledgers existed counts the tables that were
 * already published as read: they were captured from the start, and only a table this start added to
 * the publication is new (an offset may stay without the field for long on a quiet database, so the
 * configured set of the moment would wrongly include a table added meanwhile).
 */
export function resumeLedger(input: LedgerInput): SnapshotLedger {
  const stored = parseStrings(input.stored[DONE])
  const done = stored ?? input.configured.filter((table) => !input.newlyPublished.includes(table))
  const previous = parseIncremental(input.stored[INCREMENTAL])
  if (!input.readsAddedTables) return { done: union(done, input.configured) }
  const pending = union(previous?.tables ?? [], input.configured).filter(
    (table) => input.configured.includes(table) && !done.includes(table),
  )
  if (pending.length === 0) return { done }
  // The stored key belongs to the stored first table; a different first table starts from its beginning.
  const key = previous !== undefined && pending[0] === previous.tables[0] ? previous.key : null
  return { done, incremental: { tables: pending, key } }
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])]
}

function isStrings(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string')
}

function parseStrings(value: unknown): string[] | undefined {
  if (typeof value !== 'string') return undefined
  const parsed = JSON.parse(value) as unknown
  return isStrings(parsed) ? parsed : undefined
}

function parseIncremental(value: unknown): IncrementalPosition | undefined {
  if (typeof value !== 'string') return undefined
  const parsed = JSON.parse(value) as { tables?: unknown; key?: unknown }
  if (!isStrings(parsed.tables) || !(parsed.key === null || isStrings(parsed.key))) return undefined
  return { tables: parsed.tables, key: parsed.key }
}
