import { describe, expect, it } from 'vitest'
import {
  decodeProduceRequest,
  decodeProduceResponse,
  encodeProduceRequest,
  encodeProduceResponse,
  produceVersions,
  type ProduceResponse,
} from '../../../../../core/kafka/protocol/apis/produce.ts'
import { decodeBatchRecords, encodeRecordBatch } from '../../../../../core/log/record-batch.ts'
import type { StoredRecord } from '../../../../../core/log/log.ts'
import { decodeAt, eachVersion, encodeAt, roundTrip } from '../../../../support/kafka-codec-versions.ts'
import { kafkajsDecodeResponse, kafkajsRequestBody } from '../../../../support/kafkajs-protocol.ts'

const flexible = (v: number) => v >= produceVersions.flexibleFrom

const response: ProduceResponse = {
  topics: [
    {
      name: 'orders',
      partitions: [
        { index: 0, errorCode: 0, baseOffset: 2 ** 40, logAppendTimeMs: -1, logStartOffset: 5, recordErrors: [], errorMessage: null },
        {
          index: 1,
          errorCode: 87,
          baseOffset: -1,
          logAppendTimeMs: -1,
          logStartOffset: -1,
          recordErrors: [{ batchIndex: 3, message: 'no key' }],
          errorMessage: 'refused',
        },
      ],
    },
  ],
  throttleTimeMs: 0,
}

describe('Produce codec', () => {
  it.each(eachVersion(produceVersions))('round-trips request and response at v%i', (v) => {
    const batch = encodeRecordBatch([{ key: Buffer.from('k'), value: Buffer.from('v') }], 0)
    const request = {
      transactionalId: null,
      acks: -1,
      timeoutMs: 30_000,
      topics: [
        {
          name: 'orders',
          partitions: [
            { index: 1, records: batch },
            { index: 2, records: null },
          ],
        },
      ],
    }
    const decoded = roundTrip(encodeProduceRequest, decodeProduceRequest, v, flexible(v), request)
    expect(decoded).toEqual(request)
    const back = roundTrip(encodeProduceResponse, decodeProduceResponse, v, flexible(v), response)
    expect(back.topics[0]!.partitions.map((p) => [p.index, p.errorCode, p.baseOffset])).toEqual([
      [0, 0, 2 ** 40],
      [1, 87, -1],
    ])
    if (v >= 5) expect(back.topics[0]!.partitions[0]!.logStartOffset).toBe(5)
    if (v >= 8)
      expect(back.topics[0]!.partitions[1]).toMatchObject({ recordErrors: [{ batchIndex: 3, message: 'no key' }], errorMessage: 'refused' })
  })

  it.each([3, 4, 5, 6, 7])('reads the batches kafkajs sends at v%i and answers in a form kafkajs reads', async (v) => {
    const body = await kafkajsRequestBody('produce', v, {
      acks: 1,
      timeout: 1000,
      topicData: [
        {
          topic: 'orders',
          partitions: [
            {
              partition: 2,
              messages: [
                { key: 'a', value: 'one', timestamp: 1700000000000, headers: { h: 'x' } },
                { key: null, value: 'two', timestamp: 1700000000001 },
              ],
            },
          ],
        },
      ],
    })
    const request = decodeAt(decodeProduceRequest, v, false, body)
    expect(request).toMatchObject({ acks: 1, timeoutMs: 1000, transactionalId: null })
    const records: StoredRecord[] = []
    decodeBatchRecords(request.topics[0]!.partitions[0]!.records!, 'orders', 2, 0, records)
    expect(records.map((r) => [r.key?.toString() ?? null, r.value?.toString(), r.timestamp])).toEqual([
      ['a', 'one', 1700000000000],
      [null, 'two', 1700000000001],
    ])
    expect(records[0]!.headers).toEqual([{ key: 'h', value: Buffer.from('x') }])

    const theirs = await kafkajsDecodeResponse<{
      topics: Array<{ topicName: string; partitions: Array<{ partition: number; errorCode: number; baseOffset: string }> }>
    }>('produce', v, encodeAt(encodeProduceResponse, v, false, response))
    expect(theirs.topics[0]!.topicName).toBe('orders')
    expect(theirs.topics[0]!.partitions.map((p) => [p.partition, p.errorCode, p.baseOffset])).toEqual([
      [0, 0, String(2 ** 40)],
      [1, 87, '-1'],
    ])
  })
})
