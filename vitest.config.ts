import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    // Crash and recovery tests spawn child processes and fsync; give them room on a 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'all', include: ['test/**/*.test.ts'] } },
      // The runtime and the REST API once more with their topics on a Kafka cluster (KafkaLog against
      // a Tributary listener in a second process), as DESIGN.md's Log seam promises.
      {
        extends: true,
        test: { name: 'on-kafka', include: ['test/integration/runtime/**/*.test.ts', 'test/integration/api/**/*.test.ts'], env: { TRB_TEST_LOG: 'kafka' } },
      },
    ],
  },
})
