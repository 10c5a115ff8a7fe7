/**
 * How a MySQL/MariaDB source or sink reaches its server: the connection keys both configs have, and
 * the settings the drivers take from them.
 */
import { z } from 'zod'

/** How to reach the server, for the source and the sink (each describes the privileges its `user` needs). */
export const connectionFields = {
  url: z.string().optional().describe('Connection URL (mysql://user:password@host:port); instead of hostname, port, user and password'),
  hostname: z.string().default('127.0.0.1').describe('Server host name or address (Debezium database.hostname)'),
  port: z.coerce.number().int().min(1).max(65535).default(3306).describe('Server port'),
  user: z.string().default('root').describe('User name'),
  password: z.string().default('').describe('Password of that user'),
  'connect.timeout.ms': z.coerce.number().int().min(100).default(10_000).describe('Longest a connection attempt waits'),
}

/** Connection settings for mysql2 and zongji, from either the url or the separate keys. */
export interface ConnectionSettings {
  readonly host: string
  readonly port: number
  readonly user: string
  readonly password: string
  readonly connectTimeout: number
}

/** The connection keys of a source's or a sink's config, parsed. */
export interface ConnectionConfig {
  readonly url?: string | undefined
  readonly hostname: string
  readonly port: number
  readonly user: string
  readonly password: string
  readonly 'connect.timeout.ms': number
}

export function connectionSettings(config: ConnectionConfig): ConnectionSettings {
  const connectTimeout = config['connect.timeout.ms']
  if (config.url === undefined || config.url === '')
    return { host: config.hostname, port: config.port, user: config.user, password: config.password, connectTimeout }
  const url = new URL(config.url)
  return {
    host: url.hostname,
    port: url.port === '' ? 3306 : Number(url.port),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    connectTimeout,
  }
}
