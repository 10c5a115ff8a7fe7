/**
 * A webhook body as items: JSON (the default, whatever the content type says) gives one item per
 * array element or the object itself; `application/x-ndjson` one per line; `text/plain` the text as
 * one string. A body that does not parse is refused as a whole: no partial requests.
 */
export type ParsedBody = { readonly ok: true; readonly items: unknown[] } | { readonly ok: false; readonly message: string }

const NDJSON_TYPES = new Set(['application/x-ndjson', 'application/ndjson', 'application/jsonl', 'application/x-jsonlines'])

export function parseWebhookBody(body: Buffer, contentType: string | undefined): ParsedBody {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? ''
  const text = body.toString('utf8')
  if (type === 'text/plain') return { ok: true, items: [text] }
  if (NDJSON_TYPES.has(type)) return parseLines(text)
  const parsed = parseJson(text)
  if (!parsed.ok) return { ok: false, message: `body is not valid JSON: ${parsed.message}` }
  return { ok: true, items: Array.isArray(parsed.value) ? parsed.value : [parsed.value] }
}

function parseLines(text: string): ParsedBody {
  const items: unknown[] = []
  const lines = text.split('\n')
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '') continue
    const parsed = parseJson(line)
    if (!parsed.ok) return { ok: false, message: `line ${index + 1} is not valid JSON: ${parsed.message}` }
    items.push(parsed.value)
  }
  return { ok: true, items }
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown }
  } catch (error) {
    return { ok: false, message: (error as Error).message }
  }
}
