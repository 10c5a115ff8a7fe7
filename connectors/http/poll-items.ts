/**
 * Which items of a polled response become records: the array at `items.path`, less the items at or
 * behind the cursor (`cursor.field`) and those already emitted (`id.field`), oldest cursor first so
 * each record's offset is a cursor that every earlier record is behind.
 */
import type { SeenIds } from './seen-ids.ts'

export type Cursor = string | number

export interface PolledItem {
  readonly item: unknown
  readonly cursor: Cursor | undefined
}

export interface ItemFilter {
  readonly cursorField: string | undefined
  readonly idField: string | undefined
  /** The cursor of the newest item emitted so far; null before the first. */
  readonly cursor: Cursor | null
  readonly seen: SeenIds
}

/** The items in a response: the array at the dotted path, or the value there as one item. */
export function itemsAt(body: unknown, path: string | undefined): unknown[] {
  let value = body
  for (const part of (path ?? '').split('.').filter(Boolean)) value = fieldOf(value, part)
  if (Array.isArray(value)) return value
  return value === undefined || value === null ? [] : [value]
}

/** Numbers (and numeric strings) compare as numbers; anything else as strings, which suits ISO-8601 timestamps. */
export function compareCursors(a: Cursor, b: Cursor): number {
  const x = Number(a)
  const y = Number(b)
  if (String(a).trim() !== '' && String(b).trim() !== '' && Number.isFinite(x) && Number.isFinite(y)) return x - y
  const [s, t] = [String(a), String(b)]
  return s < t ? -1 : s > t ? 1 : 0
}

export function selectNewItems(items: readonly unknown[], filter: ItemFilter): { fresh: PolledItem[]; withoutCursor: number } {
  const { cursorField, idField, cursor, seen } = filter
  let withoutCursor = 0
  const candidates: PolledItem[] = []
  for (const item of items) {
    const value = cursorField === undefined ? undefined : fieldOf(item, cursorField)
    const itemCursor = typeof value === 'string' || typeof value === 'number' ? value : undefined
    if (cursorField !== undefined) {
      if (itemCursor === undefined) {
        withoutCursor++
        continue
      }
      // With ids to tell them apart, items sharing the stored cursor value are read again, not lost.
      const order = cursor === null ? 1 : compareCursors(itemCursor, cursor)
      if (order < 0 || (order === 0 && idField === undefined)) continue
    }
    candidates.push({ item, cursor: itemCursor })
  }
  if (cursorField !== undefined) candidates.sort((a, b) => compareCursors(a.cursor as Cursor, b.cursor as Cursor))
  const fresh =
    idField === undefined
      ? candidates
      : candidates.filter(({ item }) => {
          const id = fieldOf(item, idField)
          return id === undefined || !seen.check(id)
        })
  return { fresh, withoutCursor }
}

function fieldOf(value: unknown, field: string): unknown {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[field] : undefined
}
