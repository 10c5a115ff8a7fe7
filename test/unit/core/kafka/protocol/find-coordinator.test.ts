import { findCoordinatorV4, findCoordinatorV5, findCoordinatorV6 } from '@platformatic/kafka'
import { describe, expect, it } from 'vitest'
import {
  decodeFindCoordinatorRequest,
  decodeFindCoordinatorResponse,
  encodeFindCoordinatorRequest,
  encodeFindCoordinatorResponse,
  findCoordinatorVersions,
  type FindCoordinatorRequest,
  type FindCoordinatorResponse,
} from '../../../../../core/kafka/protocol/apis/find-coordinator.ts'
import { bytesOf, decodeAt, eachVersion, encodeAt, roundTrip } from '../../../../support/kafka-codec-versions.ts'
import { kafkajsDecodeResponse, kafkajsRequestBody, kafkajsVersions } from '../../../../support/kafkajs-protocol.ts'
import { platformaticParseResponse, platformaticRequestBody } from '../../../../support/platformatic-protocol.ts'

const request: FindCoordinatorRequest = { key: 'tx-orders', keyType: 1, coordinatorKeys: ['tx-orders', 'tx-refunds'] }
const coordinators = [
  { key: 'tx-orders', nodeId: 4, host: '10.1.2.3', port: 19092, errorCode: 0, errorMessage: null },
  { key: 'tx-refunds', nodeId: -1, host: '', port: -1, errorCode: 15, errorMessage: 'no transaction coordinator' },
]
const response: FindCoordinatorResponse = {
  throttleTimeMs: 3,
  errorCode: 15,
  errorMessage: 'no transaction coordinator',
  nodeId: 4,
  host: '10.1.2.3',
  port: 19092,
  coordinators,
}
/** What a version carries of the request and response; the rest decodes as defaults. */
const requestAt = (v: number): FindCoordinatorRequest => ({
  key: v <= 3 ? request.key : '',
  keyType: v >= 1 ? request.keyType : 0,
  coordinatorKeys: v >= 4 ? request.coordinatorKeys : [],
})
const responseAt = (v: number): FindCoordinatorResponse =>
  v >= 4
    ? { throttleTimeMs: 3, errorCode: 0, errorMessage: null, nodeId: -1, host: '', port: -1, coordinators }
    : { ...response, throttleTimeMs: v >= 1 ? 3 : 0, errorMessage: v >= 1 ? response.errorMessage : null, coordinators: [] }

describe('FindCoordinator codec', () => {
  it.each(eachVersion(findCoordinatorVersions))('round-trips a request and a response at v%i (flexible: %s)', (v, flexible) => {
    expect(roundTrip(encodeFindCoordinatorRequest, decodeFindCoordinatorRequest, v, flexible, request)).toEqual(requestAt(v))
    expect(roundTrip(encodeFindCoordinatorResponse, decodeFindCoordinatorResponse, v, flexible, response)).toEqual(responseAt(v))
  })

  it.each(kafkajsVersions('findCoordinator'))(
    'matches kafkajs at v%i: its request bytes are ours, and it reads our response',
    async (v) => {
      const kafkajs = await kafkajsRequestBody('findCoordinator', v, {
        groupId: request.key,
        coordinatorKey: request.key,
        coordinatorType: request.keyType,
      })
      expect(decodeAt(decodeFindCoordinatorRequest, v, false, kafkajs)).toEqual({ ...requestAt(v), coordinatorKeys: [] })
      expect(encodeAt(encodeFindCoordinatorRequest, v, false, request)).toEqual(kafkajs)
      const decoded = await kafkajsDecodeResponse('findCoordinator', v, encodeAt(encodeFindCoordinatorResponse, v, false, response))
      expect(decoded).toMatchObject({
        errorCode: 15,
        coordinator: { nodeId: 4, host: '10.1.2.3', port: 19092 },
        ...(v >= 1 ? { errorMessage: response.errorMessage } : {}),
      })
    },
  )

  it('writes v3 in the flexible layout', () => {
    expect(encodeAt(encodeFindCoordinatorRequest, 3, true, { key: 'g', keyType: 0, coordinatorKeys: [] })).toEqual(
      Buffer.concat([bytesOf.compact('g'), bytesOf.int8(0), bytesOf.noTags()]),
    )
    const found: FindCoordinatorResponse = {
      throttleTimeMs: 0,
      errorCode: 0,
      errorMessage: null,
      nodeId: 0,
      host: 'h',
      port: 9092,
      coordinators: [],
    }
    expect(encodeAt(encodeFindCoordinatorResponse, 3, true, found)).toEqual(
      Buffer.concat([
        bytesOf.int32(0),
        bytesOf.int16(0),
        bytesOf.compact(null),
        bytesOf.int32(0),
        bytesOf.compact('h'),
        bytesOf.int32(9092),
        bytesOf.noTags(),
      ]),
    )
  })

  it('writes v4 in the batched layout: key type, then the keys; one answer per key', () => {
    expect(encodeAt(encodeFindCoordinatorRequest, 4, true, { key: 'ignored', keyType: 0, coordinatorKeys: ['a', 'b'] })).toEqual(
      Buffer.concat([bytesOf.int8(0), bytesOf.compactCount(2), bytesOf.compact('a'), bytesOf.compact('b'), bytesOf.noTags()]),
    )
    const found: FindCoordinatorResponse = {
      throttleTimeMs: 0,
      errorCode: 0,
      errorMessage: null,
      nodeId: -1,
      host: '',
      port: -1,
      coordinators: [{ key: 'a', nodeId: 0, host: 'h', port: 9092, errorCode: 0, errorMessage: null }],
    }
    expect(encodeAt(encodeFindCoordinatorResponse, 4, true, found)).toEqual(
      Buffer.concat([
        bytesOf.int32(0),
        bytesOf.compactCount(1),
        bytesOf.compact('a'),
        bytesOf.int32(0),
        bytesOf.compact('h'),
        bytesOf.int32(9092),
        bytesOf.int16(0),
        bytesOf.compact(null),
        bytesOf.noTags(),
        bytesOf.noTags(),
      ]),
    )
  })

  it('matches @platformatic/kafka at v4: its request bytes are ours, and it reads our response', () => {
    const platformatic = platformaticRequestBody(findCoordinatorV4, request.keyType, [...request.coordinatorKeys])
    expect(decodeAt(decodeFindCoordinatorRequest, 4, true, platformatic)).toEqual(requestAt(4))
    expect(encodeAt(encodeFindCoordinatorRequest, 4, true, request)).toEqual(platformatic)
    const found = coordinators.slice(0, 1)
    expect(
      platformaticParseResponse(
        findCoordinatorV4,
        10,
        4,
        encodeAt(encodeFindCoordinatorResponse, 4, true, { ...response, coordinators: found }),
      ),
    ).toEqual({ throttleTimeMs: 3, coordinators: found })
  })

  /** A transactional producer's lookup, written by hand per the spec: key then key_type 1 until v3, key_type 1 then the keys from v4. */
  const transactionLookup = (v: number): Buffer => {
    const string = (s: string) => (v >= 3 ? bytesOf.compact(s) : Buffer.concat([bytesOf.int16(s.length), Buffer.from(s)]))
    if (v >= 4) return Buffer.concat([bytesOf.int8(1), bytesOf.compactCount(1), string('tx-orders'), bytesOf.noTags()])
    return Buffer.concat([string('tx-orders'), bytesOf.int8(1), v >= 3 ? bytesOf.noTags() : Buffer.alloc(0)])
  }

  it.each(eachVersion(findCoordinatorVersions).filter(([v]) => v >= 1))(
    'reads and writes a transaction coordinator lookup (key_type 1) at v%i',
    (v, flexible) => {
      const lookup: FindCoordinatorRequest = { key: v <= 3 ? 'tx-orders' : '', keyType: 1, coordinatorKeys: v >= 4 ? ['tx-orders'] : [] }
      expect(decodeAt(decodeFindCoordinatorRequest, v, flexible, transactionLookup(v))).toEqual(lookup)
      expect(encodeAt(encodeFindCoordinatorRequest, v, flexible, lookup)).toEqual(transactionLookup(v))
    },
  )

  it("writes a transaction lookup as @platformatic/kafka does at v5 and v6, whose layout is v4's", () => {
    for (const api of [findCoordinatorV5, findCoordinatorV6]) {
      expect(encodeAt(encodeFindCoordinatorRequest, 4, true, { key: '', keyType: 1, coordinatorKeys: ['tx-orders'] })).toEqual(
        platformaticRequestBody(api, 1, ['tx-orders']),
      )
    }
  })
})
