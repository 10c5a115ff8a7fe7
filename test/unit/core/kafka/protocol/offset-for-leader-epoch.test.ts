import { offsetForLeaderEpochV4 } from '@platformatic/kafka'
import { describe, expect, it } from 'vitest'
import {
  decodeOffsetForLeaderEpochRequest,
  decodeOffsetForLeaderEpochResponse,
  encodeOffsetForLeaderEpochRequest,
  encodeOffsetForLeaderEpochResponse,
  offsetForLeaderEpochVersions,
  type OffsetForLeaderEpochResponse,
} from '../../../../../core/kafka/protocol/apis/offset-for-leader-epoch.ts'
import { decodeAt, eachVersion, encodeAt, roundTrip } from '../../../../support/kafka-codec-versions.ts'
import { platformaticParseResponse, platformaticRequestBody } from '../../../../support/platformatic-protocol.ts'

const request = {
  replicaId: -1,
  topics: [
    {
      topic: 'orders',
      partitions: [
        { partition: 0, currentLeaderEpoch: 0, leaderEpoch: 0 },
        { partition: 1, currentLeaderEpoch: -1, leaderEpoch: 3 },
      ],
    },
  ],
}
const response: OffsetForLeaderEpochResponse = {
  throttleTimeMs: 0,
  topics: [
    {
      topic: 'orders',
      partitions: [
        { errorCode: 0, partition: 0, leaderEpoch: 0, endOffset: 42 },
        { errorCode: 75, partition: 1, leaderEpoch: -1, endOffset: -1 },
      ],
    },
  ],
}

describe('OffsetForLeaderEpoch codec', () => {
  it.each(eachVersion(offsetForLeaderEpochVersions))('round-trips a request and a response at v%i (flexible: %s)', (v, flexible) => {
    // replica_id is on the wire from v3; v2 reads it as the debugging client's -2.
    expect(roundTrip(encodeOffsetForLeaderEpochRequest, decodeOffsetForLeaderEpochRequest, v, flexible, request)).toEqual(
      v >= 3 ? request : { ...request, replicaId: -2 },
    )
    expect(roundTrip(encodeOffsetForLeaderEpochResponse, decodeOffsetForLeaderEpochResponse, v, flexible, response)).toEqual(response)
  })

  it('matches @platformatic/kafka at v4: its request bytes are ours, and it reads our response', () => {
    const platformatic = platformaticRequestBody(
      offsetForLeaderEpochV4,
      -1,
      request.topics.map((t) => ({
        name: t.topic,
        partitions: t.partitions.map((p) => ({
          partitionIndex: p.partition,
          currentLeaderEpoch: p.currentLeaderEpoch,
          leaderEpoch: p.leaderEpoch,
        })),
      })),
    )
    expect(decodeAt(decodeOffsetForLeaderEpochRequest, 4, true, platformatic)).toEqual(request)
    expect(encodeAt(encodeOffsetForLeaderEpochRequest, 4, true, request)).toEqual(platformatic)
    const ok = { throttleTimeMs: 0, topics: [{ topic: 'orders', partitions: [response.topics[0]!.partitions[0]!] }] }
    const parsed = platformaticParseResponse(offsetForLeaderEpochV4, 23, 4, encodeAt(encodeOffsetForLeaderEpochResponse, 4, true, ok)) as {
      topics: Array<{ partitions: Array<{ leaderEpoch: number; endOffset: bigint }> }>
    }
    expect(parsed.topics[0]?.partitions.map((p) => [p.leaderEpoch, Number(p.endOffset)])).toEqual([[0, 42]])
  })
})
