import { listTransactionsV1 } from '@platformatic/kafka'
import { describe, expect, it } from 'vitest'
import {
  decodeListTransactionsRequest,
  decodeListTransactionsResponse,
  encodeListTransactionsRequest,
  encodeListTransactionsResponse,
  listTransactionsVersions,
  type ListTransactionsRequest,
  type ListTransactionsResponse,
} from '../../../../../core/kafka/protocol/apis/list-transactions.ts'
import { bytesOf, decodeAt, eachVersion, encodeAt, roundTrip } from '../../../../support/kafka-codec-versions.ts'
import { platformaticParseResponse, platformaticRequestBody } from '../../../../support/platformatic-protocol.ts'

const request: ListTransactionsRequest = {
  stateFilters: ['Ongoing', 'PrepareCommit'],
  producerIdFilters: [2 ** 40 + 3, 12],
  durationFilter: 600_000,
  transactionalIdPattern: '^tx-.*',
}
const response: ListTransactionsResponse = {
  throttleTimeMs: 0,
  errorCode: 0,
  unknownStateFilters: ['Bogus'],
  transactionStates: [
    { transactionalId: 'tx-orders', producerId: 2 ** 40 + 3, transactionState: 'Ongoing' },
    { transactionalId: 'tx-idle', producerId: 12, transactionState: 'Empty' },
  ],
}
/** What a version carries of the request; the filters it lacks decode as "all". */
const requestAt = (v: number): ListTransactionsRequest => ({
  ...request,
  durationFilter: v >= 1 ? request.durationFilter : -1,
  transactionalIdPattern: v >= 2 ? request.transactionalIdPattern : null,
})

describe('ListTransactions codec', () => {
  it.each(eachVersion(listTransactionsVersions))('round-trips a request and a response at v%i (flexible: %s)', (v, flexible) => {
    expect(roundTrip(encodeListTransactionsRequest, decodeListTransactionsRequest, v, flexible, request)).toEqual(requestAt(v))
    expect(
      roundTrip(encodeListTransactionsRequest, decodeListTransactionsRequest, v, flexible, { ...request, transactionalIdPattern: null }),
    ).toEqual({ ...requestAt(v), transactionalIdPattern: null })
    expect(roundTrip(encodeListTransactionsResponse, decodeListTransactionsResponse, v, flexible, response)).toEqual(response)
  })

  it('writes v0 with the two filter lists only, and v2 with the duration and the id pattern after them', () => {
    const lists = [bytesOf.compactCount(1), bytesOf.compact('Ongoing'), bytesOf.compactCount(1), bytesOf.int64(12)]
    const one = { ...request, stateFilters: ['Ongoing'], producerIdFilters: [12] }
    expect(encodeAt(encodeListTransactionsRequest, 0, true, one)).toEqual(Buffer.concat([...lists, bytesOf.noTags()]))
    expect(encodeAt(encodeListTransactionsRequest, 2, true, one)).toEqual(
      Buffer.concat([...lists, bytesOf.int64(600_000), bytesOf.compact('^tx-.*'), bytesOf.noTags()]),
    )
    expect(
      encodeAt(encodeListTransactionsResponse, 2, true, {
        ...response,
        unknownStateFilters: [],
        transactionStates: [response.transactionStates[1]!],
      }),
    ).toEqual(
      Buffer.concat([
        bytesOf.int32(0),
        bytesOf.int16(0),
        bytesOf.compactCount(0),
        bytesOf.compactCount(1),
        bytesOf.compact('tx-idle'),
        bytesOf.int64(12),
        bytesOf.compact('Empty'),
        bytesOf.noTags(),
        bytesOf.noTags(),
      ]),
    )
  })

  it('matches @platformatic/kafka at v1: its request bytes are ours, and it reads our response', () => {
    const platformatic = platformaticRequestBody(
      listTransactionsV1,
      [...request.stateFilters],
      request.producerIdFilters.map(BigInt),
      BigInt(request.durationFilter),
    )
    expect(decodeAt(decodeListTransactionsRequest, 1, true, platformatic)).toEqual(requestAt(1))
    expect(encodeAt(encodeListTransactionsRequest, 1, true, request)).toEqual(platformatic)
    const parsed = platformaticParseResponse(
      listTransactionsV1,
      66,
      1,
      encodeAt(encodeListTransactionsResponse, 1, true, response),
    ) as ListTransactionsResponse & {
      transactionStates: Array<{ producerId: bigint }>
    }
    expect({ ...parsed, transactionStates: parsed.transactionStates.map((t) => ({ ...t, producerId: Number(t.producerId) })) }).toEqual(
      response,
    )
  })
})
