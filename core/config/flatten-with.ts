/**
 * Flattens a `with:` block into the flat string map Kafka Connect configs are: nested maps become
 * dotted keys (`snapshot: { mode: initial }` → `snapshot.mode=initial`), lists of plain values are
 * joined with commas, and every key remembers the YAML path it came from so a plugin's complaint
 * about `snapshot.mode` can be reported at its line. Values stay as written (`30s` is the plugin's
 * to parse); a decimal integer keeps its digits, so a 64-bit id or `007` is not rounded or stripped.
 */
import { isAlias, isMap, isScalar, isSeq, type Document, type Node } from 'yaml'
import { keyText, type KeyPath } from './yaml-locate.ts'

export interface FlatValue {
  readonly value: string
  /** Where in the file the value was written. */
  readonly path: KeyPath
}

export type FlatConfig = Map<string, FlatValue>

export type ReportProblem = (keyPath: KeyPath, message: string) => void

export function flattenWith(doc: Document, node: unknown, prefix: string, keyPath: KeyPath, problem: ReportProblem): FlatConfig {
  const into: FlatConfig = new Map()
  const resolve = (value: unknown): Node | undefined =>
    isAlias(value) ? (value.resolve(doc) as Node | undefined) : ((value ?? undefined) as Node | undefined)

  const set = (key: string, value: string, at: KeyPath): void => {
    const earlier = into.get(key)
    // Keys within one map are unique (YAML says so), so a clash is `a.b: x` beside `a: { b: y }`.
    if (earlier !== undefined) problem(at, `${key} is written twice, once dotted and once nested; keep one`)
    else into.set(key, { value, path: at })
  }

  const walk = (value: Node | undefined, flatKey: string, at: KeyPath): void => {
    if (isMap(value)) {
      for (const pair of value.items) {
        const key = keyText(resolve(pair.key) ?? pair.key)
        walk(resolve(pair.value), flatKey ? `${flatKey}.${key}` : key, [...at, key])
      }
    } else if (isSeq(value)) {
      const items: string[] = []
      value.items.forEach((raw, index) => {
        const item = resolve(raw)
        const text = isScalar(item) ? scalarText(item.value, item.source) : undefined
        if (text === undefined) problem([...at, index], 'a list under with: may hold only plain values (the config is a flat string map)')
        else if (text.includes(','))
          problem([...at, index], 'a list item cannot contain "," (lists are joined with commas); write the whole value as one string')
        else items.push(text)
      })
      set(flatKey, items.join(','), at)
    } else if (isScalar(value)) {
      const text = scalarText(value.value, value.source)
      // An empty value means "not set": the plugin's default applies.
      if (text !== undefined) set(flatKey, text, at)
    }
  }

  walk(resolve(node), prefix, keyPath)
  return into
}

function scalarText(value: unknown, source: string | undefined): string | undefined {
  if (value === null || value === undefined) return undefined
  if (typeof value === 'number' && source !== undefined && /^[-+]?\d+$/.test(source)) return source
  return String(value)
}
