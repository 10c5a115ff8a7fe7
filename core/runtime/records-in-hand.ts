/**
 * The stored records of the batches a sink task has in hand (read, not yet committed), so a record
 * the sink reports as bad reaches the dead-letter topic with its original bytes. Only bad records
 * are looked up, so batches are kept as they came rather than indexed record by record.
 */
import type { StoredRecord } from '../log/log.ts'

export class RecordsInHand {
  private readonly batches = new Set<readonly StoredRecord[]>()

  add(batch: readonly StoredRecord[]): void {
    this.batches.add(batch)
  }

  remove(batch: readonly StoredRecord[]): void {
    this.batches.delete(batch)
  }

  find(topic: string, partition: number, offset: number): StoredRecord | undefined {
    for (const batch of this.batches) {
      for (const record of batch) if (record.offset === offset && record.partition === partition && record.topic === topic) return record
    }
    return undefined
  }
}
