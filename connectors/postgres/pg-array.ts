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
