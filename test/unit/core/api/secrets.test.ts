import { describe, expect, it } from 'vitest'
import { isTargetKey, restoreHiddenSecrets } from '../../../../core/api/secrets.ts'
import { isTributaryError } from '../../../../core/errors.ts'
import { describeConfigKeys } from '../../../../core/runtime/config-keys.ts'
import { isSecretKey } from '../../../../core/secrets.ts'
import { builtinPlugins } from '../../../../connectors/index.ts'

const stored = {
  'connector.class': 'http-sink',
  url: 'https://svc:urlpass@sink.example:8443/in?tenant=a',
  'auth.token': 'tok',
  'headers.Authorization': 'Basic c3ZjOnB3',
  topics: 't',
}

function refusal(run: () => unknown): { keys: string[]; message: string } {
  try {
    run()
  } catch (error) {
    if (!isTributaryError(error, 'TRB_SECRET_REQUIRED')) throw error
    return { keys: error.details.keys as string[], message: error.message }
  }
  throw new Error('expected TRB_SECRET_REQUIRED')
}

describe('restoreHiddenSecrets', () => {
  it('keeps the stored secrets when the masked config comes back to the same target', () => {
    const shown = {
      ...stored,
      url: 'https://svc:[hidden]@sink.example:8443/in?tenant=a',
      'auth.token': '[hidden]',
      'headers.Authorization': '[hidden]',
      'batch.size': '10',
    }
    expect(restoreHiddenSecrets(shown, stored)).toEqual({ ...stored, 'batch.size': '10' })
  })

  it('allows another path (a database name) at the same scheme, user, host, port and query', () => {
    const moved = restoreHiddenSecrets(
      {
        ...stored,
        url: 'https://svc:[hidden]@sink.example:8443/other?tenant=a',
        'auth.token': '[hidden]',
        'headers.Authorization': '[hidden]',
      },
      stored,
    )
    expect(moved.url).toBe('https://svc:urlpass@sink.example:8443/other?tenant=a')
  })

  it('refuses a new host, port, scheme, user or query while the placeholders stand for the secrets', () => {
    for (const url of [
      'https://svc:[hidden]@attacker.example:8443/in?tenant=a',
      'https://svc:[hidden]@sink.example:9443/in?tenant=a',
      'http://svc:[hidden]@sink.example:8443/in?tenant=a',
      'https://other:[hidden]@sink.example:8443/in?tenant=a',
      'https://svc:[hidden]@sink.example:8443/in?host=evil',
    ]) {
      const { keys, message } = refusal(() =>
        restoreHiddenSecrets({ ...stored, url, 'auth.token': '[hidden]', 'headers.Authorization': '[hidden]' }, stored),
      )
      expect(keys, url).toEqual(['auth.token', 'headers.Authorization', 'url'])
      expect(message).toContain('send auth.token, headers.Authorization, url again')
    }
  })

  it('refuses a new target whose URL carries a new password while other secrets are placeholders', () => {
    const { keys } = refusal(() =>
      restoreHiddenSecrets(
        { ...stored, url: 'https://svc:mine@attacker.example/', 'auth.token': '[hidden]', 'headers.Authorization': 'Bearer mine' },
        stored,
      ),
    )
    expect(keys).toEqual(['auth.token'])
  })

  it('takes a new target with every secret sent again, or with the secrets left out', () => {
    const fresh = { ...stored, url: 'https://svc:new@elsewhere.example/', 'auth.token': 'new', 'headers.Authorization': 'Bearer new' }
    expect(restoreHiddenSecrets(fresh, stored)).toEqual(fresh)
    const bare = { 'connector.class': 'http-sink', url: 'https://elsewhere.example/', topics: 't' }
    expect(restoreHiddenSecrets(bare, stored)).toEqual(bare)
  })

  it('on a PATCH, counts the stored secrets it would keep unsent', () => {
    const merged = { ...stored, url: 'https://elsewhere.example/' }
    expect(refusal(() => restoreHiddenSecrets(merged, stored, ['url'])).keys).toEqual(['auth.token', 'headers.Authorization'])
    expect(restoreHiddenSecrets({ ...stored, 'batch.size': '5' }, stored, ['batch.size'])).toEqual({ ...stored, 'batch.size': '5' })
    const { 'auth.token': _token, 'headers.Authorization': _header, ...rest } = merged
    expect(restoreHiddenSecrets(rest, stored, ['url', 'auth.token', 'headers.Authorization'])).toEqual(rest)
  })

  it('treats host, hostname, port and connector.class as the target (MySQL-style settings)', () => {
    const mysql = { 'connector.class': 'mysql-cdc', hostname: 'db1', port: '3306', user: 'u', password: 'pw', 'topic.prefix': 'p' }
    for (const change of [{ hostname: 'db2' }, { port: '3307' }, { 'connector.class': 'mysql-sink' }]) {
      expect(refusal(() => restoreHiddenSecrets({ ...mysql, ...change, password: '[hidden]' }, mysql)).keys).toEqual(['password'])
    }
    expect(restoreHiddenSecrets({ ...mysql, 'listen.port': '9000', password: '[hidden]' }, mysql).password).toBe('pw')
  })

  it('asks for a secret that a placeholder stands for but nothing stored holds', () => {
    const plain = { 'connector.class': 'postgres-sink', url: 'postgres://u@h/db', topics: 't' }
    expect(refusal(() => restoreHiddenSecrets({ ...plain, url: 'postgres://u:[hidden]@h/db' }, plain)).message).toContain(
      'send the secret itself',
    )
    expect(refusal(() => restoreHiddenSecrets({ ...plain, password: '[hidden]' }, plain)).keys).toEqual(['password'])
    const copied = refusal(() => restoreHiddenSecrets({ ...plain, url: 'postgres://u:[hidden]@h/db', password: '[hidden]' }, undefined))
    expect(copied.keys).toEqual(['password', 'url'])
    expect(copied.message).toContain('send the secret itself')
    expect(restoreHiddenSecrets({ ...plain, password: 'pw' }, undefined)).toEqual({ ...plain, password: 'pw' })
  })
})

describe('isTargetKey', () => {
  it('knows the keys that say where built-in connectors connect', () => {
    for (const key of [
      'url',
      'hostname',
      'port',
      'host',
      'database.hostname',
      'database.port',
      'connection.url',
      'bootstrap.servers',
      'connector.class',
    ])
      expect(isTargetKey(key), key).toBe(true)
    for (const key of ['listen.port', 'listen.host', 'topic', 'user', 'tables', 'slot']) expect(isTargetKey(key), key).toBe(false)
  })
})

describe('built-in connectors', () => {
  it('have their connection settings taken as targets and their credentials as secrets', () => {
    const found = Object.fromEntries(
      builtinPlugins.map((plugin) => {
        const keys = describeConfigKeys(plugin.config, plugin.name).map((key) => key.name)
        return [plugin.name, { targets: keys.filter(isTargetKey), secrets: keys.filter(isSecretKey) }]
      }),
    )
    const none = { targets: [], secrets: [] }
    expect(found).toEqual({
      'file-source': none,
      'file-sink': none,
      'topic-sink': none,
      'http-source': { targets: ['url'], secrets: ['auth.token'] },
      'http-sink': { targets: ['url'], secrets: ['auth.token'] },
      'postgres-cdc': { targets: ['url'], secrets: [] },
      'postgres-sink': { targets: ['url'], secrets: [] },
      'mysql-cdc': { targets: ['url', 'hostname', 'port'], secrets: ['password'] },
      'mysql-sink': { targets: ['url', 'hostname', 'port'], secrets: ['password'] },
    })
  })
})
