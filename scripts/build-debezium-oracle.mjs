#!/usr/bin/env node
/**
 * Builds the Debezium oracle (test/support/debezium, a Maven project of two modules) once:
 * conformance tests compare Tributary's change events with those of Debezium's real engine. Skipped
 * in milliseconds when each module's target/debezium-oracle.jar is newer than every pom.xml and Java
 * source; otherwise `mvn -q -B package` runs under a lock file, so test workers that start together
 * build it once and none of them runs a half-written jar. npm's pretest (ensure-test-deps.mjs) calls
 * it so that Maven's downloads happen before the tests start; test/support/debezium.ts runs this file
 * when a test needs the oracle. Plain JavaScript so that both can use it.
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'

const oracleDir = path.resolve(import.meta.dirname, '../test/support/debezium')
const jars = ['postgres-mysql', 'mariadb'].map((module) => path.join(oracleDir, module, 'target', 'debezium-oracle.jar'))
const lockFile = path.join(oracleDir, 'target', 'build.lock')
const mavenArgs = ['-q', '-B', '-f', path.join(oracleDir, 'pom.xml'), 'package']
const buildCommand = `mvn ${mavenArgs.join(' ')}`
const installCommand = 'apt-get install -y --no-install-recommends default-jdk-headless maven'

const onPath = (name) => (process.env.PATH ?? '').split(path.delimiter).some((dir) => dir !== '' && fs.existsSync(path.join(dir, name)))

/** The newest mtime of the poms and sources under `dir`, build outputs (target/) aside. */
function newestSource(dir) {
  return Math.max(0, ...fs.readdirSync(dir, { withFileTypes: true }).map((entry) => {
    const file = path.join(dir, entry.name)
    if (entry.isDirectory()) return entry.name === 'target' ? 0 : newestSource(file)
    return fs.statSync(file).mtimeMs
  }))
}

/** True when every jar (written last by the build, its lib/ before it) is newer than what it is built from. */
function isOracleBuilt() {
  if (!jars.every((jar) => fs.existsSync(jar))) return false
  const sources = newestSource(oracleDir)
  return jars.every((jar) => fs.statSync(jar).mtimeMs > sources)
}

const pause = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)

function isAlive(pid) {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return error.code === 'EPERM'
  }
}

/** Takes the lock file, waiting for a live holder and clearing one a dead process left. */
function lock() {
  fs.mkdirSync(path.dirname(lockFile), { recursive: true })
  for (;;) {
    try {
      fs.writeFileSync(lockFile, String(process.pid), { flag: 'wx' })
      return
    } catch (error) {
      if (error.code !== 'EEXIST') throw error
    }
    let holder = 0 // 0 while the holder has yet to write its pid
    try {
      holder = Number(fs.readFileSync(lockFile, 'utf8'))
    } catch (error) {
      if (error.code === 'ENOENT') continue // released meanwhile
      throw error
    }
    if (holder > 0 && !isAlive(holder)) fs.rmSync(lockFile, { force: true })
    else pause(200)
  }
}

/** Builds the oracle unless it is up to date; throws an Error that names the command to run. */
export function buildDebeziumOracle() {
  if (isOracleBuilt()) return
  const lacking = ['java', 'mvn'].filter((name) => !onPath(name))
  if (lacking.length > 0) throw new Error(`The Debezium oracle needs ${lacking.join(' and ')} on PATH; install them (as root): ${installCommand}`)
  lock()
  try {
    if (isOracleBuilt()) return // another process built it while we waited
    process.stderr.write(`Building the Debezium oracle (Maven fetches what it lacks from Maven Central): ${buildCommand}\n`)
    const result = spawnSync('mvn', mavenArgs, { stdio: ['ignore', 'inherit', 'inherit'] })
    if (result.status !== 0) throw new Error(`${buildCommand} failed (exit ${result.status ?? result.signal}); its output is above`)
  } finally {
    fs.rmSync(lockFile, { force: true })
  }
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === import.meta.filename) {
  try {
    buildDebeziumOracle()
  } catch (error) {
    process.stderr.write(`${error.message}\n`)
    process.exit(1)
  }
}
