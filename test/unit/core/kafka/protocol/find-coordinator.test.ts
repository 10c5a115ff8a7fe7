import { describe, expect, it } from 'vitest'
import {
  decodeFindCoordinatorRequest, decodeFindCoordinatorResponse, encodeFindCoordinatorRequest, encodeFindCoordinatorResponse, findCoordinatorVersions,
  type FindCoordinatorRequest, type FindCoordinatorResponse,
} from '../../../../../core/kafka/protocol/apis/find-coordinator.ts'
import { bytesOf, decodeAt, eachVersion, encodeAt, roundTrip } from '../../../../support/kafka-codec-versions.ts'
import { kafkajsDecodeResponse, kafkajsRequestBody, kafkajsVersions } from '../../../../support/kafkajs-protocol.ts'

const request: FindCoordinatorRequest = { key: 'tx-orders', keyType: 1 }
const response: FindCoordinatorResponse = { throttleTimeMs: 3, errorCode: 15, errorMessage: 'no transaction coordinator', nodeId: 4, host: '10.1.2.3', port: 19092 }
const requestAt = (v: number): FindCoordinatorRequest => ({ ...request, keyType: v >= 1 ? request.keyType : 0 })
const responseAt = (v: number): FindCoordinatorResponse => (v >= 1 ? response : { ...response, throttleTimeMs: 0, errorMessage: null })

describe('FindCoordinator codec', () => {
  it.each(eachVersion(findCoordinatorVersions))('round-trips a request and a response at v%i (flexible: %s)', (v, flexible) => {
    expect(roundTrip(encodeFindCoordinatorRequest, decodeFindCoordinatorRequest, v, flexible, request)).toEqual(requestAt(v))
    expect(roundTrip(encodeFindCoordinatorResponse, decodeFindCoordinatorResponse, v, flexible, response)).toEqual(responseAt(v))
  })

  it.each(kafkajsVersions('findCoordinator'))('matches kafkajs at v%i: its request bytes are ours, and it reads our response', async (v) => {
    const kafkajs = await kafkajsRequestBody('findCoordinator', v, { groupId: request.key, coordinatorKey: request.key, coordinatorType: request.keyType })
    expect(decodeAt(decodeFindCoordinatorRequest, v, false, kafkajs)).toEqual(requestAt(v))
    expect(encodeAt(encodeFindCoordinatorRequest, v, false, request)).toEqual(kafkajs)
    const decoded = await kafkajsDecodeResponse('findCoordinator', v, encodeAt(encodeFindCoordinatorResponse, v, false, response))
    expect(decoded).toMatchObject({ errorCode: 15, coordinator: { nodeId: 4, host: '10.1.2.3', port: 19092 }, ...(v >= 1 ? { errorMessage: response.errorMessage } : {}) })
  })

  it('writes v3 in the flexible layout', () => {
    expect(encodeAt(encodeFindCoordinatorRequest, 3, true, { key: 'g', keyType: 0 })).toEqual(Buffer.concat([bytesOf.compact('g'), bytesOf.int8(0), bytesOf.noTags()]))
    const found: FindCoordinatorResponse = { throttleTimeMs: 0, errorCode: 0, errorMessage: null, nodeId: 0, host: 'h', port: 9092 }
    expect(encodeAt(encodeFindCoordinatorResponse, 3, true, found)).toEqual(Buffer.concat([
      bytesOf.int32(0), bytesOf.int16(0), bytesOf.compact(null), bytesOf.int32(0), bytesOf.compact('h'), bytesOf.int32(9092), bytesOf.noTags(),
    ]))
  })
})
