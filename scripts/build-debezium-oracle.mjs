#!/usr/bin/env node
/**
 * Builds the Debezium oracle (test/support/debezium, a Maven project of two modules) once:
 * conformance tests compare Tributary's change events with those of Debezium's real engine, and
 * bench:postgres and bench:mysql run that engine beside Tributary (its DebeziumBenchPeer main).
 * maven-build.mjs skips it when it is up to date and keeps parallel builds to one. npm's pretest
 * (ensure-test-deps.mjs) calls it so that Maven's downloads happen before the tests start;
 * test/support/debezium.ts runs this file when a test needs the oracle.
 */
import path from 'node:path'
import { buildMavenProject, runAsCommand } from './maven-build.mjs'

const oracleDir = path.resolve(import.meta.dirname, '../test/support/debezium')

/** Builds the oracle unless it is up to date; throws an Error that names the command to run. */
export function buildDebeziumOracle() {
  buildMavenProject({
    name: 'the Debezium oracle',
    projectDir: oracleDir,
    jars: ['postgres-mysql', 'mariadb'].map((module) => path.join(oracleDir, module, 'target', 'debezium-oracle.jar')),
  })
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === import.meta.filename) runAsCommand(buildDebeziumOracle)
