import { describe, expect, it } from 'vitest'
import { createLogger } from '../../../core/logger.ts'
import { checkNetworkExposure, openDoors } from '../../../core/network-exposure.ts'
import { resolveWorkerSettings } from '../../../core/worker-settings.ts'

const settings = (env: Record<string, string>, flags: Parameters<typeof resolveWorkerSettings>[0] = {}) => resolveWorkerSettings(flags, env)

describe('network exposure', () => {
  it('finds nothing open on loopback, with a token and SASL users, or with the listener off or elsewhere', () => {
    expect(openDoors(settings({}))).toEqual([])
    expect(openDoors(settings({ TRIBUTARY_REST_HOST: 'localhost', TRIBUTARY_KAFKA_HOST: '::1' }))).toEqual([])
    expect(
      openDoors(
        settings({
          TRIBUTARY_REST_HOST: '0.0.0.0',
          TRIBUTARY_REST_AUTH_TOKEN: 't',
          TRIBUTARY_KAFKA_HOST: '0.0.0.0',
          TRIBUTARY_KAFKA_SASL_PLAIN_USERS: 'a:b',
        }),
      ),
    ).toEqual([])
    expect(openDoors(settings({ TRIBUTARY_KAFKA_HOST: '0.0.0.0', TRIBUTARY_KAFKA_USERS_FILE: 'users.json' }))).toEqual([])
    // Client certificates authenticate on both ports.
    expect(
      openDoors(
        settings({
          TRIBUTARY_REST_HOST: '0.0.0.0',
          TRIBUTARY_KAFKA_HOST: '0.0.0.0',
          TRIBUTARY_TLS_CERT: 'c',
          TRIBUTARY_TLS_KEY: 'k',
          TRIBUTARY_TLS_CLIENT_CA: 'ca',
        }),
      ),
    ).toEqual([])
    expect(openDoors(settings({ TRIBUTARY_KAFKA_HOST: '0.0.0.0', TRIBUTARY_KAFKA_PORT: '0' }))).toEqual([])
    expect(openDoors(settings({ TRIBUTARY_KAFKA_HOST: '0.0.0.0', TRIBUTARY_LOG_BROKERS: 'kafka:9092' }))).toEqual([])
  })

  it('refuses a REST API or Kafka listener beyond loopback without authentication, naming the ways out', () => {
    for (const env of [
      { TRIBUTARY_REST_HOST: '0.0.0.0' },
      { TRIBUTARY_REST_HOST: '192.168.1.5' },
      { TRIBUTARY_REST_HOST: '::' },
      { TRIBUTARY_KAFKA_HOST: '0.0.0.0' },
    ] as Array<Record<string, string>>) {
      expect(() => checkNetworkExposure(settings(env), createLogger('test'))).toThrow(
        expect.objectContaining({
          code: 'TRB_CONFIG_INVALID',
          message: expect.stringMatching(/--insecure-no-auth.*TRIBUTARY_INSECURE_NO_AUTH=true/),
        }),
      )
    }
    expect(openDoors(settings({ TRIBUTARY_REST_HOST: '0.0.0.0', TRIBUTARY_KAFKA_HOST: '0.0.0.0' }))).toEqual([
      expect.stringContaining('--rest-auth-token or TRIBUTARY_REST_AUTH_TOKEN'),
      expect.stringContaining('--kafka-users-file or TRIBUTARY_KAFKA_SASL_PLAIN_USERS'),
    ])
  })

  it('starts anyway with --insecure-no-auth or TRIBUTARY_INSECURE_NO_AUTH=true', () => {
    expect(() =>
      checkNetworkExposure(settings({ TRIBUTARY_REST_HOST: '0.0.0.0', TRIBUTARY_INSECURE_NO_AUTH: 'true' }), createLogger('test')),
    ).not.toThrow()
    expect(() =>
      checkNetworkExposure(settings({ TRIBUTARY_REST_HOST: '0.0.0.0' }, { 'insecure-no-auth': true }), createLogger('test')),
    ).not.toThrow()
    expect(() => settings({ TRIBUTARY_INSECURE_NO_AUTH: 'yes please' })).toThrow(expect.objectContaining({ code: 'TRB_CONFIG_INVALID' }))
  })
})
