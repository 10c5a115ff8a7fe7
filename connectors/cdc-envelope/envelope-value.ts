/**
 * The value of a Debezium change event, `{ before, after, source, op, ts_ms }`, with a JSON encoding
 * that reuses the text of the `source` fields a run of changes shares (same table, same
 * transaction): only the fields that differ per change are encoded each time. Both CDC sources build
 * their events with it; the JSON converter calls `toJsonText` (plugin.ts).
 */
import { toJsonText, type JsonTextSource } from '../../core/runtime/plugin.ts'

type Row = Record<string, unknown>

/**
 * The JSON text of a `source` block around its per-change fields: built once from the shared
 * values, then filled in per change. `fields` is the block's field order; `perChange` the fields
 * that differ from change to change.
 */
export class SourceTemplate<S extends Readonly<Record<string, unknown>>> {
  readonly shared: S
  private readonly perChange: ReadonlyArray<keyof S & string>
  /** pieces[i] comes before perChange[i]'s value; the last piece closes the object. */
  private readonly pieces: readonly string[]
  /** The per-change values of the last encoding and its text; values are compared with ===, so an
   * object among them must be a new one when it changes, never the same one altered. */
  private lastValues: unknown[] | undefined
  private lastText: string | undefined

  constructor(fields: ReadonlyArray<keyof S & string>, perChange: ReadonlyArray<keyof S & string>, shared: S) {
    this.shared = shared
    this.perChange = perChange
    const pieces: string[] = []
    let piece = '{'
    fields.forEach((field, index) => {
      piece += `${index === 0 ? '' : ','}${JSON.stringify(field)}:`
      if (perChange.includes(field)) {
        pieces.push(piece)
        piece = ''
      } else {
        piece += JSON.stringify(shared[field])
      }
    })
    pieces.push(`${piece}}`)
    this.pieces = pieces
  }

  encode(source: S): string {
    const { pieces, perChange } = this
    // A run of changes with the same per-change values (every row of a snapshot) shares one text.
    const last = this.lastValues
    if (last !== undefined && this.lastText !== undefined) {
      let same = true
      for (let index = 0; index < perChange.length && same; index++) same = source[perChange[index] as string] === last[index]
      if (same) return this.lastText
    }
    const values = new Array<unknown>(perChange.length)
    let text = pieces[0] as string
    for (let index = 0; index < perChange.length; index++) {
      const value = source[perChange[index] as string]
      values[index] = value
      text += JSON.stringify(value) + (pieces[index + 1] as string)
    }
    this.lastValues = values
    this.lastText = text
    return text
  }
}

export class EnvelopeValue<S extends Readonly<Record<string, unknown>>> implements JsonTextSource {
  // Declared in Debezium's order, which JSON.stringify of this object keeps.
  readonly before: Row | null
  readonly after: Row | null
  readonly source: S
  readonly op: string
  readonly ts_ms: number
  readonly #template: SourceTemplate<S>

  /** `source` must hold the template's shared values in its shared fields. */
  constructor(before: Row | null, after: Row | null, source: S, template: SourceTemplate<S>, op: string, tsMs: number) {
    this.before = before
    this.after = after
    this.source = source
    this.op = op
    this.ts_ms = tsMs
    this.#template = template
  }

  [toJsonText](): string {
    return `{"before":${JSON.stringify(this.before)},"after":${JSON.stringify(this.after)},"source":${this.#template.encode(this.source)},"op":${JSON.stringify(this.op)},"ts_ms":${this.ts_ms}}`
  }
}
