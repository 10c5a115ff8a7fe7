import { describe, expect, it } from 'vitest'
import { resolveWorkerSettings } from '../../../core/worker-settings.ts'

describe('worker settings', () => {
  it('turns the Kafka listener off with port 0 and reads its host', () => {
    const settings = resolveWorkerSettings({ 'kafka-port': '0' }, { TRIBUTARY_KAFKA_HOST: '0.0.0.0' })
    expect(settings).toMatchObject({ kafkaPort: 0, kafkaHost: '0.0.0.0' })
  })

  it('takes an advertised Kafka address as host:port and refuses anything else', () => {
    expect(resolveWorkerSettings({ 'kafka-advertised-address': 'localhost:9092' }, {}).kafkaAdvertisedAddress).toBe('localhost:9092')
    expect(() => resolveWorkerSettings({}, { TRIBUTARY_KAFKA_ADVERTISED_ADDRESS: 'localhost' })).toThrow(expect.objectContaining({ code: 'TRB_CONFIG_INVALID' }))
  })

  it('takes the REST address advertised to the group as host:port, flag over environment', () => {
    expect(resolveWorkerSettings({}, { TRIBUTARY_REST_ADVERTISED_ADDRESS: 'worker-1:8083' }).restAdvertisedAddress).toBe('worker-1:8083')
    expect(resolveWorkerSettings({ 'rest-advertised-address': 'worker-2:8083' }, { TRIBUTARY_REST_ADVERTISED_ADDRESS: 'worker-1:8083' }).restAdvertisedAddress).toBe('worker-2:8083')
    expect(() => resolveWorkerSettings({ 'rest-advertised-address': 'http://worker-1:8083' }, {})).toThrow(expect.objectContaining({ code: 'TRB_CONFIG_INVALID' }))
  })

  it('reads SASL/PLAIN users from the environment only, passwords with colons intact', () => {
    const settings = resolveWorkerSettings({}, { TRIBUTARY_KAFKA_SASL_PLAIN_USERS: 'alice:s3cret,bob:a:b' })
    expect(settings.kafkaSaslPlainUsers).toEqual({ alice: 's3cret', bob: 'a:b' })
    expect(resolveWorkerSettings({}, {}).kafkaSaslPlainUsers).toBeUndefined()
  })

  it('refuses a users list that is not user:password pairs', () => {
    expect(() => resolveWorkerSettings({}, { TRIBUTARY_KAFKA_SASL_PLAIN_USERS: 'alice' })).toThrow(expect.objectContaining({ code: 'TRB_CONFIG_INVALID' }))
  })

  it('turns distributed mode on with a group id, with a 10 s session timeout unless the environment sets one', () => {
    expect(resolveWorkerSettings({}, {})).toMatchObject({ groupId: undefined, groupSessionTimeoutMs: 10_000 })
    expect(resolveWorkerSettings({ 'group-id': 'connect' }, { TRIBUTARY_GROUP_ID: 'other', TRIBUTARY_GROUP_SESSION_TIMEOUT_MS: '3000' })).toMatchObject({ groupId: 'connect', groupSessionTimeoutMs: 3000 })
    expect(() => resolveWorkerSettings({}, { TRIBUTARY_GROUP_SESSION_TIMEOUT_MS: 'soon' })).toThrow(expect.objectContaining({ code: 'TRB_CONFIG_INVALID' }))
  })

  it('takes TLS files from flags or the environment, both certificate and key or neither', () => {
    expect(resolveWorkerSettings({ 'tls-cert': 'c.pem', 'tls-key': 'k.pem' }, { TRIBUTARY_TLS_CLIENT_CA: 'ca.pem' })).toMatchObject({ tlsCert: 'c.pem', tlsKey: 'k.pem', tlsClientCa: 'ca.pem' })
    expect(resolveWorkerSettings({}, {})).toMatchObject({ tlsCert: undefined, tlsKey: undefined })
    expect(() => resolveWorkerSettings({ 'tls-cert': 'c.pem' }, {})).toThrow(expect.objectContaining({ code: 'TRB_CONFIG_INVALID', message: expect.stringContaining('--tls-key') }))
    expect(() => resolveWorkerSettings({}, { TRIBUTARY_TLS_CLIENT_CA: 'ca.pem' })).toThrow(expect.objectContaining({ code: 'TRB_CONFIG_INVALID', message: expect.stringContaining('--tls-client-ca needs') }))
  })
})
