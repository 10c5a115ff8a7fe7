/** A PostgreSQL identifier in double quotes, with double quotes inside doubled: safe for any table or column name. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}
