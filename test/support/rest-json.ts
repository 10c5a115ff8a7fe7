/**
 * JSON read from a REST API (the worker's, its Schema Registry's, Kafka Connect's: an answer, or a
 * record's parsed key or value): the tests read it by path (`body.tasks[0].state`) and assert its shape with expect, which checks more than a
 * copy of each route's answer type here would.
 */
// biome-ignore lint/suspicious/noExplicitAny: REST answers are read by path and their shape asserted by expect, not typed twice
export type RestJson = any
