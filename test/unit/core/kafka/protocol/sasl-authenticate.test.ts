import { describe, expect, it } from 'vitest'
import {
  decodeSaslAuthenticateRequest,
  decodeSaslAuthenticateResponse,
  encodeSaslAuthenticateRequest,
  encodeSaslAuthenticateResponse,
  saslAuthenticateVersions,
  type SaslAuthenticateResponse,
} from '../../../../../core/kafka/protocol/apis/sasl-authenticate.ts'
import { eachVersion, encodeAt, roundTrip } from '../../../../support/kafka-codec-versions.ts'
import { kafkajsDecodeResponse, kafkajsRequestBody } from '../../../../support/kafkajs-protocol.ts'

const flexible = (v: number) => v >= saslAuthenticateVersions.flexibleFrom
const token = Buffer.from('\u0000alice\u0000s3cret')
const response: SaslAuthenticateResponse = {
  errorCode: 58,
  errorMessage: 'Authentication failed: Invalid username or password',
  authBytes: Buffer.from([1, 2, 3]),
  sessionLifetimeMs: 3_600_000,
}

describe('SaslAuthenticate codec', () => {
  it.each(eachVersion(saslAuthenticateVersions))('round-trips v%i', (v) => {
    expect(roundTrip(encodeSaslAuthenticateRequest, decodeSaslAuthenticateRequest, v, flexible(v), { authBytes: token })).toEqual({
      authBytes: token,
    })
    expect(roundTrip(encodeSaslAuthenticateResponse, decodeSaslAuthenticateResponse, v, flexible(v), response)).toEqual({
      ...response,
      sessionLifetimeMs: v >= 1 ? response.sessionLifetimeMs : 0,
    })
  })

  it('writes v2 with compact bytes and tagged fields', () => {
    expect(encodeAt(encodeSaslAuthenticateRequest, 2, flexible(2), { authBytes: Buffer.from('ab') }).toString('hex')).toBe(
      '03' + '6162' + '00',
    )
  })

  // kafkajs hands SaslAuthenticate the PLAIN token already length-prefixed and writes it raw.
  it.each([0, 1])('matches kafkajs at v%i', async (v) => {
    const authBytes = Buffer.concat([Buffer.from([0, 0, 0, token.length]), token])
    expect(encodeAt(encodeSaslAuthenticateRequest, v, flexible(v), { authBytes: token })).toEqual(
      await kafkajsRequestBody('saslAuthenticate', v, { authBytes }),
    )
    const decoded = await kafkajsDecodeResponse('saslAuthenticate', v, encodeAt(encodeSaslAuthenticateResponse, v, flexible(v), response))
    expect(decoded).toMatchObject({
      errorCode: 58,
      errorMessage: response.errorMessage,
      ...(v >= 1 ? { sessionLifetimeMs: '3600000' } : {}),
    })
  })
})
