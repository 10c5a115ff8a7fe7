#!/usr/bin/env node
/**
 * Builds the Apicurio consumer (test/support/apicurio, a Maven project) once: a test reads what
 * Tributary's AvroConverter writes with a real JVM Kafka consumer and Apicurio's Avro deserializer.
 * maven-build.mjs skips it when it is up to date and keeps parallel builds to one. npm's pretest
 * (ensure-test-deps.mjs) calls it so that Maven's downloads happen before the tests start;
 * test/support/apicurio-consumer.ts runs this file when a test needs the consumer.
 */
import path from 'node:path'
import { buildMavenProject, runAsCommand } from './maven-build.mjs'

const projectDir = path.resolve(import.meta.dirname, '../test/support/apicurio')

/** Builds the consumer unless it is up to date; throws an Error that names the command to run. */
export function buildApicurioConsumer() {
  buildMavenProject({ name: 'the Apicurio consumer', projectDir, jars: [path.join(projectDir, 'target', 'apicurio-consumer.jar')] })
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === import.meta.filename) runAsCommand(buildApicurioConsumer)
