/**
 * setupFiles of the projects on-kafka and real-kafka: each file first waits for its test worker's
 * cluster, under a timeout that covers a real cluster starting after the other worker's (starts go
 * one at a time). The tests then find it up within their own, shorter timeouts.
 */
import { beforeAll } from 'vitest'
import { clusterOfWorker } from './cluster-of-worker.ts'

/** Two three-node clusters starting one after the other on two busy cores, with room to spare. */
const FIRST_START_MS = 180_000

beforeAll(async () => {
  await clusterOfWorker()
}, FIRST_START_MS)
