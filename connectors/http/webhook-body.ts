/**
 * A webhook body as items, read as its Content-Type declares: JSON (`application/json`, `…+json`, or
 * no Content-Type) gives one item per array element or the object itself; NDJSON
 * (`application/x-ndjson` and its aliases) one per line; `text/plain` the text as one string. Any
 * other type (an HTML form's urlencoded or multipart body) is refused with 415, never guessed at.
 * JSON nested deeper than DEFAULT_MAX_JSON_DEPTH is refused with 400 before it is parsed, so no
 * deep value reaches a converter or a sink. A body that does not parse is refused as a whole.
 */
import { DEFAULT_MAX_JSON_DEPTH, exceedsJsonDepth } from '../../core/runtime/plugin.ts'

export type ParsedBody =
  | { readonly ok: true; readonly items: unknown[] }
  | { readonly ok: false; readonly status: 400 | 415; readonly message: string }

const NDJSON_TYPES = new Set(['application/x-ndjson', 'application/ndjson', 'application/jsonl', 'application/x-jsonlines'])

export const WEBHOOK_BODY_TYPES = 'application/json, application/x-ndjson or text/plain'

export function parseWebhookBody(body: Buffer, contentType: string | undefined): ParsedBody {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? ''
  if (type === 'text/plain') return { ok: true, items: [body.toString('utf8')] }
  if (NDJSON_TYPES.has(type)) return parseLines(body.toString('utf8'))
  if (type !== '' && type !== 'application/json' && !/^[^/]+\/[^/]+\+json$/.test(type)) {
    return { ok: false, status: 415, message: `a body of type ${type} is not read here: send ${WEBHOOK_BODY_TYPES}` }
  }
  const parsed = parseJson(body.toString('utf8'), 'body')
  if (!parsed.ok) return { ok: false, status: 400, message: parsed.message }
  return { ok: true, items: Array.isArray(parsed.value) ? parsed.value : [parsed.value] }
}

function parseLines(text: string): ParsedBody {
  const items: unknown[] = []
  const lines = text.split('\n')
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '') continue
    const parsed = parseJson(line, `line ${index + 1}`)
    if (!parsed.ok) return { ok: false, status: 400, message: parsed.message }
    items.push(parsed.value)
  }
  return { ok: true, items }
}

function parseJson(text: string, what: string): { ok: true; value: unknown } | { ok: false; message: string } {
  if (exceedsJsonDepth(text, DEFAULT_MAX_JSON_DEPTH)) {
    return { ok: false, message: `${what} nests deeper than ${DEFAULT_MAX_JSON_DEPTH} levels of arrays and objects; flatten it` }
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown }
  } catch (error) {
    return { ok: false, message: `${what} is not valid JSON: ${(error as Error).message}` }
  }
}
