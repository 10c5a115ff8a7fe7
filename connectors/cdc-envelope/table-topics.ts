/**
 * The topic of each captured table's records: the connector's `topic` when every change goes to one,
 * else the table's own (topic-name.ts). Worked out once per table object, not once per record, since
 * the runtime groups records by topic and a string per record would defeat it.
 */
import { tableTopic } from './topic-name.ts'

export class TableTopics<T extends { readonly table: string }> {
  private readonly topics = new WeakMap<T, string>()
  private readonly prefix: string
  private readonly topic: string | undefined
  /** The name between prefix and table: the schema in PostgreSQL, the database in MySQL. */
  private readonly namespaceOf: (table: T) => string

  constructor(prefix: string, topic: string | undefined, namespaceOf: (table: T) => string) {
    this.prefix = prefix
    this.topic = topic
    this.namespaceOf = namespaceOf
  }

  topicFor(table: T): string {
    let topic = this.topics.get(table)
    if (topic === undefined) {
      topic = this.topic ?? tableTopic(this.prefix, this.namespaceOf(table), table.table)
      this.topics.set(table, topic)
    }
    return topic
  }
}
