/**
 * SASL/PLAIN on the listener, over a bare socket: both handshake versions with good and bad
 * credentials, requests before authenticating, and a listener without SASL.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { CreateTopicsRequest } from '../../../core/kafka/protocol/apis/create-topics.ts'
import { KafkaError } from '../../../core/kafka/protocol/error-codes.ts'
import { SASL_MAX_RECEIVE_BYTES, SASL_MECHANISMS } from '../../../core/kafka/server/sasl-session.ts'
import { startEmbeddedKafka, type EmbeddedKafka } from '../../support/embedded-kafka.ts'
import { wireApis } from '../../support/kafka-wire-apis.ts'
import { KafkaWireClient } from '../../support/kafka-wire-client.ts'
import { SaslUsers } from '../../../core/kafka/server/sasl-users.ts'

const users = { alice: 's3cret', bob: 'hunter2' }
const plain = (user: string, password: string, authorizationId = '') => Buffer.from(`${authorizationId}\u0000${user}\u0000${password}`)
const createOrders: CreateTopicsRequest = {
  topics: [{ name: 'orders', numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }],
  timeoutMs: 1000,
  validateOnly: false,
}

let kafka: EmbeddedKafka
let client: KafkaWireClient

async function connect(options: { sasl?: boolean } = {}): Promise<KafkaWireClient> {
  kafka = await startEmbeddedKafka(options.sasl === false ? {} : { sasl: { users: SaslUsers.fromPasswords(users) } })
  client = await KafkaWireClient.connect(kafka.port)
  return client
}

afterEach(async () => {
  client.close()
  await kafka.stop()
})

describe('SASL/PLAIN with a v1 handshake (tokens in SaslAuthenticate)', () => {
  it('serves ApiVersions first, authenticates, then serves everything', async () => {
    await connect()
    expect((await client.request(wireApis.apiVersions, 3, { clientSoftwareName: 'raw', clientSoftwareVersion: '1' })).errorCode).toBe(0)
    expect(await client.request(wireApis.saslHandshake, 1, { mechanism: 'PLAIN' })).toEqual({
      errorCode: 0,
      mechanisms: [...SASL_MECHANISMS],
    })
    const auth = await client.request(wireApis.saslAuthenticate, 2, { authBytes: plain('alice', 's3cret', 'alice') })
    expect(auth).toEqual({ errorCode: 0, errorMessage: null, authBytes: Buffer.alloc(0), sessionLifetimeMs: 0 })
    expect((await client.request(wireApis.createTopics, 5, createOrders)).topics[0]!.errorCode).toBe(0)
    // Once authenticated, another handshake is out of place but not fatal.
    expect((await client.request(wireApis.saslHandshake, 1, { mechanism: 'PLAIN' })).errorCode).toBe(KafkaError.ILLEGAL_SASL_STATE)
    expect(kafka.log.hasTopic('orders')).toBe(true)
  })

  it.each([
    ['a wrong password', plain('alice', 'hunter2'), 'Invalid username or password'],
    ['an unknown user', plain('mallory', 's3cret'), 'Invalid username or password'],
    ["someone else's authorization id", plain('bob', 'hunter2', 'alice'), 'authorization id'],
    ['a token that is not PLAIN', Buffer.from('alice:s3cret'), 'expected 3 tokens'],
  ])('answers %s with SASL_AUTHENTICATION_FAILED and a reason, then closes', async (_case, token, reason) => {
    await connect()
    await client.request(wireApis.saslHandshake, 1, { mechanism: 'PLAIN' })
    const auth = await client.request(wireApis.saslAuthenticate, 0, { authBytes: token })
    expect(auth.errorCode).toBe(KafkaError.SASL_AUTHENTICATION_FAILED)
    expect(auth.errorMessage).toContain(reason)
    await client.closed
  })

  it('refuses an unsupported mechanism, naming the ones it has, then closes', async () => {
    await connect()
    expect(await client.request(wireApis.saslHandshake, 1, { mechanism: 'GSSAPI' })).toEqual({
      errorCode: KafkaError.UNSUPPORTED_SASL_MECHANISM,
      mechanisms: [...SASL_MECHANISMS],
    })
    await client.closed
  })
})

describe('SASL/PLAIN with a v0 handshake (bare tokens)', () => {
  it('takes the next frame as the token, answers with an empty one, then serves requests', async () => {
    await connect()
    expect(await client.request(wireApis.saslHandshake, 0, { mechanism: 'PLAIN' })).toEqual({
      errorCode: 0,
      mechanisms: [...SASL_MECHANISMS],
    })
    client.sendFrame(plain('bob', 'hunter2'))
    expect(await client.readFrame()).toEqual(Buffer.alloc(0))
    expect((await client.request(wireApis.createTopics, 2, createOrders)).topics[0]!.errorCode).toBe(0)
  })

  it('closes without an answer on wrong credentials: v0 has no way to say why', async () => {
    await connect()
    await client.request(wireApis.saslHandshake, 0, { mechanism: 'PLAIN' })
    client.sendFrame(plain('bob', 'wrong'))
    await expect(client.readFrame()).rejects.toThrow(/closed/)
  })
})

describe('before authentication', () => {
  it('closes a connection that sends any other request, without serving it', async () => {
    await connect()
    client.sendRequest(wireApis.createTopics, 4, createOrders)
    await expect(client.readFrame()).rejects.toThrow(/closed/)
    expect(kafka.log.hasTopic('orders')).toBe(false)
  })

  it('closes a connection that sends SaslAuthenticate before the handshake', async () => {
    await connect()
    client.sendRequest(wireApis.saslAuthenticate, 1, { authBytes: plain('alice', 's3cret') })
    await expect(client.readFrame()).rejects.toThrow(/closed/)
  })

  it('closes a connection that sends a frame larger than sasl.server.max.receive.size', async () => {
    await connect()
    client.sendFrame(Buffer.alloc(SASL_MAX_RECEIVE_BYTES + 1))
    await expect(client.readFrame()).rejects.toThrow(/closed/)
  })
})

describe('a listener without SASL', () => {
  it('answers SaslHandshake and SaslAuthenticate with ILLEGAL_SASL_STATE and keeps serving', async () => {
    await connect({ sasl: false })
    expect(await client.request(wireApis.saslHandshake, 1, { mechanism: 'PLAIN' })).toEqual({
      errorCode: KafkaError.ILLEGAL_SASL_STATE,
      mechanisms: [],
    })
    expect((await client.request(wireApis.saslAuthenticate, 2, { authBytes: plain('alice', 's3cret') })).errorCode).toBe(
      KafkaError.ILLEGAL_SASL_STATE,
    )
    expect((await client.request(wireApis.createTopics, 5, createOrders)).topics[0]!.errorCode).toBe(0)
  })
})
