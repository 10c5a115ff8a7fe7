#!/usr/bin/env node
/**
 * Builds the Java Kafka client program (test/support/kafka-java-client, a Maven project over Apache
 * Kafka's kafka-clients) once: the tests drive the reference client against Tributary's listener.
 * maven-build.mjs skips it when it is up to date and keeps parallel builds to one. npm's pretest
 * (ensure-test-deps.mjs) calls it so that Maven's downloads happen before the tests start;
 * test/support/kafka-java-client.ts runs this file when a test needs the client.
 */
import path from 'node:path'
import { buildMavenProject, runAsCommand } from './maven-build.mjs'

const projectDir = path.resolve(import.meta.dirname, '../test/support/kafka-java-client')

/** Builds the client program unless it is up to date; throws an Error that names the command to run. */
export function buildKafkaJavaClient() {
  buildMavenProject({ name: 'the Java Kafka client', projectDir, jars: [path.join(projectDir, 'target', 'kafka-java-client.jar')] })
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === import.meta.filename) runAsCommand(buildKafkaJavaClient)
