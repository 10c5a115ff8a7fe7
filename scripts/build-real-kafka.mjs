#!/usr/bin/env node
/**
 * Resolves the real Apache Kafka the tests run (test/support/real-kafka, a Maven project that only
 * writes Kafka's classpath to target/classpath.txt) once. maven-build.mjs skips it when it is up to
 * date and keeps parallel builds to one; a classpath that names a jar no longer in Maven's local
 * repository counts as not built. npm's pretest (ensure-test-deps.mjs) calls it so that Maven's
 * downloads happen before the tests start; test/support/real-kafka.ts runs this file when a test
 * needs the cluster.
 */
import path from 'node:path'
import { buildClasspathProject, runAsCommand } from './maven-build.mjs'

const projectDir = path.resolve(import.meta.dirname, '../test/support/real-kafka')

/** Resolves Kafka unless its classpath is up to date; throws an Error that names the command to run. */
export function buildRealKafka() {
  buildClasspathProject({ name: 'the real Kafka broker', projectDir })
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === import.meta.filename) runAsCommand(buildRealKafka)
