import { describe, expect, it } from 'vitest'
import { resolveWorkerSettings } from '../../../core/worker-settings.ts'

describe('worker settings', () => {
  it('turns the Kafka listener off with port 0 and reads its host', () => {
    const settings = resolveWorkerSettings({ 'kafka-port': '0' }, { TRIBUTARY_KAFKA_HOST: '0.0.0.0' })
    expect(settings).toMatchObject({ kafkaPort: 0, kafkaHost: '0.0.0.0' })
  })

  it('takes an advertised Kafka address as host:port and refuses anything else', () => {
    expect(resolveWorkerSettings({ 'kafka-advertised-address': 'localhost:9092' }, {}).kafkaAdvertisedAddress).toBe('localhost:9092')
    expect(() => resolveWorkerSettings({}, { TRIBUTARY_KAFKA_ADVERTISED_ADDRESS: 'localhost' })).toThrow(
      expect.objectContaining({ code: 'TRB_CONFIG_INVALID' }),
    )
  })

  it('takes the REST address advertised to the group as host:port, flag over environment', () => {
    expect(resolveWorkerSettings({}, { TRIBUTARY_REST_ADVERTISED_ADDRESS: 'worker-1:8083' }).restAdvertisedAddress).toBe('worker-1:8083')
    expect(
      resolveWorkerSettings({ 'rest-advertised-address': 'worker-2:8083' }, { TRIBUTARY_REST_ADVERTISED_ADDRESS: 'worker-1:8083' })
        .restAdvertisedAddress,
    ).toBe('worker-2:8083')
    expect(() => resolveWorkerSettings({ 'rest-advertised-address': 'http://worker-1:8083' }, {})).toThrow(
      expect.objectContaining({ code: 'TRB_CONFIG_INVALID' }),
    )
  })

  it('reads SASL/PLAIN users from the environment only, passwords with colons intact', () => {
    const settings = resolveWorkerSettings({}, { TRIBUTARY_KAFKA_SASL_PLAIN_USERS: 'alice:s3cret,bob:a:b' })
    expect(settings.kafkaSaslPlainUsers).toEqual({ alice: 's3cret', bob: 'a:b' })
    expect(resolveWorkerSettings({}, {}).kafkaSaslPlainUsers).toBeUndefined()
  })

  it('refuses a users list that is not user:password pairs', () => {
    expect(() => resolveWorkerSettings({}, { TRIBUTARY_KAFKA_SASL_PLAIN_USERS: 'alice' })).toThrow(
      expect.objectContaining({ code: 'TRB_CONFIG_INVALID' }),
    )
  })

  it('turns distributed mode on with a group id, with a 10 s session timeout unless the environment sets one', () => {
    expect(resolveWorkerSettings({}, {})).toMatchObject({ groupId: undefined, groupSessionTimeoutMs: 10_000 })
    expect(
      resolveWorkerSettings({ 'group-id': 'connect' }, { TRIBUTARY_GROUP_ID: 'other', TRIBUTARY_GROUP_SESSION_TIMEOUT_MS: '3000' }),
    ).toMatchObject({ groupId: 'connect', groupSessionTimeoutMs: 3000 })
    expect(() => resolveWorkerSettings({}, { TRIBUTARY_GROUP_SESSION_TIMEOUT_MS: 'soon' })).toThrow(
      expect.objectContaining({ code: 'TRB_CONFIG_INVALID' }),
    )
  })

  it('names the internal topics with _tributary- unless told a _tributary-<name>- prefix, flag over environment', () => {
    expect(resolveWorkerSettings({}, {}).storageTopicPrefix).toBe('_tributary-')
    expect(
      resolveWorkerSettings({ 'storage-topic-prefix': '_tributary-eu-' }, { TRIBUTARY_STORAGE_TOPIC_PREFIX: '_tributary-us-' })
        .storageTopicPrefix,
    ).toBe('_tributary-eu-')
    expect(resolveWorkerSettings({}, { TRIBUTARY_STORAGE_TOPIC_PREFIX: '_tributary-us-' }).storageTopicPrefix).toBe('_tributary-us-')
    // A prefix outside _tributary- would put connector configs and their secrets in a topic clients may read and write.
    for (const prefix of ['connect-', '_tributary-eu', '_tributary-e u-', '']) {
      expect(() => resolveWorkerSettings({ 'storage-topic-prefix': prefix }, {})).toThrow(
        expect.objectContaining({ code: 'TRB_CONFIG_INVALID', message: expect.stringContaining('storageTopicPrefix') }),
      )
    }
  })

  it('takes TLS files from flags or the environment, both certificate and key or neither', () => {
    expect(resolveWorkerSettings({ 'tls-cert': 'c.pem', 'tls-key': 'k.pem' }, { TRIBUTARY_TLS_CLIENT_CA: 'ca.pem' })).toMatchObject({
      tlsCert: 'c.pem',
      tlsKey: 'k.pem',
      tlsClientCa: 'ca.pem',
    })
    expect(resolveWorkerSettings({}, {})).toMatchObject({ tlsCert: undefined, tlsKey: undefined })
    expect(() => resolveWorkerSettings({ 'tls-cert': 'c.pem' }, {})).toThrow(
      expect.objectContaining({ code: 'TRB_CONFIG_INVALID', message: expect.stringContaining('--tls-key') }),
    )
    expect(() => resolveWorkerSettings({}, { TRIBUTARY_TLS_CLIENT_CA: 'ca.pem' })).toThrow(
      expect.objectContaining({ code: 'TRB_CONFIG_INVALID', message: expect.stringContaining('--tls-client-ca needs') }),
    )
  })

  it('confines file connectors to the data dir and the working directory unless told otherwise, flag over environment', () => {
    expect(resolveWorkerSettings({ 'data-dir': '/srv/data' }, {}).fileAllowedPaths).toEqual(['/srv/data', process.cwd()])
    expect(resolveWorkerSettings({}, { TRIBUTARY_FILE_ALLOWED_PATHS: '/var/log/app, /srv/out' }).fileAllowedPaths).toEqual([
      '/var/log/app',
      '/srv/out',
    ])
    expect(resolveWorkerSettings({ 'file-allowed-paths': '/a' }, { TRIBUTARY_FILE_ALLOWED_PATHS: '/b' }).fileAllowedPaths).toEqual(['/a'])
    expect(() => resolveWorkerSettings({ 'file-allowed-paths': ' , ' }, {})).toThrow(
      expect.objectContaining({ code: 'TRB_CONFIG_INVALID' }),
    )
  })

  it('takes the env allowlist as a pattern, flag over environment, and refuses one that does not compile', () => {
    expect(resolveWorkerSettings({}, {}).envAllowlist).toBeUndefined()
    expect(resolveWorkerSettings({}, { TRIBUTARY_ENV_ALLOWLIST: 'APP_.*' }).envAllowlist).toBe('APP_.*')
    expect(resolveWorkerSettings({ 'env-allowlist': 'PG_.*' }, { TRIBUTARY_ENV_ALLOWLIST: 'APP_.*' }).envAllowlist).toBe('PG_.*')
    expect(() => resolveWorkerSettings({ 'env-allowlist': 'APP_(' }, {})).toThrow(expect.objectContaining({ code: 'TRB_CONFIG_INVALID' }))
  })

  it('leaves outbound hosts open unless a list of ranges and names is given', () => {
    expect(resolveWorkerSettings({}, {}).connectAllowedHosts).toBeUndefined()
    expect(resolveWorkerSettings({}, { TRIBUTARY_CONNECT_ALLOWED_HOSTS: '10.0.0.0/8, db.internal' }).connectAllowedHosts).toEqual([
      '10.0.0.0/8',
      'db.internal',
    ])
  })

  it('loads no plugins beside the built-in ones unless a plugin path is given, flag over environment', () => {
    expect(resolveWorkerSettings({}, {}).pluginPath).toEqual([])
    expect(resolveWorkerSettings({}, { TRIBUTARY_PLUGIN_PATH: '/opt/plugins, ./counter.mjs' }).pluginPath).toEqual([
      '/opt/plugins',
      './counter.mjs',
    ])
    expect(resolveWorkerSettings({ 'plugin-path': '/srv/one.mjs' }, { TRIBUTARY_PLUGIN_PATH: '/opt/plugins' }).pluginPath).toEqual([
      '/srv/one.mjs',
    ])
  })
})
