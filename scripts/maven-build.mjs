/**
 * Builds a test's Maven project (a JVM peer the tests run: the Debezium oracle, the Apicurio consumer)
 * once per checkout. Skipped in milliseconds when each of its jars is newer than every pom.xml and
 * Java source under the project; otherwise `mvn -q -B package` runs under a lock file, so test workers
 * that start together build it once and none of them runs a half-written jar. Plain JavaScript so that
 * npm's pretest (ensure-test-deps.mjs) and the tests' support files can both use it.
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'

const installCommand = 'apt-get install -y --no-install-recommends default-jdk-headless maven'

export const onPath = (name) =>
  (process.env.PATH ?? '').split(path.delimiter).some((dir) => dir !== '' && fs.existsSync(path.join(dir, name)))

/** The newest mtime of the poms and sources under `dir`, build outputs (target/) aside. */
function newestSource(dir) {
  return Math.max(
    0,
    ...fs.readdirSync(dir, { withFileTypes: true }).map((entry) => {
      const file = path.join(dir, entry.name)
      if (entry.isDirectory()) return entry.name === 'target' ? 0 : newestSource(file)
      return fs.statSync(file).mtimeMs
    }),
  )
}

/** True when every jar (written last by the build, its lib/ before it) is newer than what it is built from. */
function isBuilt(projectDir, jars) {
  if (!jars.every((jar) => fs.existsSync(jar))) return false
  const sources = newestSource(projectDir)
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
function lock(lockFile) {
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

/**
 * Builds the project at `projectDir` (its pom.xml) unless its `jars` are up to date; throws an Error
 * that names the command to run. `name` is what the messages call it.
 */
export function buildMavenProject({ name, projectDir, jars }) {
  if (isBuilt(projectDir, jars)) return
  const lacking = ['java', 'mvn'].filter((tool) => !onPath(tool))
  if (lacking.length > 0) throw new Error(`${name} needs ${lacking.join(' and ')} on PATH; install them (as root): ${installCommand}`)
  const mavenArgs = ['-q', '-B', '-f', path.join(projectDir, 'pom.xml'), 'package']
  const buildCommand = `mvn ${mavenArgs.join(' ')}`
  const lockFile = path.join(projectDir, 'target', 'build.lock')
  lock(lockFile)
  try {
    if (isBuilt(projectDir, jars)) return // another process built it while we waited
    process.stderr.write(`Building ${name} (Maven fetches what it lacks from Maven Central): ${buildCommand}\n`)
    const result = spawnSync('mvn', mavenArgs, { stdio: ['ignore', 'inherit', 'inherit'] })
    if (result.status !== 0) throw new Error(`${buildCommand} failed (exit ${result.status ?? result.signal}); its output is above`)
  } finally {
    fs.rmSync(lockFile, { force: true })
  }
}

/**
 * Builds a project that compiles nothing and only writes its dependencies' classpath to
 * target/classpath.txt (the real Kafka broker, Kafka Connect and Streams). A classpath that names a
 * jar since removed from Maven's local repository is dropped first, so the build runs again.
 */
export function buildClasspathProject({ name, projectDir }) {
  const classpathFile = path.join(projectDir, 'target', 'classpath.txt')
  if (fs.existsSync(classpathFile)) {
    const entries = fs.readFileSync(classpathFile, 'utf8').trim().split(path.delimiter)
    if (entries.length === 0 || entries.some((entry) => entry === '' || !fs.existsSync(entry))) fs.rmSync(classpathFile, { force: true })
  }
  buildMavenProject({ name, projectDir, jars: [classpathFile] })
}

/** For a build script run as a command: builds, or prints why not and exits 1. */
export function runAsCommand(build) {
  try {
    build()
  } catch (error) {
    process.stderr.write(`${error.message}\n`)
    process.exit(1)
  }
}
