/**
 * The topic of a captured table, `<prefix>.<schema>.<table>`: characters Kafka does not allow in a
 * topic name (anything but ASCII letters, digits, `.`, `_` and `-`) become `_` in the schema and
 * table parts, as Debezium's topic naming does. The change event's `source` keeps the real names.
 */
const UNFIT = /[^a-zA-Z0-9._-]/g

export function tableTopic(prefix: string, schema: string, table: string): string {
  return `${prefix}.${schema.replace(UNFIT, '_')}.${table.replace(UNFIT, '_')}`
}
