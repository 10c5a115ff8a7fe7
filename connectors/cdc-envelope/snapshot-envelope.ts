/**
 * The value of a snapshot row's change event (op `r`, no `before`): plain data with every envelope
 * field, as any other change event's, whose payload text is made of the row's own text and a text
 * the rows of one snapshot chunk share. Those rows have one source block and are read within a few
 * milliseconds: their `source`, `transaction`, `op` and times are written once per source block and
 * millisecond (SnapshotRowsShared), not once per row.
 */
import { payloadWriter, toPayloadText, type PayloadTextSource, type Schema } from '../../core/runtime/plugin.ts'
import type { ProcessingTime } from './change-record.ts'

type Row = Record<string, unknown>

const HEAD = '{"before":null,"after":'

/** What the rows of one table version, source block and millisecond share, and its text. */
export class SnapshotRowsShared<Source extends object = object> {
  readonly rowSchema: Schema
  readonly source: Source
  readonly now: ProcessingTime
  readonly #writeRow: (row: unknown) => string
  /** The envelope's text after `after`; its head is HEAD. */
  readonly #tail: string

  constructor(envelopeSchema: Schema, rowSchema: Schema, source: Source, now: ProcessingTime) {
    this.rowSchema = rowSchema
    this.source = source
    this.now = now
    this.#writeRow = payloadWriter(rowSchema)
    // The envelope's own writer writes the shared fields, so the text is the writer's by construction.
    const text = payloadWriter(envelopeSchema)({
      before: null,
      after: null,
      source,
      transaction: null,
      op: 'r',
      ts_ms: now.ms,
      ts_us: now.ms * 1000,
      ts_ns: now.ns,
    })
    if (!text.startsWith(`${HEAD}null`)) throw new Error(`a snapshot envelope that does not start as expected: ${text.slice(0, 40)}`)
    this.#tail = text.slice(HEAD.length + 4)
  }

  text(after: Row): string {
    return HEAD + this.#writeRow(after) + this.#tail
  }
}

/** A snapshot row's event value, in the envelope's field order (which a copy keeps). */
export class SnapshotEnvelope<Source extends object = object> implements PayloadTextSource {
  readonly before: null
  readonly after: Row
  readonly source: Source
  readonly transaction: null
  readonly op: 'r'
  readonly ts_ms: number
  readonly ts_us: number
  readonly ts_ns: bigint
  readonly #shared: SnapshotRowsShared<Source>

  constructor(after: Row, shared: SnapshotRowsShared<Source>) {
    this.before = null
    this.after = after
    this.source = shared.source
    this.transaction = null
    this.op = 'r'
    this.ts_ms = shared.now.ms
    this.ts_us = shared.now.ms * 1000
    this.ts_ns = shared.now.ns
    this.#shared = shared
  }

  [toPayloadText](): string {
    return this.#shared.text(this.after)
  }
}
