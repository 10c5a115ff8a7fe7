/**
 * A throwaway PostgreSQL server from the installed binaries, on a free loopback port, with
 * wal_level=logical: tests get their own server to restart, kill and fill, and leave the machine's
 * shared one alone. Under root the server runs as the `postgres` user, as PostgreSQL requires.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { freePort } from './free-port.ts'

export interface PgServer {
  readonly port: number
  /** A connection string for the `postgres` database as the superuser `postgres`. */
  readonly url: string
  /** Runs SQL on a fresh connection and returns the rows. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>
  /** Fast shutdown then start again on the same port and data. */
  restart(): Promise<void>
  /** SIGKILL of the postmaster, then start again (crash recovery). */
  crashAndRestart(): Promise<void>
  stop(): Promise<void>
}

function binDir(): string {
  const root = '/usr/lib/postgresql'
  const versions = fs.existsSync(root) ? fs.readdirSync(root).sort((a, b) => Number(b) - Number(a)) : []
  for (const version of versions) {
    const dir = path.join(root, version, 'bin')
    if (fs.existsSync(path.join(dir, 'initdb'))) return dir
  }
  throw new Error('no PostgreSQL server binaries found under /usr/lib/postgresql (apt-get install postgresql)')
}

const asRoot = process.getuid?.() === 0

/** Runs a server binary, as the postgres user when we are root. */
function command(bin: string, args: string[]): [string, string[]] {
  return asRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args]
}

export async function startPgServer(settings: Record<string, string> = {}): Promise<PgServer> {
  const bin = binDir()
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-pg-'))
  fs.chmodSync(dir, 0o777)
  const data = path.join(dir, 'data')
  if (asRoot) spawnSync('chown', ['postgres', dir])
  const [initCmd, initArgs] = command(path.join(bin, 'initdb'), [
    '-D',
    data,
    '-A',
    'trust',
    '-U',
    'postgres',
    '--no-sync',
    '-E',
    'UTF8',
    '--locale=C',
  ])
  const init = spawnSync(initCmd, initArgs, { encoding: 'utf8' })
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr}`)
  const port = await freePort()
  const options = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: dir,
    wal_level: 'logical',
    max_replication_slots: '16',
    max_wal_senders: '16',
    fsync: 'off',
    synchronous_commit: 'off',
    full_page_writes: 'off',
    shared_buffers: '64MB',
    ...settings,
  }
  const args = ['-D', data, '-p', String(port), ...Object.entries(options).flatMap(([key, value]) => ['-c', `${key}=${value}`])]
  let child: ChildProcess | undefined
  let log = ''
  const launch = async () => {
    const [cmd, cmdArgs] = command(path.join(bin, 'postgres'), args)
    child = spawn(cmd, cmdArgs, { stdio: ['ignore', 'ignore', 'pipe'] })
    child.stderr?.on('data', (chunk: Buffer) => (log = (log + chunk.toString()).slice(-8000)))
    const deadline = Date.now() + 30_000
    for (;;) {
      const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' })
      try {
        await client.connect()
        await client.end()
        return
      } catch {
        // A client whose connect failed is dropped, not ended: end() on it may never settle.
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`PostgreSQL did not start:\n${log}`)
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
    }
  }
  const exited = () => {
    const running = child
    return running === undefined || running.exitCode !== null ? Promise.resolve() : new Promise((resolve) => running.once('exit', resolve))
  }
  /** Waits until no process of this server is left (backends outlive a killed postmaster briefly). */
  const gone = async () => {
    while (spawnSync('pgrep', ['-f', `${data} -p ${port}`]).status === 0) await new Promise((resolve) => setTimeout(resolve, 20))
  }
  const halt = async (crash: boolean) => {
    if (child === undefined || child.exitCode !== null) return
    const done = exited()
    if (crash) {
      const pid = Number(fs.readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0])
      process.kill(pid, 'SIGKILL')
    } else {
      const [cmd, cmdArgs] = command(path.join(bin, 'pg_ctl'), ['-D', data, 'stop', '-m', 'fast', '-w'])
      spawnSync(cmd, cmdArgs)
    }
    await done
    await gone()
  }
  await launch()
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`
  return {
    port,
    url,
    query: <T>(sql: string, params: unknown[] = []) => queryAt<T>(url, sql, params),
    async restart() {
      await halt(false)
      await launch()
    },
    async crashAndRestart() {
      await halt(true)
      await launch()
    },
    async stop() {
      await halt(false)
      fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** One statement on a fresh connection to `url` (any database of a server), its rows. */
export async function queryAt<T>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return (await client.query(sql, params)).rows as T[]
  } finally {
    await client.end()
  }
}
