/**
 * hstore values (`"a"=>"1", "b"=>NULL`), read into their pairs. Debezium reads them into a Java
 * HashMap, and writes them (as JSON text, or as a Connect map) in that map's iteration order, which
 * follows the keys' String.hashCode: the pairs are put in that order here, so the output matches
 * byte for byte.
 */

/** The pairs of an hstore's text form, in the order the text has them (a repeated key keeps its last value). */
export function parseHstore(text: string): Array<[string, string | null]> {
  const pairs = new Map<string, string | null>()
  let at = 0
  const skipSpace = () => {
    while (at < text.length && (text[at] === ' ' || text[at] === ',' || text[at] === '\n' || text[at] === '\t')) at++
  }
  const token = (): string | null => {
    if (text[at] === '"') {
      let value = ''
      at++
      while (at < text.length && text[at] !== '"') {
        if (text[at] === '\\') at++
        value += text[at]
        at++
      }
      at++
      return value
    }
    const start = at
    while (at < text.length && text[at] !== '=' && text[at] !== ',' && text[at] !== ' ') at++
    const raw = text.slice(start, at)
    return raw.toUpperCase() === 'NULL' ? null : raw
  }
  skipSpace()
  while (at < text.length) {
    const key = token() ?? 'NULL'
    skipSpace()
    at += 2 // =>
    skipSpace()
    pairs.set(key, token())
    skipSpace()
  }
  return [...pairs.entries()]
}

/** Java's String.hashCode: UTF-16 code units, 31-based, in 32-bit arithmetic. */
function javaHash(text: string): number {
  let hash = 0
  for (let index = 0; index < text.length; index++) hash = (Math.imul(hash, 31) + text.charCodeAt(index)) | 0
  return hash
}

/**
 * Entries in the order a java.util.HashMap of them iterates: by bucket (the spread hash modulo the
 * table size, which doubles from 16 whenever it is more than three quarters full), and within a
 * bucket in insertion order.
 */
export function javaHashMapOrder<V>(entries: ReadonlyArray<[string, V]>): Array<[string, V]> {
  let capacity = 16
  while (entries.length > capacity * 0.75) capacity *= 2
  const buckets = entries.map(([key], index) => {
    const hash = javaHash(key)
    return { bucket: (hash ^ (hash >>> 16)) & (capacity - 1), index }
  })
  buckets.sort((a, b) => a.bucket - b.bucket || a.index - b.index)
  return buckets.map(({ index }) => entries[index] as [string, V])
}
