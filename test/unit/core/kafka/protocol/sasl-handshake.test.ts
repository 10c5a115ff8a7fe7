import { describe, expect, it } from 'vitest'
import {
  decodeSaslHandshakeRequest, decodeSaslHandshakeResponse, encodeSaslHandshakeRequest, encodeSaslHandshakeResponse, saslHandshakeVersions,
} from '../../../../../core/kafka/protocol/apis/sasl-handshake.ts'
import { encodeAt, roundTrip, versionsOf } from '../../../../support/kafka-codec-round-trip.ts'
import { kafkajsDecodeResponse, kafkajsRequestBody } from '../../../../support/kafkajs-api-codec.ts'

const { flexibleFrom } = saslHandshakeVersions
const response = { errorCode: 33, mechanisms: ['PLAIN', 'SCRAM-SHA-256'] }

describe('SaslHandshake codec', () => {
  it.each(versionsOf(saslHandshakeVersions))('round-trips v%i, never flexible', (v) => {
    expect(roundTrip(encodeSaslHandshakeRequest, decodeSaslHandshakeRequest, v, flexibleFrom, { mechanism: 'PLAIN' })).toEqual({ mechanism: 'PLAIN' })
    expect(roundTrip(encodeSaslHandshakeResponse, decodeSaslHandshakeResponse, v, flexibleFrom, response)).toEqual(response)
    expect(encodeAt(encodeSaslHandshakeRequest, v, flexibleFrom, { mechanism: 'PLAIN' }).toString('hex')).toBe('0005' + Buffer.from('PLAIN').toString('hex'))
  })

  it.each([0, 1])('matches kafkajs at v%i', async (v) => {
    const theirs = await kafkajsRequestBody('saslHandshake', v, { mechanism: 'PLAIN' })
    expect(encodeAt(encodeSaslHandshakeRequest, v, flexibleFrom, { mechanism: 'PLAIN' })).toEqual(theirs)
    const decoded = await kafkajsDecodeResponse('saslHandshake', v, encodeAt(encodeSaslHandshakeResponse, v, flexibleFrom, { errorCode: 0, mechanisms: response.mechanisms }))
    expect(decoded).toEqual({ errorCode: 0, enabledMechanisms: response.mechanisms })
  })
})
