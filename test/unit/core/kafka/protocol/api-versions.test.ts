/** The ApiVersions codec at every version it serves: v3 and v4 share a layout, which the Java client 4.x sends first. */
import { describe, expect, it } from 'vitest'
import {
  apiVersionsVersions, decodeApiVersionsRequest, decodeApiVersionsResponse, encodeApiVersionsRequest, encodeApiVersionsResponse, type ApiVersionsResponse,
} from '../../../../../core/kafka/protocol/apis/api-versions.ts'
import { bytesOf, eachVersion, encodeAt, roundTrip } from '../../../../support/kafka-codec-versions.ts'

const request = { clientSoftwareName: 'apache-kafka-java', clientSoftwareVersion: '4.3.1' }
const response: ApiVersionsResponse = { errorCode: 0, apiKeys: [{ apiKey: 0, minVersion: 3, maxVersion: 9 }, { apiKey: 18, minVersion: 0, maxVersion: 4 }], throttleTimeMs: 3 }

describe('ApiVersions codec', () => {
  it.each(eachVersion(apiVersionsVersions))('round-trips a request and a response at v%i (flexible: %s)', (v, flexible) => {
    expect(roundTrip(encodeApiVersionsRequest, decodeApiVersionsRequest, v, flexible, request)).toEqual(v >= 3 ? request : { clientSoftwareName: null, clientSoftwareVersion: null })
    expect(roundTrip(encodeApiVersionsResponse, decodeApiVersionsResponse, v, flexible, response)).toEqual({ ...response, throttleTimeMs: v >= 1 ? 3 : 0 })
  })

  it('writes v4 exactly as v3: the client software in compact strings, ranges with empty tagged fields', () => {
    expect(encodeAt(encodeApiVersionsRequest, 4, true, request)).toEqual(encodeAt(encodeApiVersionsRequest, 3, true, request))
    expect(encodeAt(encodeApiVersionsRequest, 4, true, request)).toEqual(Buffer.concat([bytesOf.compact('apache-kafka-java'), bytesOf.compact('4.3.1'), bytesOf.noTags()]))
    expect(encodeAt(encodeApiVersionsResponse, 4, true, response)).toEqual(encodeAt(encodeApiVersionsResponse, 3, true, response))
  })
})
