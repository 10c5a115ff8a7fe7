import { describeTransactionsV0 } from '@platformatic/kafka'
import { describe, expect, it } from 'vitest'
import {
  decodeDescribeTransactionsRequest,
  decodeDescribeTransactionsResponse,
  describeTransactionsVersions,
  encodeDescribeTransactionsRequest,
  encodeDescribeTransactionsResponse,
  type DescribeTransactionsResponse,
} from '../../../../../core/kafka/protocol/apis/describe-transactions.ts'
import { bytesOf, decodeAt, eachVersion, encodeAt, roundTrip } from '../../../../support/kafka-codec-versions.ts'
import { platformaticParseResponse, platformaticRequestBody } from '../../../../support/platformatic-protocol.ts'

const request = { transactionalIds: ['tx-orders', 'tx-unknown'] }
const response: DescribeTransactionsResponse = {
  throttleTimeMs: 0,
  transactionStates: [
    {
      errorCode: 0,
      transactionalId: 'tx-orders',
      transactionState: 'Ongoing',
      transactionTimeoutMs: 60_000,
      transactionStartTimeMs: 1_700_000_000_123,
      producerId: 2 ** 40 + 3,
      producerEpoch: 6,
      topics: [
        { name: 'orders', partitions: [0, 5] },
        { name: 'audit', partitions: [2] },
      ],
    },
    {
      errorCode: 0,
      transactionalId: 'tx-idle',
      transactionState: 'Empty',
      transactionTimeoutMs: 900_000,
      transactionStartTimeMs: -1,
      producerId: 12,
      producerEpoch: 0,
      topics: [],
    },
  ],
}

describe('DescribeTransactions codec', () => {
  it.each(eachVersion(describeTransactionsVersions))('round-trips a request and a response at v%i (flexible: %s)', (v, flexible) => {
    expect(roundTrip(encodeDescribeTransactionsRequest, decodeDescribeTransactionsRequest, v, flexible, request)).toEqual(request)
    expect(roundTrip(encodeDescribeTransactionsResponse, decodeDescribeTransactionsResponse, v, flexible, response)).toEqual(response)
  })

  it('writes v0 in the flexible layout', () => {
    expect(encodeAt(encodeDescribeTransactionsRequest, 0, true, { transactionalIds: ['t'] })).toEqual(
      Buffer.concat([bytesOf.compactCount(1), bytesOf.compact('t'), bytesOf.noTags()]),
    )
    const one: DescribeTransactionsResponse = {
      throttleTimeMs: 3,
      transactionStates: [{ ...response.transactionStates[0]!, transactionalId: 't', topics: [{ name: 'o', partitions: [4] }] }],
    }
    expect(encodeAt(encodeDescribeTransactionsResponse, 0, true, one)).toEqual(
      Buffer.concat([
        bytesOf.int32(3),
        bytesOf.compactCount(1),
        bytesOf.int16(0),
        bytesOf.compact('t'),
        bytesOf.compact('Ongoing'),
        bytesOf.int32(60_000),
        bytesOf.int64(1_700_000_000_123),
        bytesOf.int64(2 ** 40 + 3),
        bytesOf.int16(6),
        bytesOf.compactCount(1),
        bytesOf.compact('o'),
        bytesOf.compactCount(1),
        bytesOf.int32(4),
        bytesOf.noTags(),
        bytesOf.noTags(),
        bytesOf.noTags(),
      ]),
    )
  })

  it('matches @platformatic/kafka at v0: its request bytes are ours, and it reads our response', () => {
    const platformatic = platformaticRequestBody(describeTransactionsV0, [...request.transactionalIds])
    expect(decodeAt(decodeDescribeTransactionsRequest, 0, true, platformatic)).toEqual(request)
    expect(encodeAt(encodeDescribeTransactionsRequest, 0, true, request)).toEqual(platformatic)
    const parsed = platformaticParseResponse(
      describeTransactionsV0,
      65,
      0,
      encodeAt(encodeDescribeTransactionsResponse, 0, true, response),
    ) as {
      transactionStates: Array<
        Record<string, unknown> & {
          transactionStartTimeMs: bigint
          producerId: bigint
          topics: Array<{ topic: string; partitions: number[] }>
        }
      >
    }
    expect(
      parsed.transactionStates.map((s) => ({
        ...s,
        transactionStartTimeMs: Number(s.transactionStartTimeMs),
        producerId: Number(s.producerId),
        topics: s.topics.map((t) => ({ name: t.topic, partitions: t.partitions })),
      })),
    ).toEqual(response.transactionStates)
  })
})
