/**
 * A real `tributary run` in a child process, for tests that kill it: it reports the REST URL on its
 * first stdout line, and `kill('SIGKILL')` ends it without any chance to flush.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import readline from 'node:readline'

const bin = path.resolve(import.meta.dirname, '../../bin/tributary.cjs')
/** What bin/tributary.cjs loads first, loaded the same way before any other entry (a benchmark's compiled cli.js). */
const threadPool = path.resolve(import.meta.dirname, '../../bin/threadpool.cjs')

export interface WorkerProcess {
  readonly child: ChildProcess
  readonly url: string
  /** host:port of the worker's Kafka listener, when TRIBUTARY_KAFKA_PORT turned it on. */
  readonly kafkaAddress: string | undefined
  /** The Schema Registry's URL, when TRIBUTARY_SCHEMA_REGISTRY_PORT or --schema-registry-port turned it on. */
  readonly registryUrl: string | undefined
  readonly exited: Promise<number | string | null>
  stderr(): string
  stdout(): string
}

/**
 * The Kafka listener and the Schema Registry are off unless `env` sets TRIBUTARY_KAFKA_PORT / TRIBUTARY_SCHEMA_REGISTRY_PORT. `nodeArgs` go before the script (e.g. `--cpu-prof` for a benchmark's profile); `entry`: a compiled
 * cli.js to run instead of the sources (benchmarks measure what the image runs); `runArgs`: more flags for `tributary run`.
 */
export async function spawnWorker(
  configDir: string,
  dataDir: string,
  env: Record<string, string> = {},
  nodeArgs: readonly string[] = [],
  entry: string = bin,
  runArgs: readonly string[] = [],
): Promise<WorkerProcess> {
  const kafkaFlags = env.TRIBUTARY_KAFKA_PORT === undefined ? ['--kafka-port', '0'] : []
  const registryFlags =
    env.TRIBUTARY_SCHEMA_REGISTRY_PORT === undefined && !runArgs.includes('--schema-registry-port') ? ['--schema-registry-port', '0'] : []
  const registryFlag = runArgs.indexOf('--schema-registry-port')
  const registryOn =
    registryFlags.length === 0 && (registryFlag >= 0 ? runArgs[registryFlag + 1] : env.TRIBUTARY_SCHEMA_REGISTRY_PORT) !== '0'
  const child = spawn(
    process.execPath,
    [
      '--require',
      threadPool,
      ...nodeArgs,
      entry,
      'run',
      '--config',
      configDir,
      '--data-dir',
      dataDir,
      '--rest-port',
      '0',
      ...kafkaFlags,
      ...registryFlags,
      ...runArgs,
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      // File connectors may use the test's own directories (those holding the config and data dirs), not the checkout it runs in.
      env: {
        ...process.env,
        TRIBUTARY_LOG_LEVEL: 'warn',
        TRIBUTARY_FILE_ALLOWED_PATHS: [...new Set([path.dirname(path.resolve(dataDir)), path.dirname(path.resolve(configDir))])].join(','),
        ...env,
      },
    },
  )
  let stderr = ''
  let stdout = ''
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  const exited = new Promise<number | string | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)))
  // Log lines may come first; the REST line is the sign the worker is up.
  let kafkaAddress: string | undefined
  let registryUrl: string | undefined
  let restLine: string | undefined
  const line = await Promise.race([
    new Promise<string>((resolve) =>
      readline.createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (text) => {
        if (text.startsWith('Kafka listener on ')) kafkaAddress = text.slice('Kafka listener on '.length).trim()
        if (text.startsWith('REST API listening')) restLine = text
        if (text.startsWith('Schema Registry listening on ')) registryUrl = text.slice('Schema Registry listening on '.length).trim()
        // The registry's line follows the REST API's when it is on.
        if (restLine !== undefined && (!registryOn || registryUrl !== undefined)) resolve(restLine)
      }),
    ),
    exited.then((code) => `exited with ${code}`),
  ])
  const url = /REST API listening on (https?:\/\/\S+)/.exec(line)?.[1]
  if (url === undefined) throw new Error(`worker did not start: ${line}\n${stderr}`)
  return { child, url, kafkaAddress, registryUrl, exited, stderr: () => stderr, stdout: () => stdout }
}
