/**
 * Where things sit in a parsed YAML document, so every problem names its line and column. Key paths
 * are arrays (`['sources', 0, 'with', 'url']`) printed as `sources[0].with.url`.
 */
import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml'

export type KeyPath = ReadonlyArray<string | number>

export interface Position {
  readonly line: number
  readonly column: number
}

export function pathText(keyPath: KeyPath): string {
  return keyPath.reduce<string>((text, part) => (typeof part === 'number' ? `${text}[${part}]` : text ? `${text}.${part}` : part), '')
}

/** A mapping key as text, the way `toJS()` names it. */
export function keyText(key: unknown): string {
  return isScalar(key) ? String(key.value) : String(key)
}

export class YamlLocator {
  private readonly doc: Document
  private readonly lineCounter: LineCounter

  constructor(doc: Document, lineCounter: LineCounter) {
    this.doc = doc
    this.lineCounter = lineCounter
  }

  at(offset: number): Position {
    const { line, col } = this.lineCounter.linePos(offset)
    return { line, column: col }
  }

  /** The node at a key path, following aliases; undefined where the path leaves the document. */
  node(keyPath: KeyPath): Node | undefined {
    let node = this.resolve(this.doc.contents)
    for (const part of keyPath) {
      node = this.resolve(this.child(node, part)?.node)
      if (node === undefined) return undefined
    }
    return node
  }

  /**
   * Where a key path is: a mapping entry at its key (what a reader scans for), a list item at the
   * item. A path that leaves the document (a missing required key) lands on its nearest ancestor.
   */
  locate(keyPath: KeyPath): Position {
    let node = this.resolve(this.doc.contents)
    let offset = node?.range?.[0] ?? 0
    for (const part of keyPath) {
      const child = this.child(node, part)
      if (child === undefined) break
      offset = child.offset ?? offset
      node = this.resolve(child.node)
    }
    return this.at(offset)
  }

  private child(node: Node | undefined, part: string | number): { node: Node | undefined; offset: number | undefined } | undefined {
    if (isMap(node)) {
      const pair = node.items.find((item) => keyText(item.key) === String(part))
      if (pair === undefined) return undefined
      const key = pair.key as Node | null
      return { node: (pair.value ?? undefined) as Node | undefined, offset: key?.range?.[0] }
    }
    if (isSeq(node) && typeof part === 'number') {
      const item = node.items[part] as Node | undefined
      return item === undefined ? undefined : { node: item, offset: item.range?.[0] }
    }
    return undefined
  }

  private resolve(node: unknown): Node | undefined {
    if (isAlias(node)) return node.resolve(this.doc) as Node | undefined
    return (node ?? undefined) as Node | undefined
  }
}
