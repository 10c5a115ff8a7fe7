import { describe, expect, it } from 'vitest'
import {
  decodeSaslHandshakeRequest,
  decodeSaslHandshakeResponse,
  encodeSaslHandshakeRequest,
  encodeSaslHandshakeResponse,
  saslHandshakeVersions,
} from '../../../../../core/kafka/protocol/apis/sasl-handshake.ts'
import { eachVersion, encodeAt, roundTrip } from '../../../../support/kafka-codec-versions.ts'
import { kafkajsDecodeResponse, kafkajsRequestBody } from '../../../../support/kafkajs-protocol.ts'

const flexible = (v: number) => v >= saslHandshakeVersions.flexibleFrom
const response = { errorCode: 33, mechanisms: ['PLAIN', 'SCRAM-SHA-256'] }

describe('SaslHandshake codec', () => {
  it.each(eachVersion(saslHandshakeVersions))('round-trips v%i, never flexible', (v) => {
    expect(roundTrip(encodeSaslHandshakeRequest, decodeSaslHandshakeRequest, v, flexible(v), { mechanism: 'PLAIN' })).toEqual({
      mechanism: 'PLAIN',
    })
    expect(roundTrip(encodeSaslHandshakeResponse, decodeSaslHandshakeResponse, v, flexible(v), response)).toEqual(response)
    expect(encodeAt(encodeSaslHandshakeRequest, v, flexible(v), { mechanism: 'PLAIN' }).toString('hex')).toBe(
      `0005${Buffer.from('PLAIN').toString('hex')}`,
    )
  })

  it.each([0, 1])('matches kafkajs at v%i', async (v) => {
    const theirs = await kafkajsRequestBody('saslHandshake', v, { mechanism: 'PLAIN' })
    expect(encodeAt(encodeSaslHandshakeRequest, v, flexible(v), { mechanism: 'PLAIN' })).toEqual(theirs)
    const decoded = await kafkajsDecodeResponse(
      'saslHandshake',
      v,
      encodeAt(encodeSaslHandshakeResponse, v, flexible(v), { errorCode: 0, mechanisms: response.mechanisms }),
    )
    expect(decoded).toEqual({ errorCode: 0, enabledMechanisms: response.mechanisms })
  })
})
