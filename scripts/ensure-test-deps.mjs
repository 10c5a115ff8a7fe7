#!/usr/bin/env node
/**
 * Runs before `npm test` (npm's pretest): the tests talk to real peers (PostgreSQL and MariaDB
 * servers started from the installed binaries, kcat, kafka-python, Debian's Chromium, openssl for
 * throwaway certificates, and Debezium's embedded engine on a JDK), so a fresh clone on a fresh
 * machine must have them. What is missing is installed from Debian's packages when this runs as root
 * with apt-get; otherwise it stops at once with the exact command to run. Then it builds the Debezium
 * oracle (scripts/build-debezium-oracle.mjs), the Apicurio consumer
 * (scripts/build-apicurio-consumer.mjs), the Java Kafka client (scripts/build-kafka-java-client.mjs),
 * the real Kafka broker's classpath (scripts/build-real-kafka.mjs) and Kafka Connect's and Kafka
 * Streams' classpath (scripts/build-kafka-connect-streams.mjs) so that Maven's downloads happen here
 * and not in a test's timeout.
 * Plain JavaScript so it starts in well under a second when all is in place and built.
 * TRIBUTARY_TEST_DEPS=check only checks the packages (no install, no build: a test that needs the
 * oracle, the consumer, the broker or Connect and Streams builds it on first use).
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { buildApicurioConsumer } from './build-apicurio-consumer.mjs'
import { buildDebeziumOracle } from './build-debezium-oracle.mjs'
import { buildKafkaConnectStreams } from './build-kafka-connect-streams.mjs'
import { buildKafkaJavaClient } from './build-kafka-java-client.mjs'
import { buildRealKafka } from './build-real-kafka.mjs'

const onPath = (name) => (process.env.PATH ?? '').split(path.delimiter).some((dir) => dir !== '' && fs.existsSync(path.join(dir, name)))
const anyFile = (...files) => files.some((file) => fs.existsSync(file))
const postgresServer = () => {
  const root = '/usr/lib/postgresql'
  return fs.existsSync(root) && fs.readdirSync(root).some((version) => fs.existsSync(path.join(root, version, 'bin', 'initdb')))
}
const pythonKafka = () =>
  fs.existsSync('/usr/bin/python3') && spawnSync('/usr/bin/python3', ['-c', 'import kafka'], { stdio: 'ignore' }).status === 0

/** What the tests need, and the Debian package that brings it. */
const needs = [
  { what: 'PostgreSQL server binaries (initdb)', ok: postgresServer, packages: ['postgresql'] },
  {
    what: 'MariaDB server (mariadbd, mariadb-install-db)',
    ok: () => anyFile('/usr/sbin/mariadbd', '/usr/bin/mariadbd'),
    packages: ['mariadb-server'],
  },
  { what: 'pgrep, ps', ok: () => onPath('pgrep'), packages: ['procps'] },
  { what: 'kcat (librdkafka)', ok: () => onPath('kcat'), packages: ['kcat'] },
  { what: 'kafka-python for /usr/bin/python3', ok: pythonKafka, packages: ['python3-kafka'] },
  { what: 'Chromium (/usr/bin/chromium)', ok: () => fs.existsSync('/usr/bin/chromium'), packages: ['chromium'] },
  { what: 'openssl', ok: () => onPath('openssl'), packages: ['openssl'] },
  {
    what: 'a JDK (java, for the Debezium oracle, the Apicurio consumer, the Java Kafka client, the real Kafka broker, Kafka Connect and Streams)',
    ok: () => onPath('java') && onPath('javac'),
    packages: ['default-jdk-headless'],
  },
  { what: 'Maven (mvn, to build them)', ok: () => onPath('mvn'), packages: ['maven'] },
]

/** Installs what is missing, or exits with the apt-get line to run. */
function install(missing) {
  const packages = [...new Set(missing.flatMap((need) => need.packages))]
  const command = `apt-get update && apt-get install -y --no-install-recommends ${packages.join(' ')}`
  process.stderr.write(`The tests need what this machine lacks:\n${missing.map((need) => `  - ${need.what}`).join('\n')}\n`)
  const canInstall = process.getuid?.() === 0 && onPath('apt-get') && process.env.TRIBUTARY_TEST_DEPS !== 'check'
  if (!canInstall) {
    process.stderr.write(`Install them (as root) and run npm test again:\n  ${command}\n`)
    process.exit(1)
  }
  process.stderr.write(`Installing them now: ${command}\n`)
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
  for (const args of [['update'], ['install', '-y', '--no-install-recommends', ...packages]]) {
    const result = spawnSync('apt-get', args, { stdio: ['ignore', 'inherit', 'inherit'], env })
    if (result.status !== 0) {
      process.stderr.write(`apt-get ${args[0]} failed (exit ${result.status}); run it yourself:\n  ${command}\n`)
      process.exit(1)
    }
  }
  const still = needs.filter((need) => !need.ok())
  if (still.length > 0) {
    process.stderr.write(`Still missing after the install: ${still.map((need) => need.what).join(', ')}\n`)
    process.exit(1)
  }
}

const missing = needs.filter((need) => !need.ok())
if (missing.length > 0) install(missing)
if (process.env.TRIBUTARY_TEST_DEPS === 'check') process.exit(0)
try {
  buildDebeziumOracle()
  buildApicurioConsumer()
  buildKafkaJavaClient()
  buildRealKafka()
  buildKafkaConnectStreams()
} catch (error) {
  process.stderr.write(`${error.message}\n`)
  process.exit(1)
}
