/**
 * Ways into a SASL/PLAIN listener as one of its users, for tests of who may do what: a kafkajs
 * client, its admin client for the length of a callback, and a bare socket that has authenticated.
 * The port is asked for when a client connects, so the listener may start (and restart) later.
 * `saslListenerPerFile` also starts such a listener (User:admin its super user) on an embedded log
 * of its own for the test file.
 */
import kafkajs, { type Admin, type Kafka as KafkaClient } from 'kafkajs'
import { afterAll, beforeAll } from 'vitest'
import { KafkaListener } from '../../core/kafka/server/listener.ts'
import { SaslUsers } from '../../core/kafka/server/sasl-users.ts'
import { EmbeddedLog } from '../../core/log/embedded-log.ts'
import { makeTempDir } from './temp-dir.ts'
import { wireApis } from './kafka-wire-apis.ts'
import { KafkaWireClient } from './kafka-wire-client.ts'

const { Kafka, logLevel } = kafkajs

export interface SaslPlainClients<User extends string> {
  kafkajs(user: User): KafkaClient
  withAdmin<T>(user: User, use: (admin: Admin) => Promise<T>): Promise<T>
  withWire<T>(user: User, use: (wire: KafkaWireClient) => Promise<T>): Promise<T>
}

export function saslPlainClients<User extends string>(
  port: () => number,
  passwords: Readonly<Record<User, string>>,
): SaslPlainClients<User> {
  const kafkajsClient = (user: User): KafkaClient =>
    new Kafka({
      clientId: user,
      brokers: [`127.0.0.1:${port()}`],
      sasl: { mechanism: 'plain', username: user, password: passwords[user] },
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
    })
  return {
    kafkajs: kafkajsClient,
    async withAdmin(user, use) {
      const admin = kafkajsClient(user).admin()
      await admin.connect()
      try {
        return await use(admin)
      } finally {
        await admin.disconnect()
      }
    },
    async withWire(user, use) {
      const wire = await KafkaWireClient.connect(port())
      try {
        await wire.request(wireApis.saslHandshake, 1, { mechanism: 'PLAIN' })
        await wire.request(wireApis.saslAuthenticate, 2, { authBytes: Buffer.from(`\u0000${user}\u0000${passwords[user]}`) })
        return await use(wire)
      } finally {
        wire.close()
      }
    },
  }
}

export interface SaslListener<User extends string> extends SaslPlainClients<User> {
  readonly log: EmbeddedLog
  readonly listener: KafkaListener
}

export function saslListenerPerFile<User extends string>(passwords: Readonly<Record<User, string>>): SaslListener<User> {
  let dir: Awaited<ReturnType<typeof makeTempDir>> | undefined
  let log: EmbeddedLog | undefined
  let listener: KafkaListener | undefined
  beforeAll(async () => {
    dir = await makeTempDir()
    log = await EmbeddedLog.open({ dataDir: dir.path, maintenanceIntervalMs: 0 })
    listener = await KafkaListener.start({ log, port: 0, sasl: { users: SaslUsers.fromPasswords(passwords) }, superUsers: ['User:admin'] })
  })
  afterAll(async () => {
    await listener?.close()
    await log?.close()
    await dir?.remove()
  })
  return {
    ...saslPlainClients(() => listener!.port, passwords),
    get log() {
      return log!
    },
    get listener() {
      return listener!
    },
  }
}
