/**
 * TLS on both ports of a real worker process, checked with the clients people use: curl for the REST
 * API, kcat (librdkafka) and kafkajs for the Kafka listener, with SASL/PLAIN over TLS on one worker
 * and mutual TLS (client certificates) on another. A client that speaks plaintext, or does not trust
 * the CA, or (mutual TLS) has no certificate, gets nothing.
 */
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { Kafka, logLevel } from 'kafkajs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort } from '../../support/free-port.ts'
import { kcatConsume, kcatProduce } from '../../support/kafka-clients.ts'
import { makeTempDir } from '../../support/temp-dir.ts'
import { makeTlsMaterial, type TlsMaterial } from '../../support/tls-certs.ts'
import { spawnWorker, type WorkerProcess } from '../../support/worker-process.ts'
import { tributaryCli } from '../../support/tributary-cli.ts'

function curl(args: readonly string[]): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile('curl', ['--silent', '--max-time', '10', ...args], (error, stdout) =>
      resolve({ code: error === null ? 0 : Number((error as { code?: number }).code ?? -1), stdout }),
    )
  })
}

let dir: { path: string; remove: () => Promise<void> }
let tls: TlsMaterial
const workers: WorkerProcess[] = []

async function startTlsWorker(name: string, env: Record<string, string>): Promise<WorkerProcess> {
  const configDir = path.join(dir.path, `${name}-config`)
  fs.mkdirSync(configDir)
  const worker = await spawnWorker(configDir, path.join(dir.path, `${name}-data`), {
    TRIBUTARY_TLS_CERT: tls.serverCert,
    TRIBUTARY_TLS_KEY: tls.serverKey,
    TRIBUTARY_KAFKA_PORT: String(await freePort()),
    ...env,
  })
  workers.push(worker)
  return worker
}

beforeAll(async () => {
  dir = await makeTempDir('tributary-tls-')
  tls = makeTlsMaterial(dir.path)
})

afterAll(async () => {
  for (const worker of workers) {
    worker.child.kill('SIGKILL')
    await worker.exited
  }
  await dir?.remove()
})

describe('TLS with SASL/PLAIN', () => {
  let worker: WorkerProcess
  const sasl = ['-X', 'sasl.mechanisms=PLAIN', '-X', 'sasl.username=alice', '-X', 'sasl.password=s3cret']

  beforeAll(async () => {
    worker = await startTlsWorker('sasl', { TRIBUTARY_KAFKA_SASL_PLAIN_USERS: 'alice:s3cret' })
  })

  it('serves the REST API over https to a client that trusts the CA, and to nobody over plain http', async () => {
    expect(worker.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
    const trusted = await curl(['--cacert', tls.caCert, `${worker.url}/connectors`])
    expect(trusted).toEqual({ code: 0, stdout: '[]' })
    // 60: the peer's certificate could not be verified.
    expect((await curl([`${worker.url}/connectors`])).code).toBe(60)
    const plain = await curl([`${worker.url.replace('https:', 'http:')}/connectors`])
    expect(plain.code).not.toBe(0)
    expect(plain.stdout).toBe('')
  })

  it('the tributary command reaches it when NODE_EXTRA_CA_CERTS trusts the CA', async () => {
    process.env.NODE_EXTRA_CA_CERTS = tls.caCert
    try {
      const { stdout } = await tributaryCli(['connectors', 'list', '--url', worker.url, '--json'])
      expect(JSON.parse(stdout)).toEqual({})
    } finally {
      delete process.env.NODE_EXTRA_CA_CERTS
    }
  })

  it('kcat produces and consumes over SASL_SSL', async () => {
    const ssl = ['-X', 'security.protocol=sasl_ssl', '-X', `ssl.ca.location=${tls.caCert}`, ...sasl]
    await kcatProduce(
      worker.kafkaAddress ?? '',
      'tls-kcat',
      [
        { key: 'k1', value: 'over tls' },
        { key: 'k2', value: 'and sasl' },
      ],
      ssl,
    )
    const records = await kcatConsume(worker.kafkaAddress ?? '', 'tls-kcat', 2, ssl)
    expect(records.map((r) => r.value).sort()).toEqual(['and sasl', 'over tls'])
  })

  it('kafkajs reads over SASL_SSL what it wrote; without TLS it cannot even connect', async () => {
    const brokers = [worker.kafkaAddress ?? '']
    const secure = new Kafka({
      brokers,
      ssl: { ca: [fs.readFileSync(tls.caCert)] },
      sasl: { mechanism: 'plain', username: 'alice', password: 's3cret' },
      logLevel: logLevel.NOTHING,
    })
    const producer = secure.producer()
    await producer.connect()
    await producer.send({ topic: 'tls-kafkajs', messages: [{ key: 'a', value: 'encrypted' }] })
    await producer.disconnect()
    const consumer = secure.consumer({ groupId: 'tls-readers' })
    await consumer.connect()
    await consumer.subscribe({ topic: 'tls-kafkajs', fromBeginning: true })
    const value = await new Promise<string>(
      (resolve) => void consumer.run({ eachMessage: async ({ message }) => resolve(String(message.value)) }),
    )
    await consumer.disconnect()
    expect(value).toBe('encrypted')

    const plaintext = new Kafka({
      brokers,
      sasl: { mechanism: 'plain', username: 'alice', password: 's3cret' },
      connectionTimeout: 2_000,
      retry: { retries: 0 },
      logLevel: logLevel.NOTHING,
    })
    const admin = plaintext.admin()
    await expect(admin.connect()).rejects.toThrow()
    await admin.disconnect()
  })

  it('refuses a kcat that does not trust the certificate', async () => {
    const untrusted = ['-X', 'security.protocol=sasl_ssl', ...sasl, '-X', 'message.timeout.ms=3000', '-m', '5']
    await expect(kcatProduce(worker.kafkaAddress ?? '', 'tls-kcat', [{ key: 'x', value: 'never' }], untrusted)).rejects.toThrow()
  })
})

it('a certificate file that cannot be read stops the start, naming the flag and the file', async () => {
  const missing = path.join(dir.path, 'no-such-cert.pem')
  const configDir = path.join(dir.path, 'bad-config')
  fs.mkdirSync(configDir)
  await expect(
    spawnWorker(configDir, path.join(dir.path, 'bad-data'), { TRIBUTARY_TLS_CERT: missing, TRIBUTARY_TLS_KEY: tls.serverKey }),
  ).rejects.toThrow(`--tls-cert ${missing} cannot be read`)
})

describe('mutual TLS', () => {
  let worker: WorkerProcess

  beforeAll(async () => {
    worker = await startTlsWorker('mtls', { TRIBUTARY_TLS_CLIENT_CA: tls.caCert, TRIBUTARY_KAFKA_SUPER_USERS: 'User:CN=alice' })
  })

  it('REST answers only a client with a certificate the CA signed', async () => {
    const withCert = await curl(['--cacert', tls.caCert, '--cert', tls.clientCert, '--key', tls.clientKey, `${worker.url}/connectors`])
    expect(withCert).toEqual({ code: 0, stdout: '[]' })
    const without = await curl(['--cacert', tls.caCert, `${worker.url}/connectors`])
    expect(without.code).not.toBe(0)
    expect(without.stdout).toBe('')
  })

  it('the Kafka listener serves kcat with a client certificate and refuses it without one', async () => {
    const ssl = ['-X', 'security.protocol=ssl', '-X', `ssl.ca.location=${tls.caCert}`]
    const withCert = [...ssl, '-X', `ssl.certificate.location=${tls.clientCert}`, '-X', `ssl.key.location=${tls.clientKey}`]
    await kcatProduce(worker.kafkaAddress ?? '', 'mtls-topic', [{ key: 'k', value: 'signed' }], withCert)
    expect((await kcatConsume(worker.kafkaAddress ?? '', 'mtls-topic', 1, withCert)).map((r) => r.value)).toEqual(['signed'])
    await expect(
      kcatProduce(
        worker.kafkaAddress ?? '',
        'mtls-topic',
        [{ key: 'x', value: 'never' }],
        [...ssl, '-X', 'message.timeout.ms=3000', '-m', '5'],
      ),
    ).rejects.toThrow()
  })

  it("a client certificate's subject is the Kafka principal: super user User:CN=alice sees the internal topics", async () => {
    const withCert = [
      '-X',
      'security.protocol=ssl',
      '-X',
      `ssl.ca.location=${tls.caCert}`,
      '-X',
      `ssl.certificate.location=${tls.clientCert}`,
      '-X',
      `ssl.key.location=${tls.clientKey}`,
    ]
    const topics = await new Promise<string[]>((resolve, reject) =>
      execFile('kcat', ['-b', worker.kafkaAddress ?? '', '-L', '-J', ...withCert], (error, stdout) => {
        if (error) reject(error)
        else resolve((JSON.parse(stdout) as { topics: Array<{ topic: string }> }).topics.map((t) => t.topic))
      }),
    )
    expect(topics).toContain('_tributary-configs')
  })
})
