import { describe, expect, it } from 'vitest'
import {
  holdsSecret,
  isSecretKey,
  maskConfig,
  maskDeep,
  maskText,
  maskValue,
  restoreMaskedText,
  secretsInText,
} from '../../../core/secrets.ts'

describe('isSecretKey', () => {
  it('knows keys named like secrets and header-like keys naming a credential header', () => {
    for (const key of [
      'password',
      'auth.token',
      'database.password',
      'api.key',
      'client.secret',
      'ssl.private.key',
      'headers.Authorization',
      'headers.authorization',
      'http.headers.cookie',
      'headers.Set-Cookie',
      'headers.Proxy-Authorization',
      'headers.X-Api-Key',
      'headers.X-Auth-Token',
      'headers.X-Session-Key',
      'headers.X-Hub-Signature',
      'Authorization',
    ]) {
      expect(isSecretKey(key), key).toBe(true)
    }
  })

  it('leaves ordinary keys alone', () => {
    for (const key of [
      'url',
      'topic',
      'headers.include',
      'headers.Content-Type',
      'headers.X-Request-Id',
      'key.field',
      'key.header',
      'message.key.columns',
      'primary.key.fields',
      'hostname',
      'user',
      'key.converter',
    ]) {
      expect(isSecretKey(key), key).toBe(false)
    }
  })
})

describe('maskText', () => {
  it("masks the password in a URL's userinfo in place, for any scheme", () => {
    expect(maskText('postgres://u:pass@h:5432/db')).toBe('postgres://u:[hidden]@h:5432/db')
    expect(maskText('mysql://root:s3cr%40t@127.0.0.1/app')).toBe('mysql://root:[hidden]@127.0.0.1/app')
    expect(maskText('https://user:pw@host/path?q=1')).toBe('https://user:[hidden]@host/path?q=1')
    expect(maskText('postgres://u:p@ss@h/db')).toBe('postgres://u:[hidden]@h/db')
  })

  it("masks URLs inside longer text, such as a driver's error", () => {
    expect(maskText('connect ECONNREFUSED for postgres://u:pw@10.0.0.1:1/db (retrying); then http://a:b@c/')).toBe(
      'connect ECONNREFUSED for postgres://u:[hidden]@10.0.0.1:1/db (retrying); then http://a:[hidden]@c/',
    )
    expect(maskText('"url":"postgres://u:pw@h/db"')).toBe('"url":"postgres://u:[hidden]@h/db"')
  })

  it('masks password parameters in a query and in a libpq key=value string', () => {
    expect(maskText('postgres://u@h/db?sslmode=require&password=pw&x=1')).toBe('postgres://u@h/db?sslmode=require&password=[hidden]&x=1')
    expect(maskText("host=h port=5432 password='p w' dbname=x")).toBe('host=h port=5432 password=[hidden] dbname=x')
    expect(maskText('PGPASSWORD=abc')).toBe('PGPASSWORD=[hidden]')
  })

  it('masks credentials quoted from an Authorization header', () => {
    expect(maskText('request had Authorization: Bearer abc.def.ghi')).toBe('request had Authorization: Bearer [hidden]')
    expect(maskText('{"authorization":"Basic dXNlcjpwdw=="}')).toBe('{"authorization":"Basic [hidden]"}')
    expect(maskText('sent Bearer eyJhbGciOiJIUzI1NiJ9')).toBe('sent Bearer [hidden]')
  })

  it('leaves text without secrets as it is', () => {
    for (const text of [
      'postgres://u@h:5432/db',
      'http://h:8080/path',
      'mail me at a@b.example',
      'Bearer token required',
      'jdbc:postgresql://h:5432/db',
      'the password is required',
    ]) {
      expect(maskText(text)).toBe(text)
    }
  })

  it('takes linear time on long text', () => {
    const started = performance.now()
    // Each took seconds to minutes with a backtracking pattern; together they take well under a second.
    for (const long of [
      `${'a.'.repeat(50_000)}@`,
      `x://${'u'.repeat(100_000)}@`,
      'Authorization: '.repeat(10_000),
      'x://u:b@'.repeat(10_000),
    ])
      maskText(long)
    expect(performance.now() - started).toBeLessThan(3000)
  })
})

describe('config values', () => {
  it('shows secret keys as the placeholder and masks URL passwords of every key', () => {
    expect(
      maskConfig({
        'connector.class': 'http-sink',
        url: 'https://u:pw@h/x',
        'headers.Authorization': 'Bearer t',
        'backup.target': 'postgres://a:b@c/d',
        topic: 't',
      }),
    ).toEqual({
      'connector.class': 'http-sink',
      url: 'https://u:[hidden]@h/x',
      'headers.Authorization': '[hidden]',
      'backup.target': 'postgres://a:[hidden]@c/d',
      topic: 't',
    })
    expect(maskValue('password', '')).toBe('[hidden]')
    // A registry converter's credentials, by Confluent's names.
    expect(
      maskConfig({
        'value.converter.basic.auth.user.info': 'user:secret',
        'key.converter.bearer.auth.token': 't',
        'value.converter.schema.registry.url': 'http://r:8081',
      }),
    ).toEqual({
      'value.converter.basic.auth.user.info': '[hidden]',
      'key.converter.bearer.auth.token': '[hidden]',
      'value.converter.schema.registry.url': 'http://r:8081',
    })
  })

  it('tells which stored values hold a secret', () => {
    expect(holdsSecret('url', 'postgres://u:pw@h/db')).toBe(true)
    expect(holdsSecret('url', 'postgres://u@h/db')).toBe(false)
    expect(holdsSecret('auth.token', 't')).toBe(true)
    expect(holdsSecret('topic', 't')).toBe(false)
  })

  it('puts stored secrets back into a masked value, by position', () => {
    const stored = 'postgres://u:p%40ss@h:5432/db?password=second'
    expect(secretsInText(stored)).toEqual(['p%40ss', 'second'])
    expect(restoreMaskedText('postgres://u:[hidden]@h:5432/other?password=[hidden]', stored)).toBe(
      'postgres://u:p%40ss@h:5432/other?password=second',
    )
    expect(restoreMaskedText('postgres://u:[hidden]@h/db', 'postgres://u@h/db')).toBeUndefined()
    expect(restoreMaskedText('postgres://u:new@h/db', 'postgres://u:old@h/db')).toBeUndefined()
  })

  it('masks log fields deeply but leaves errors and buffers to their serializers', () => {
    const error = new Error('x')
    const masked = maskDeep({ url: 'postgres://u:pw@h/db', nested: { password: 'p', list: ['https://a:b@c/'] }, err: error }) as Record<
      string,
      unknown
    >
    expect(masked).toEqual({
      url: 'postgres://u:[hidden]@h/db',
      nested: { password: '[hidden]', list: ['https://a:[hidden]@c/'] },
      err: error,
    })
    expect(masked.err).toBe(error)
  })
})
