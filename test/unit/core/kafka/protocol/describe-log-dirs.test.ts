import { describeLogDirsV4 } from '@platformatic/kafka'
import { describe, expect, it } from 'vitest'
import {
  decodeDescribeLogDirsRequest,
  decodeDescribeLogDirsResponse,
  describeLogDirsVersions,
  encodeDescribeLogDirsRequest,
  encodeDescribeLogDirsResponse,
  type DescribeLogDirsResponse,
} from '../../../../../core/kafka/protocol/apis/describe-log-dirs.ts'
import { decodeAt, eachVersion, encodeAt, roundTrip } from '../../../../support/kafka-codec-versions.ts'
import { platformaticParseResponse, platformaticRequestBody } from '../../../../support/platformatic-protocol.ts'

const request = { topics: [{ topic: 'orders', partitions: [0, 1] }] }
const response = (v: number): DescribeLogDirsResponse => ({
  throttleTimeMs: 0,
  errorCode: 0,
  results: [
    {
      errorCode: 0,
      logDir: '/var/lib/tributary/topics',
      totalBytes: v >= 4 ? 1_000_000 : -1,
      usableBytes: v >= 4 ? 400_000 : -1,
      topics: [
        {
          name: 'orders',
          partitions: [
            { partitionIndex: 0, partitionSize: 4096, offsetLag: 0, isFutureKey: false },
            { partitionIndex: 1, partitionSize: 0, offsetLag: 0, isFutureKey: false },
          ],
        },
      ],
    },
  ],
})

describe('DescribeLogDirs codec', () => {
  it.each(eachVersion(describeLogDirsVersions))('round-trips a request and a response at v%i (flexible: %s)', (v, flexible) => {
    expect(roundTrip(encodeDescribeLogDirsRequest, decodeDescribeLogDirsRequest, v, flexible, request)).toEqual(request)
    expect(roundTrip(encodeDescribeLogDirsRequest, decodeDescribeLogDirsRequest, v, flexible, { topics: null })).toEqual({ topics: null })
    expect(roundTrip(encodeDescribeLogDirsResponse, decodeDescribeLogDirsResponse, v, flexible, response(v))).toEqual(response(v))
  })

  it('matches @platformatic/kafka at v4: its request bytes are ours, and it reads our response', () => {
    const platformatic = platformaticRequestBody(
      describeLogDirsV4,
      request.topics.map((t) => ({ name: t.topic, partitions: t.partitions })),
    )
    expect(decodeAt(decodeDescribeLogDirsRequest, 4, true, platformatic)).toEqual(request)
    expect(encodeAt(encodeDescribeLogDirsRequest, 4, true, request)).toEqual(platformatic)
    const parsed = platformaticParseResponse(describeLogDirsV4, 35, 4, encodeAt(encodeDescribeLogDirsResponse, 4, true, response(4))) as {
      results: Array<{ logDir: string; totalBytes: bigint; topics: Array<{ partitions: Array<{ partitionSize: bigint }> }> }>
    }
    expect(parsed.results[0]?.logDir).toBe('/var/lib/tributary/topics')
    expect(Number(parsed.results[0]?.totalBytes)).toBe(1_000_000)
    expect(parsed.results[0]?.topics[0]?.partitions.map((p) => Number(p.partitionSize))).toEqual([4096, 0])
  })
})
