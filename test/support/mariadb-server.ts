/**
 * A throwaway MariaDB server from the installed binaries, on a free loopback port, with the row
 * binlog on: tests get their own server to reconfigure, fill and restart, and leave the machine's
 * shared one (port 3306, its own config and data) alone. `--no-defaults` keeps every my.cnf out.
 * Under root the server runs as root (`--user=root`): the temp dir is ours, no other user needs it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import mysql from 'mysql2/promise'
import { freePort } from './free-port.ts'

export interface MariaDbServer {
  readonly port: number
  /** A connection URL as the test superuser, no default database. */
  readonly url: string
  readonly user: string
  readonly password: string
  /** Runs SQL on a fresh connection and returns the rows (multiple statements allowed). */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>
  /** Clean shutdown, then start again on the same port and data. */
  restart(): Promise<void>
  stop(): Promise<void>
}

const USER = 'tributary'
const PASSWORD = 'tributary'

function binary(name: string): string {
  for (const dir of ['/usr/sbin', '/usr/bin', '/usr/local/bin', '/usr/local/mysql/bin']) {
    const file = path.join(dir, name)
    if (fs.existsSync(file)) return file
  }
  throw new Error(`no ${name} found (apt-get install mariadb-server)`)
}

/**
 * An initialised data directory, made once per machine and copied for each server: the install
 * takes seconds, a copy milliseconds. Built aside and renamed into place, so parallel test files
 * never see half of one.
 */
function templateDataDir(userArgs: string[]): string {
  const server = binary('mariadbd')
  const template = path.join(os.tmpdir(), `tributary-mariadb-template-${Math.trunc(fs.statSync(server).mtimeMs)}`)
  if (fs.existsSync(template)) return template
  const building = fs.mkdtempSync(`${template}-building-`)
  const scratch = fs.mkdtempSync(`${template}-tmp-`) // the bootstrap server's own tmpdir, as for the servers below
  const install = spawnSync(
    binary('mariadb-install-db'),
    [
      '--no-defaults',
      `--datadir=${building}`,
      `--tmpdir=${scratch}`,
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
      '--innodb-flush-method=nosync',
      ...userArgs,
    ],
    { encoding: 'utf8' },
  )
  fs.rmSync(scratch, { recursive: true, force: true })
  if (install.status !== 0) throw new Error(`mariadb-install-db failed: ${install.stderr}`)
  try {
    fs.renameSync(building, template)
  } catch {
    fs.rmSync(building, { recursive: true, force: true }) // another test file won the race
  }
  return template
}

export async function startMariaDbServer(settings: Record<string, string> = {}): Promise<MariaDbServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tributary-mariadb-'))
  const data = path.join(dir, 'data')
  const socket = path.join(dir, 'mysqld.sock')
  const asRoot = process.getuid?.() === 0
  const userArgs = asRoot ? ['--user=root'] : []
  fs.cpSync(templateDataDir(userArgs), data, { recursive: true })
  const port = await freePort()
  const options = {
    datadir: data,
    socket,
    port: String(port),
    'bind-address': '127.0.0.1',
    'pid-file': path.join(dir, 'mysqld.pid'),
    'log-error': path.join(dir, 'error.log'),
    'log-bin': path.join(dir, 'binlog'),
    // Its own: a starting server deletes every #sql* file in its tmpdir, other servers' live temp tables included.
    tmpdir: dir,
    'server-id': '1',
    'binlog-format': 'ROW',
    'binlog-row-image': 'FULL',
    'innodb-flush-log-at-trx-commit': '2',
    'sync-binlog': '0',
    'innodb-flush-method': 'nosync',
    'innodb-buffer-pool-size': '64M',
    'innodb-log-file-size': '16M',
    'skip-name-resolve': 'ON',
    ...settings,
  }
  const args = ['--no-defaults', ...userArgs, ...Object.entries(options).map(([key, value]) => `--${key}=${value}`)]
  let child: ChildProcess | undefined
  const rootConnection = () => mysql.createConnection({ socketPath: socket, user: 'root', multipleStatements: true })
  const launch = async () => {
    const running = spawn(binary('mariadbd'), args, { stdio: 'ignore' })
    child = running
    const deadline = Date.now() + 30_000
    for (;;) {
      try {
        const connection = await rootConnection()
        await connection.end()
        return
      } catch {
        if (Date.now() > deadline || running.exitCode !== null) {
          const log = fs.existsSync(options['log-error']) ? fs.readFileSync(options['log-error'], 'utf8').slice(-4000) : ''
          throw new Error(`MariaDB did not start:\n${log}`)
        }
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
    }
  }
  const halt = async () => {
    const running = child
    if (running === undefined || running.exitCode !== null) return
    const exited = new Promise((resolve) => running.once('exit', resolve))
    running.kill('SIGTERM')
    await exited
  }
  await launch()
  const setup = await rootConnection()
  await setup.query(`CREATE USER '${USER}'@'%' IDENTIFIED BY '${PASSWORD}'; GRANT ALL ON *.* TO '${USER}'@'%' WITH GRANT OPTION`)
  await setup.end()
  return {
    port,
    url: `mysql://${USER}:${PASSWORD}@127.0.0.1:${port}`,
    user: USER,
    password: PASSWORD,
    async query<T>(sql: string, params: unknown[] = []) {
      const connection = await rootConnection()
      try {
        const [rows] = await connection.query(sql, params)
        return rows as T[]
      } finally {
        await connection.end()
      }
    },
    async restart() {
      await halt()
      await launch()
    },
    async stop() {
      await halt()
      // A server that crashed under a test says so only in its log: show it before it is deleted.
      const log = fs.existsSync(options['log-error']) ? fs.readFileSync(options['log-error'], 'utf8') : ''
      if (/got signal|assertion failure|\[ERROR\]/i.test(log)) process.stderr.write(`MariaDB error log (${dir}):\n${log.slice(-6000)}\n`)
      fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}
