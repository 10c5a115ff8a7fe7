/**
 * How a record's value is shown: a change event (Debezium's envelope, also inside a JsonConverter
 * `{ schema, payload }` wrapper) as its operation, table and row states; other JSON pretty-printed;
 * text as it is; bytes as base64.
 */

export type ValueView =
  | { readonly kind: 'null' }
  | {
      readonly kind: 'change'
      readonly operation: string
      readonly table: string | undefined
      readonly before: string
      readonly after: string
    }
  | { readonly kind: 'json'; readonly pretty: string }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'binary'; readonly base64: string }

const OPERATIONS: Readonly<Record<string, string>> = { c: 'insert', u: 'update', d: 'delete', r: 'snapshot read', t: 'truncate' }

export function describeValue(value: string | null, encoding: 'base64' | undefined): ValueView {
  if (value === null) return { kind: 'null' }
  if (encoding === 'base64') return { kind: 'binary', base64: value }
  let parsed: unknown
  try {
    parsed = JSON.parse(value)
  } catch {
    return { kind: 'text', text: value }
  }
  const event = changeEvent(isObject(parsed) && 'payload' in parsed && 'schema' in parsed ? parsed.payload : parsed)
  if (event !== undefined) return event
  return { kind: 'json', pretty: JSON.stringify(parsed, null, 2) }
}

function changeEvent(candidate: unknown): ValueView | undefined {
  if (!isObject(candidate) || typeof candidate.op !== 'string' || !(candidate.op in OPERATIONS)) return undefined
  if (!('before' in candidate) && !('after' in candidate)) return undefined
  const source = isObject(candidate.source) ? candidate.source : {}
  const container = typeof source.schema === 'string' ? source.schema : typeof source.db === 'string' ? source.db : undefined
  const table = typeof source.table === 'string' ? (container === undefined ? source.table : `${container}.${source.table}`) : undefined
  const show = (row: unknown) => (row === null || row === undefined ? '—' : JSON.stringify(row, null, 2))
  return {
    kind: 'change',
    operation: OPERATIONS[candidate.op] ?? candidate.op,
    table,
    before: show(candidate.before),
    after: show(candidate.after),
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
