/**
 * The listener's one leader epoch. It is the only broker and has led every partition since the topic
 * was made, so each partition is in epoch 0 from its first offset, as a Kafka topic is before its
 * first leader change. Metadata and ListOffsets report it; OffsetForLeaderEpoch answers from it.
 */
export const LEADER_EPOCH = 0

/** A request's current_leader_epoch: -1 asks for no check. */
export const NO_LEADER_EPOCH = -1
