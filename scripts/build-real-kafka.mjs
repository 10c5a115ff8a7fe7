#!/usr/bin/env node
/**
 * Resolves the real Apache Kafka the tests run (test/support/real-kafka, a Maven project that only
 * writes Kafka's classpath to target/classpath.txt) once. maven-build.mjs skips it when it is up to
 * date and keeps parallel builds to one; a classpath that names a jar no longer in Maven's local
 * repository counts as not built. npm's pretest (ensure-test-deps.mjs) calls it so that Maven's
 * downloads happen before the tests start; test/support/real-kafka.ts runs this file when a test
 * needs the cluster.
 */
import fs from 'node:fs'
import path from 'node:path'
import { buildMavenProject, runAsCommand } from './maven-build.mjs'

const projectDir = path.resolve(import.meta.dirname, '../test/support/real-kafka')
export const realKafkaClasspathFile = path.join(projectDir, 'target', 'classpath.txt')

/** Drops a classpath file that points at jars since removed, so the build runs again. */
function forgetStaleClasspath() {
  if (!fs.existsSync(realKafkaClasspathFile)) return
  const entries = fs.readFileSync(realKafkaClasspathFile, 'utf8').trim().split(path.delimiter)
  if (entries.length === 0 || entries.some((entry) => entry === '' || !fs.existsSync(entry))) fs.rmSync(realKafkaClasspathFile, { force: true })
}

/** Resolves Kafka unless its classpath is up to date; throws an Error that names the command to run. */
export function buildRealKafka() {
  forgetStaleClasspath()
  buildMavenProject({ name: 'the real Kafka broker', projectDir, jars: [realKafkaClasspathFile] })
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === import.meta.filename) runAsCommand(buildRealKafka)
