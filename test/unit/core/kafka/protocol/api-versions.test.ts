/**
 * The ApiVersions codec at every version it serves: v4 (what the Java client 4.x asks in first) has
 * v3's flexible layout, checked against bytes written from Kafka's schema.
 */
import { describe, expect, it } from 'vitest'
import {
  apiVersionsVersions,
  decodeApiVersionsRequest,
  decodeApiVersionsResponse,
  encodeApiVersionsRequest,
  encodeApiVersionsResponse,
  type ApiVersionsResponse,
} from '../../../../../core/kafka/protocol/apis/api-versions.ts'
import { bytesOf, decodeAt, eachVersion, encodeAt, roundTrip } from '../../../../support/kafka-codec-versions.ts'

const request = { clientSoftwareName: 'apache-kafka-java', clientSoftwareVersion: '4.3.1' }
const response: ApiVersionsResponse = {
  errorCode: 0,
  apiKeys: [
    { apiKey: 0, minVersion: 3, maxVersion: 9 },
    { apiKey: 18, minVersion: 0, maxVersion: 4 },
  ],
  throttleTimeMs: 7,
}

describe('ApiVersions codec', () => {
  it('serves v0 to v4', () => {
    expect(apiVersionsVersions).toEqual({ min: 0, max: 4, flexibleFrom: 3 })
  })

  it.each(eachVersion(apiVersionsVersions))('round-trips a request and a response at v%i (flexible: %s)', (v, flexible) => {
    const names = v >= 3 ? request : { clientSoftwareName: null, clientSoftwareVersion: null }
    expect(roundTrip(encodeApiVersionsRequest, decodeApiVersionsRequest, v, flexible, request)).toEqual(names)
    expect(roundTrip(encodeApiVersionsResponse, decodeApiVersionsResponse, v, flexible, response)).toEqual({
      ...response,
      throttleTimeMs: v >= 1 ? 7 : 0,
    })
  })

  it("reads and writes v4 in the flexible layout of v3, as Kafka's schema has it", () => {
    const requestBytes = Buffer.concat([bytesOf.compact('apache-kafka-java'), bytesOf.compact('4.3.1'), bytesOf.noTags()])
    expect(decodeAt(decodeApiVersionsRequest, 4, true, requestBytes)).toEqual(request)
    expect(encodeAt(encodeApiVersionsRequest, 4, true, request)).toEqual(requestBytes)
    expect(encodeAt(encodeApiVersionsResponse, 4, true, response)).toEqual(
      Buffer.concat([
        bytesOf.int16(0),
        bytesOf.compactCount(2),
        bytesOf.int16(0),
        bytesOf.int16(3),
        bytesOf.int16(9),
        bytesOf.noTags(),
        bytesOf.int16(18),
        bytesOf.int16(0),
        bytesOf.int16(4),
        bytesOf.noTags(),
        bytesOf.int32(7),
        bytesOf.noTags(),
      ]),
    )
    expect(encodeAt(encodeApiVersionsResponse, 4, true, response)).toEqual(encodeAt(encodeApiVersionsResponse, 3, true, response))
  })
})
