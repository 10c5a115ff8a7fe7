import { configDefaults, defineConfig } from 'vitest/config'

const runtimeAndApi = ['test/integration/runtime/**/*.test.ts', 'test/integration/api/**/*.test.ts']
/**
 * Files of those suites whose topics never go on the project's log: they open an embedded log or run
 * worker processes of their own, so a Kafka project would only repeat what `all` runs.
 */
const ownLogOnly = [
  'runtime/compacted-store-catch-up',
  'runtime/internal-topics-bad-records',
  'runtime/pipeline-env',
  'runtime/pipelines-cli',
  'runtime/sink-flush-overlap',
  'runtime/source-commit',
  'runtime/source-offset-store',
  'runtime/source-store',
  'runtime/topic-sink-crash',
  'runtime/topic-sink-transaction-failures',
  'runtime/worker-crash',
  'runtime/worker-group',
  'runtime/herders',
  'api/rest',
].map((name) => `test/integration/${name}.test.ts`)
/** Waits for the test worker's cluster before a file's tests (test/support/cluster-of-worker-setup.ts). */
const clusterOfWorker = ['test/support/cluster-of-worker-setup.ts']

export default defineConfig({
  test: {
    // Crash and recovery tests spawn child processes and fsync; give them room on a 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // A test process runs file after file with the modules it has loaded: re-importing them for
    // each file (vitest's isolate) cost more than the unit tests themselves. Files share no state
    // through modules: each starts and stops its own servers, processes and logs.
    isolate: false,
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'all', include: ['test/**/*.test.ts'] } },
      // The runtime and the REST API once more with their topics on a Kafka cluster (KafkaLog against
      // a Tributary listener in a second process, one per test worker), as docs/architecture.md's Log seam promises.
      {
        extends: true,
        test: {
          name: 'on-kafka',
          include: runtimeAndApi,
          exclude: [...configDefaults.exclude, ...ownLogOnly],
          env: { TRB_TEST_LOG: 'kafka' },
          globalSetup: ['test/support/listener-cluster-global-setup.ts'],
          setupFiles: clusterOfWorker,
        },
      },
      // The same suites on real Apache Kafka (a one-node KRaft cluster per test file running at once;
      // replication and failover are tested by real-kafka-log and real-kafka-workers). Each test's
      // worker keeps internal topics of its own. Its files run among the other projects' files: a
      // cluster starts when a file first asks for one, and an idle broker costs little, whereas a
      // group of its own after the rest waited for the rest's slowest file and then for its clusters.
      {
        extends: true,
        test: {
          name: 'real-kafka',
          include: runtimeAndApi,
          // worker-group-rest puts its group on Kafka in on-kafka only.
          exclude: [...configDefaults.exclude, ...ownLogOnly, 'test/integration/runtime/worker-group-rest.test.ts'],
          env: { TRB_TEST_LOG: 'real-kafka' },
          // A broker's JVM shares the two cores with the tests: a first transaction (Kafka makes
          // __transaction_state then) or a round of REST calls takes longer than on the listener.
          testTimeout: 180_000,
          globalSetup: ['test/support/real-kafka-global-setup.ts'],
          setupFiles: clusterOfWorker,
        },
      },
    ],
  },
})
