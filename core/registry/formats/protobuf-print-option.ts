/**
 * An option as Wire and Confluent print it: `name = value`, a string quoted and escaped, a bare
 * identifier (an enum constant) as written, an aggregate value as an indented `{ key: value }` block;
 * a list of several inline options one a line inside `[` `]`.
 */

function hasList(value: unknown): boolean {
  if (Array.isArray(value)) return true
  return value !== null && typeof value === 'object' && Object.values(value).some(hasList)
}

/**
 * The options with each aggregate that holds a list (`(confluent.field_meta) = { params: [ … ] }`)
 * kept whole: protobufjs flattens an aggregate into `(name).path` keys, where the entries of a list
 * overwrite one another; its parsed options keep the value as written.
 */
export function optionEntries(
  options: Record<string, unknown> | undefined,
  parsed: ReadonlyArray<Record<string, unknown>> | undefined,
): [string, unknown][] {
  const entries = Object.entries(options ?? {})
  for (const option of parsed ?? []) {
    for (const [name, value] of Object.entries(option)) {
      if (!name.startsWith('(') || !hasList(value)) continue
      const first = entries.findIndex(([key]) => key === name || key.startsWith(`${name}.`))
      if (first < 0) continue
      const rest = entries.filter(([key], index) => index < first || (key !== name && !key.startsWith(`${name}.`)))
      rest.splice(first, 0, [name, value])
      entries.splice(0, entries.length, ...rest)
    }
  }
  return entries
}

const ESCAPES: Readonly<Record<string, string>> = {
  '\u0007': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
  '\\': '\\\\',
  "'": "\\'",
  '"': '\\"',
}

function escapeString(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: BEL, BS, FF … are the characters protobuf text format escapes
  return text.replace(/[\u0007\b\f\n\r\t\v\\'"]/g, (char) => ESCAPES[char] as string)
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}\n`)
    .join('')
}

function printValue(value: unknown, bareWords: ReadonlySet<string>): string {
  if (typeof value === 'string') return bareWords.has(value) ? value : `"${escapeString(value)}"`
  if (Array.isArray(value)) {
    return `[\n${value.map((item, index) => indent(printValue(item, bareWords) + (index < value.length - 1 ? ',' : ''))).join('')}]`
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
    return `{\n${entries.map(([key, item], index) => indent(`${key}: ${printValue(item, bareWords)}${index < entries.length - 1 ? ',' : ''}`)).join('')}}`
  }
  return String(value)
}

export function printOption(name: string, value: unknown, bareWords: ReadonlySet<string>): string {
  return `${name} = ${printValue(value, bareWords)}`
}

/** Inline options, `[a = 1]` or, for several, one a line. */
export function printOptionList(entries: readonly [string, unknown][], bareWords: ReadonlySet<string>): string {
  if (entries.length === 1) {
    const [name, value] = entries[0] as [string, unknown]
    return `[${printOption(name, value, bareWords)}]`
  }
  return `[\n${entries.map(([name, value], index) => indent(printOption(name, value, bareWords) + (index < entries.length - 1 ? ',' : ''))).join('')}]`
}
