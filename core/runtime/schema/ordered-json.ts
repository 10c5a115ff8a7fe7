/**
 * JSON whose object keys stay in the order they were put (a Map, so that a key such as "1" is not
 * moved first as a JavaScript object would move it), with numbers as their exact text, written as
 * Jackson's ObjectMapper.writeValueAsString writes a tree: no spaces, characters beyond ASCII as
 * they are, control characters as `\n`, `\t` … or `\u001F` with upper-case hex. The JSON Schema
 * text a converter registers is built as this.
 */

/** A number as the text to write (`1`, `1.5`, `1.0E7`). */
export interface JsonNumber {
  readonly number: string
}

export type OrderedJson = null | boolean | string | JsonNumber | readonly OrderedJson[] | ReadonlyMap<string, OrderedJson>

export const jsonNumber = (value: number | bigint | string): JsonNumber => ({ number: String(value) })

/** Jackson's escapes; JSON.stringify writes the same but for lower-case hex. */
function stringText(text: string): string {
  return JSON.stringify(text).replace(/\\\\|\\u00([0-9a-f]{2})/g, (sequence, hex?: string) =>
    hex === undefined ? sequence : `\\u00${hex.toUpperCase()}`,
  )
}

export function orderedJsonText(node: OrderedJson): string {
  if (node === null) return 'null'
  if (typeof node === 'boolean') return node ? 'true' : 'false'
  if (typeof node === 'string') return stringText(node)
  if (Array.isArray(node)) return `[${node.map(orderedJsonText).join(',')}]`
  if (node instanceof Map) return `{${[...node].map(([key, value]) => `${stringText(key)}:${orderedJsonText(value)}`).join(',')}}`
  return (node as JsonNumber).number
}
