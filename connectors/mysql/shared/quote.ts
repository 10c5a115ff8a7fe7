/** A MySQL identifier in backticks, with backticks inside doubled: safe for any table or column name. */
export function quoteIdentifier(name: string): string {
  return `\`${name.replaceAll('`', '``')}\``
}
