/**
 * TLS for the worker's two ports, the REST API and the Kafka listener (Kafka's SSL listener and
 * Kafka Connect's https listener): one certificate and key, and optionally a client CA that turns on
 * mutual TLS (every client must present a certificate it signed). The files are read once at start;
 * a file that cannot be read stops the start with the flag that named it.
 */
import fs from 'node:fs'
import type { TlsOptions } from 'node:tls'
import { TributaryError } from './errors.ts'

export interface TlsFiles {
  /** PEM certificate chain (`--tls-cert`). */
  readonly cert: string
  /** PEM private key (`--tls-key`). */
  readonly key: string
  /** PEM CA bundle that client certificates must chain to (`--tls-client-ca`); absent: no client certificates asked for. */
  readonly clientCa?: string | undefined
}

/** What https.createServer and tls.createServer take: the same options serve both ports. */
export type ServerTls = Pick<TlsOptions, 'cert' | 'key' | 'ca' | 'requestCert' | 'rejectUnauthorized' | 'minVersion'>

export function loadServerTls(files: TlsFiles): ServerTls {
  const read = (file: string, flag: string): Buffer => {
    try {
      return fs.readFileSync(file)
    } catch (error) {
      throw new TributaryError('TRB_CONFIG_INVALID', `${flag} ${file} cannot be read: ${(error as Error).message}`, {
        cause: error,
        details: { setting: flag, file },
      })
    }
  }
  return {
    cert: read(files.cert, '--tls-cert'),
    key: read(files.key, '--tls-key'),
    minVersion: 'TLSv1.2',
    ...(files.clientCa !== undefined && { ca: read(files.clientCa, '--tls-client-ca'), requestCert: true, rejectUnauthorized: true }),
  }
}
