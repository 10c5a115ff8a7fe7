#!/usr/bin/env node
/**
 * Resolves Apache Kafka Connect and Kafka Streams (test/support/kafka-connect-streams, a Maven
 * project that only writes their classpath to target/classpath.txt) once: the tests run Connect's
 * distributed worker and the Streams WordCount example, unchanged, against Tributary's listener.
 * maven-build.mjs skips it when it is up to date and keeps parallel builds to one; a classpath that
 * names a jar no longer in Maven's local repository counts as not built. npm's pretest
 * (ensure-test-deps.mjs) calls it so that Maven's downloads happen before the tests start;
 * test/support/kafka-connect-streams.ts runs this file when a test needs them.
 */
import path from 'node:path'
import { buildClasspathProject, runAsCommand } from './maven-build.mjs'

const projectDir = path.resolve(import.meta.dirname, '../test/support/kafka-connect-streams')

/** Resolves Connect and Streams unless their classpath is up to date; throws an Error that names the command to run. */
export function buildKafkaConnectStreams() {
  buildClasspathProject({ name: 'Kafka Connect and Kafka Streams', projectDir })
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === import.meta.filename) runAsCommand(buildKafkaConnectStreams)
