/**
 * Offsets a transactional producer committed for a group (TxnOffsetCommit) that wait for its
 * transaction's outcome: stored in `__consumer_offsets` as a transactional batch at once, applied to
 * the group's offsets when the COMMIT marker reaches that partition, dropped at ABORT. Until then
 * OffsetFetch does not see them (Kafka answers UNSTABLE_OFFSET_COMMIT to a client that asks for
 * stable offsets while some are pending). Kept per offsets partition and producer id, as markers
 * are addressed.
 */
export interface PendingOffsetRecord {
  readonly key: Buffer
  readonly value: Buffer | null
  readonly group: string
  readonly topic: string
  readonly partition: number
}

export class PendingTxnOffsets {
  /** offsets partition → producer id → records in the order written */
  private readonly byPartition = new Map<number, Map<number, PendingOffsetRecord[]>>()

  add(offsetsPartition: number, producerId: number, records: readonly PendingOffsetRecord[]): void {
    const producers = this.byPartition.get(offsetsPartition) ?? new Map<number, PendingOffsetRecord[]>()
    this.byPartition.set(offsetsPartition, producers)
    producers.set(producerId, [...(producers.get(producerId) ?? []), ...records])
  }

  /** The producer's pending records in that partition, now decided; none stay pending. */
  take(offsetsPartition: number, producerId: number): PendingOffsetRecord[] {
    const producers = this.byPartition.get(offsetsPartition)
    const records = producers?.get(producerId) ?? []
    producers?.delete(producerId)
    return records
  }

  isPending(group: string, topic: string, partition: number): boolean {
    for (const producers of this.byPartition.values()) {
      for (const records of producers.values()) {
        if (records.some((r) => r.group === group && r.topic === topic && r.partition === partition)) return true
      }
    }
    return false
  }
}
