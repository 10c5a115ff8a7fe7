/** PostgreSQL's text form of an array; both directions. */

/** Parses PostgreSQL's text form of an array (`{1,2,NULL}`, `{"a,b","c\"d"}`, `{{1,2},{3,4}}`, `[0:1]={…}`). */
export function parsePgArray(text: string, element: (value: string) => unknown): unknown[] {
  let position = text.startsWith('[') ? text.indexOf('=') + 1 : 0
  const parseLevel = (): unknown[] => {
    const items: unknown[] = []
    position++ // '{'
    while (position < text.length) {
      const char = text[position]
      if (char === '}') {
        position++
        return items
      }
      if (char === ',') {
        position++
        continue
      }
      if (char === '{') {
        items.push(parseLevel())
        continue
      }
      if (char === '"') {
        let value = ''
        position++
        while (position < text.length && text[position] !== '"') {
          if (text[position] === '\\') position++
          value += text[position]
          position++
        }
        position++
        items.push(element(value))
        continue
      }
      let end = position
      while (end < text.length && text[end] !== ',' && text[end] !== '}') end++
      const raw = text.slice(position, end)
      position = end
      items.push(raw === 'NULL' ? null : element(raw))
    }
    return items
  }
  return parseLevel()
}

/**
 * Writes a one-dimensional array in PostgreSQL's text form, one element per item. The sink binds a
 * whole column this way; doing it here skips node-postgres' per-element conversion and its two
 * regular expressions per string (a good share of the sink's CPU).
 */
export function formatPgArray<T>(items: readonly T[], element: (item: T) => unknown): string {
  let text = '{'
  for (let i = 0; i < items.length; i++) {
    if (i > 0) text += ','
    const value = element(items[i] as T)
    if (value === null || value === undefined) text += 'NULL'
    else if (typeof value === 'number' || typeof value === 'bigint') text += String(value)
    else if (typeof value === 'boolean') text += value ? 'true' : 'false'
    else if (Buffer.isBuffer(value)) text += `\\\\x${value.toString('hex')}`
    else text += quoteElement(typeof value === 'string' ? value : String(value))
  }
  return `${text}}`
}

function quoteElement(value: string): string {
  if (!value.includes('\\') && !value.includes('"')) return `"${value}"`
  return `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`
}
