/**
 * What protobufjs' parse keeps no trace of and the printed file needs: whether the file declares its
 * syntax (or edition), which imports are public or weak, and which option values were written as bare
 * identifiers (an enum constant such as `SPEED`) rather than as strings. Read from protobufjs' own
 * tokenizer, so comments are skipped exactly as the parser skips them.
 */
import protobuf from 'protobufjs'

export type ImportModifier = 'public' | 'weak' | undefined

export interface ProtoLayout {
  /** `syntax = "…"` or `edition = "…"` as declared; absent when the file declares neither. */
  readonly syntax: { readonly keyword: 'syntax' | 'edition'; readonly value: string } | undefined
  readonly importModifiers: ReadonlyMap<string, ImportModifier>
  readonly bareWords: ReadonlySet<string>
}

const IDENTIFIER = /^[A-Za-z_][\w.]*$/

export function scanProtoLayout(text: string): ProtoLayout {
  const tokens = protobuf.tokenize(text, true)
  const next = (): string | null => tokens.next()
  let syntax: ProtoLayout['syntax']
  const importModifiers = new Map<string, ImportModifier>()
  const bareWords = new Set<string>()
  let previous: string | null = null
  let atStatementStart = true
  for (let token = next(); token !== null; previous = token, token = next()) {
    if (atStatementStart && (token === 'syntax' || token === 'edition')) {
      const keyword = token
      next()
      next()
      const value = next()
      next()
      if (value !== null) syntax = { keyword, value }
      token = '"'
    } else if (atStatementStart && token === 'import') {
      let modifier: ImportModifier
      let path = next()
      if (path === 'public' || path === 'weak') {
        modifier = path
        path = next()
      }
      path = next()
      next()
      if (path !== null) importModifiers.set(path, modifier)
      token = '"'
    } else if ((previous === '=' || previous === ':') && IDENTIFIER.test(token) && token !== 'true' && token !== 'false') {
      bareWords.add(token)
    }
    atStatementStart = token === ';' || token === '{' || token === '}'
  }
  return { syntax, importModifiers, bareWords }
}
