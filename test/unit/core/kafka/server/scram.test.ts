import { createHash, createHmac, pbkdf2Sync } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { matchesCredential, scramCredential, ScramServer, type ScramMechanism } from '../../../../../core/kafka/server/scram.ts'

// RFC 7677 section 3: user "user", password "pencil".
const rfc = {
  salt: Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64'),
  clientFirst: 'n,,n=user,r=rOprNGfwEbeRWgbNEkqO',
  serverNonce: '%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0',
  serverFirst: 'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096',
  clientFinal: 'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=',
  serverFinal: 'v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=',
}

/** A SCRAM client, as the RFC computes it, for round trips with other names, passwords and SHA-512. */
function clientFinal(mechanism: ScramMechanism, password: string, clientFirstBare: string, serverFirst: string): string {
  const digest = mechanism === 'SCRAM-SHA-256' ? 'sha256' : 'sha512'
  const attributes = new Map(serverFirst.split(',').map((part) => [part.slice(0, 1), part.slice(2)] as [string, string]))
  const salted = pbkdf2Sync(
    password,
    Buffer.from(attributes.get('s') ?? '', 'base64'),
    Number(attributes.get('i')),
    digest === 'sha256' ? 32 : 64,
    digest,
  )
  const clientKey = createHmac(digest, salted).update('Client Key').digest()
  const withoutProof = `c=biws,r=${attributes.get('r')}`
  const signature = createHmac(digest, createHash(digest).update(clientKey).digest())
    .update(`${clientFirstBare},${serverFirst},${withoutProof}`)
    .digest()
  return `${withoutProof},p=${Buffer.from(clientKey.map((byte, i) => byte ^ (signature[i] ?? 0))).toString('base64')}`
}

const decoyKey = Buffer.alloc(32, 7)

describe('SCRAM server', () => {
  it('answers RFC 7677 test vector exactly', () => {
    const credential = scramCredential('SCRAM-SHA-256', 'pencil', { salt: rfc.salt, iterations: 4096 })
    const server = new ScramServer('SCRAM-SHA-256', {
      credentialOf: (user) => (user === 'user' ? credential : undefined),
      decoyKey,
      serverNonce: rfc.serverNonce,
    })
    expect(server.receive(Buffer.from(rfc.clientFirst))).toEqual({ kind: 'continue', reply: Buffer.from(rfc.serverFirst) })
    expect(server.receive(Buffer.from(rfc.clientFinal))).toEqual({ kind: 'done', reply: Buffer.from(rfc.serverFinal), user: 'user' })
  })

  for (const mechanism of ['SCRAM-SHA-256', 'SCRAM-SHA-512'] as const) {
    it(`${mechanism}: the right password authenticates, a wrong one fails`, () => {
      const credential = scramCredential(mechanism, 'correct horse')
      const attempt = (password: string) => {
        const server = new ScramServer(mechanism, { credentialOf: (user) => (user === 'alice' ? credential : undefined), decoyKey })
        const first = server.receive(Buffer.from('n,,n=alice,r=abc123'))
        if (first.kind !== 'continue') throw new Error(JSON.stringify(first))
        return server.receive(Buffer.from(clientFinal(mechanism, password, 'n=alice,r=abc123', first.reply.toString())))
      }
      expect(attempt('correct horse')).toMatchObject({ kind: 'done', user: 'alice' })
      expect(attempt('wrong horse')).toEqual({
        kind: 'failed',
        reason: `Authentication failed during authentication due to invalid credentials with SASL mechanism ${mechanism}`,
      })
    })
  }

  it('an unknown user gets a stable decoy salt and the same failure as a wrong password', () => {
    const server = () => new ScramServer('SCRAM-SHA-256', { credentialOf: () => undefined, decoyKey })
    const first = (s: ScramServer) => s.receive(Buffer.from('n,,n=mallory,r=xyz'))
    const a = server()
    const one = first(a)
    const two = first(server())
    if (one.kind !== 'continue' || two.kind !== 'continue') throw new Error('expected a server-first')
    const salt = (reply: Buffer) => /,s=([^,]+),/.exec(reply.toString())?.[1]
    expect(salt(one.reply)).toBe(salt(two.reply))
    expect(a.receive(Buffer.from(clientFinal('SCRAM-SHA-256', 'guess', 'n=mallory,r=xyz', one.reply.toString())))).toEqual({
      kind: 'failed',
      reason: 'Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-256',
    })
  })

  it('refuses channel binding, a changed nonce, a missing proof and delegation tokens', () => {
    const credential = scramCredential('SCRAM-SHA-256', 'pw')
    const make = () => new ScramServer('SCRAM-SHA-256', { credentialOf: () => credential, decoyKey })
    expect(make().receive(Buffer.from('p=tls-unique,,n=a,r=x'))).toMatchObject({ kind: 'failed' })
    expect(make().receive(Buffer.from('n,,n=a,r=x,tokenauth=true'))).toMatchObject({
      kind: 'failed',
      reason: 'Delegation tokens are not supported',
    })
    const server = make()
    server.receive(Buffer.from('n,,n=a,r=x'))
    expect(server.receive(Buffer.from('c=biws,r=other,p=AAAA'))).toMatchObject({ kind: 'failed', reason: expect.stringContaining('nonce') })
    const again = make()
    again.receive(Buffer.from('n,,n=a,r=x'))
    expect(again.receive(Buffer.from('c=biws,r=x'))).toMatchObject({ kind: 'failed', reason: expect.stringContaining('no proof') })
  })

  it('checks a SASL/PLAIN password against the salted credential', () => {
    const credential = scramCredential('SCRAM-SHA-512', 's3cret')
    expect(matchesCredential('SCRAM-SHA-512', credential, 's3cret')).toBe(true)
    expect(matchesCredential('SCRAM-SHA-512', credential, 's3cret ')).toBe(false)
  })
})
