/**
 * The value of a change event: plain data with every envelope field, as any other change event's,
 * whose payload text is made of its rows' own text and the texts the events of one group share.
 * Streamed changes (op `c`, `u` or `d`) of one binlog event differ in their rows and in a few
 * integer fields of `source` (MySQL's `pos` and `row`) only; snapshot rows (op `r`) of one chunk
 * share their whole source block. The rest of `source`, `transaction`, `op` and the times are
 * written once per group, operation and millisecond (ChangeRowsShared), not once per event.
 */
import { payloadWriter, toPayloadText, type PayloadTextSource, type Schema } from '../../core/runtime/plugin.ts'
import type { ProcessingTime } from './change-record.ts'

type Row = Record<string, unknown>

const HEAD = '{"before":'
const AFTER = ',"after":'

/** What the changes of one table version, shared source values, operation and millisecond share, and its text. */
export class ChangeRowsShared<Source extends object = object> {
  readonly envelopeSchema: Schema
  readonly shared: object
  readonly op: string
  readonly now: ProcessingTime
  readonly #writeRow: (row: unknown) => string
  readonly #fields: ReadonlyArray<keyof Source>
  /** The text after `after`'s value: pieces[i] comes before the i-th per-change field's value, the last one ends the envelope. */
  readonly #pieces: readonly string[]

  /**
   * `template`: a source block of these shared values whose `fields` (consecutive in the source
   * schema, integers that differ per change) are all 0; `shared` is what identifies those values.
   * With no `fields` (snapshot rows), every event of the group has `template` as its source block.
   */
  constructor(
    envelopeSchema: Schema,
    rowSchema: Schema,
    shared: object,
    template: Source,
    fields: ReadonlyArray<keyof Source & string>,
    op: string,
    now: ProcessingTime,
  ) {
    this.envelopeSchema = envelopeSchema
    this.shared = shared
    this.op = op
    this.now = now
    this.#writeRow = payloadWriter(rowSchema)
    this.#fields = fields
    // The envelope's own writer writes the shared fields, so the text is the writer's by construction.
    const text = payloadWriter(envelopeSchema)({
      before: null,
      after: null,
      source: template,
      transaction: null,
      op,
      ts_ms: now.ms,
      ts_us: now.ms * 1000,
      ts_ns: now.ns,
    })
    const start = `${HEAD}null${AFTER}null`
    if (!text.startsWith(start)) throw new Error(`a change envelope that is not as expected: ${text.slice(0, 60)}`)
    if (fields.length === 0) {
      this.#pieces = [text.slice(start.length)]
      return
    }
    const zeros = fields.map((field) => `${JSON.stringify(field)}:0`).join(',')
    // Strings are written escaped: the fields' names with a bare quote are found only as the fields themselves.
    const at = text.indexOf(`,${zeros},`)
    if (at < 0 || text.indexOf(`,${zeros},`, at + 1) >= 0)
      throw new Error(`a change envelope that is not as expected: ${text.slice(0, 60)}`)
    const pieces = [`${text.slice(start.length, at)},${JSON.stringify(fields[0])}:`]
    for (const field of fields.slice(1)) pieces.push(`,${JSON.stringify(field)}:`)
    pieces.push(text.slice(at + zeros.length + 1))
    this.#pieces = pieces
  }

  text(before: Row | null, after: Row | null, source: Source): string {
    const pieces = this.#pieces
    const fields = this.#fields
    let text = HEAD + (before === null ? 'null' : this.#writeRow(before)) + AFTER + (after === null ? 'null' : this.#writeRow(after))
    for (let index = 0; index < fields.length; index++) text += (pieces[index] as string) + String(source[fields[index] as keyof Source])
    return text + (pieces[fields.length] as string)
  }
}

/** A streamed change's event value, in the envelope's field order (which a copy keeps). */
export class ChangeEnvelope<Source extends object = object> implements PayloadTextSource {
  readonly before: Row | null
  readonly after: Row | null
  readonly source: Source
  readonly transaction: null
  readonly op: string
  readonly ts_ms: number
  readonly ts_us: number
  readonly ts_ns: bigint
  readonly #shared: ChangeRowsShared<Source>

  constructor(before: Row | null, after: Row | null, source: Source, shared: ChangeRowsShared<Source>) {
    this.before = before
    this.after = after
    this.source = source
    this.transaction = null
    this.op = shared.op
    this.ts_ms = shared.now.ms
    this.ts_us = shared.now.ms * 1000
    this.ts_ns = shared.now.ns
    this.#shared = shared
  }

  [toPayloadText](): string {
    return this.#shared.text(this.before, this.after, this.source)
  }
}
