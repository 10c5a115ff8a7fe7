/**
 * The real Kafka clients the listener must serve, as test peers: kcat (librdkafka) and kafka-python
 * run as child processes; kafkajs runs in the test. Every reader returns the same shape, so one
 * test can check that what one client wrote the others read identically.
 */
import { spawn } from 'node:child_process'
import path from 'node:path'

export interface ClientRecord {
  readonly partition: number
  readonly offset: number
  readonly key: string | null
  readonly value: string | null
  readonly headers: Readonly<Record<string, string>>
}

export interface RecordToSend {
  readonly key: string | null
  readonly value: string | null
  readonly headers?: Readonly<Record<string, string>>
}

/** Debian's python3 has the python3-kafka package; another python3 on PATH may not. */
const PYTHON = '/usr/bin/python3'
const PYTHON_CLIENT = path.resolve(import.meta.dirname, 'kafka_python_client.py')

function run(command: string, args: readonly string[], input?: string, timeoutMs = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], timeout: timeoutMs })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.once('error', reject)
    child.once('close', (code, signal) => {
      if (code === 0) resolve(stdout)
      else reject(new Error(`${command} ${args.join(' ')} ended with ${code ?? signal}\n${stderr}`))
    })
    child.stdin.end(input ?? '')
  })
}

function jsonLines<T>(text: string): T[] {
  return text
    .split('\n')
    .filter((line) => line.trim().startsWith('{'))
    .map((line) => JSON.parse(line) as T)
}

/** kcat -P: one record per line as key<TAB>value; headers apply to every record, so pass none or the same. */
export async function kcatProduce(
  bootstrap: string,
  topic: string,
  records: readonly RecordToSend[],
  extra: readonly string[] = [],
): Promise<void> {
  const headers = records[0]?.headers ?? {}
  const headerFlags = Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}=${v}`])
  const lines = `${records.map((r) => `${r.key ?? ''}\t${r.value ?? ''}`).join('\n')}\n`
  await run('kcat', ['-b', bootstrap, '-P', '-t', topic, '-K', '\t', '-X', 'linger.ms=5', ...headerFlags, ...extra], lines)
}

interface KcatJson {
  partition: number
  offset: number
  key: string | null
  payload: string | null
  headers?: string[] | null
}

/** kcat -C -J from the beginning of every partition until `count` records have been read. */
export async function kcatConsume(bootstrap: string, topic: string, count: number, extra: readonly string[] = []): Promise<ClientRecord[]> {
  const out = await run('kcat', ['-b', bootstrap, '-C', '-t', topic, '-o', 'beginning', '-c', String(count), '-J', ...extra])
  return jsonLines<KcatJson>(out).map((m) => {
    const headers: Record<string, string> = {}
    const list = m.headers ?? []
    for (let i = 0; i + 1 < list.length; i += 2) headers[list[i]!] = list[i + 1]!
    return { partition: m.partition, offset: m.offset, key: m.key, value: m.payload, headers }
  })
}

/** kcat's balanced consumer (-G): joins `group`, reads `count` records, commits and leaves. */
export async function kcatGroupConsume(bootstrap: string, topic: string, group: string, count: number): Promise<ClientRecord[]> {
  const out = await run('kcat', ['-b', bootstrap, '-G', group, '-c', String(count), '-J', '-X', 'auto.offset.reset=earliest', topic])
  return jsonLines<KcatJson>(out).map((m) => ({ partition: m.partition, offset: m.offset, key: m.key, value: m.payload, headers: {} }))
}

export async function pythonProduce(bootstrap: string, topic: string, records: readonly RecordToSend[]): Promise<void> {
  await run(PYTHON, [PYTHON_CLIENT, 'produce', bootstrap, topic], `${records.map((r) => JSON.stringify(r)).join('\n')}\n`)
}

export async function pythonConsume(bootstrap: string, topic: string, count: number): Promise<ClientRecord[]> {
  return jsonLines<ClientRecord>(await run(PYTHON, [PYTHON_CLIENT, 'consume', bootstrap, topic, String(count)]))
}

export async function pythonGroupConsume(bootstrap: string, topic: string, group: string, count: number): Promise<ClientRecord[]> {
  return jsonLines<ClientRecord>(await run(PYTHON, [PYTHON_CLIENT, 'group', bootstrap, topic, group, String(count)]))
}

/** Records in a stable order for comparing what two clients read. */
export function byPosition(records: readonly ClientRecord[]): ClientRecord[] {
  return [...records].sort((a, b) => a.partition - b.partition || a.offset - b.offset)
}
