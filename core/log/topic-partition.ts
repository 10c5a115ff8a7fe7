/**
 * One partition of one topic: the address every part of the log passes around. The Log seam offers
 * it (log.ts re-exports it); it has a file of its own so that what log.ts itself names (the group
 * coordinator's calls) can use it without importing the seam back.
 */
export interface TopicPartition {
  readonly topic: string
  readonly partition: number
}
