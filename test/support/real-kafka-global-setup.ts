/**
 * vitest globalSetup of the `real-kafka` project: one real Kafka cluster per test worker, started
 * once for the run (each takes about 15 s), its brokers handed to the tests by `inject`. A worker
 * runs its files one at a time, so the harness of a file may empty its worker's cluster at start;
 * two workers never share a cluster, so their fixed internal topics (`_tributary-*`) never meet.
 */
import type { TestProject } from 'vitest/node'
import { startRealKafka, type RealKafka } from './real-kafka.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    /** Broker addresses of each worker's cluster, by VITEST_POOL_ID - 1. */
    realKafkaBrokers: string[][]
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const workers = Number(project.vitest.config.maxWorkers) || 1
  const clusters: RealKafka[] = []
  try {
    // One after another: three JVMs starting at once already fill two cores.
    for (let i = 0; i < workers; i++) clusters.push(await startRealKafka({ brokers: 3 }))
  } catch (error) {
    await Promise.all(clusters.map((cluster) => cluster.stop()))
    throw error
  }
  project.provide('realKafkaBrokers', clusters.map((cluster) => cluster.brokers))
  return async () => {
    await Promise.all(clusters.map((cluster) => cluster.stop()))
  }
}
