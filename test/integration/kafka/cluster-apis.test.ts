/**
 * The cluster-level admin APIs over a bare socket, as a super user and as an ordinary user of a SASL
 * listener: DescribeCluster's authorized operations and DescribeLogDirs' directory and sizes, which
 * Kafka gives only to principals that may describe the cluster.
 */
import fs from 'node:fs'
import { beforeAll, describe, expect, it } from 'vitest'
import { KafkaError } from '../../../core/kafka/protocol/error-codes.ts'
import { wireApis } from '../../support/kafka-wire-apis.ts'
import { saslListenerPerFile } from '../../support/sasl-plain-clients.ts'

const users = { admin: 'admin-pass', alice: 'alice-pass' }
const subject = saslListenerPerFile(users)
const { withWire: as } = subject

beforeAll(async () => {
  const { log } = subject
  await log.createTopic('orders', { partitions: 2 })
  await log.createTopic('audit', { partitions: 1 })
  await log.append(
    'orders',
    Array.from({ length: 50 }, (_, i) => ({ key: Buffer.from(`k${i}`), value: Buffer.alloc(100, i), partition: i % 2 })),
  )
})
describe('cluster admin APIs', () => {
  it('DescribeCluster gives a super user every cluster operation and an ordinary user none', async () => {
    const request = { includeClusterAuthorizedOperations: true, endpointType: 1, includeFencedBrokers: false }
    // CREATE 5, ALTER 7, DESCRIBE 8, CLUSTER_ACTION 9, DESCRIBE_CONFIGS 10, ALTER_CONFIGS 11, IDEMPOTENT_WRITE 12.
    expect((await as('admin', (wire) => wire.request(wireApis.describeCluster, 2, request))).clusterAuthorizedOperations).toBe(
      [5, 7, 8, 9, 10, 11, 12].reduce((bits, op) => bits | (1 << op), 0),
    )
    expect((await as('alice', (wire) => wire.request(wireApis.describeCluster, 2, request))).clusterAuthorizedOperations).toBe(0)
  })

  it("DescribeLogDirs gives the log directory, each partition's size and the disk's space, to a super user only", async () => {
    const sizes = new Map((await subject.log.describeTopic('orders')).partitions.map((p) => [p.partition, p.sizeBytes]))
    expect(sizes.get(0)).toBeGreaterThan(2_500)
    for (const v of [0, 1, 2, 3, 4]) {
      const all = await as('admin', (wire) => wire.request(wireApis.describeLogDirs, v, { topics: null }))
      expect(all.errorCode, `v${v}`).toBe(0)
      const [result] = all.results
      expect(result?.errorCode).toBe(0)
      expect(fs.existsSync(result!.logDir)).toBe(true)
      const orders = result!.topics.find((t) => t.name === 'orders')
      expect(orders?.partitions.map((p) => [p.partitionIndex, p.partitionSize, p.offsetLag, p.isFutureKey]).sort()).toEqual([
        [0, sizes.get(0), 0, false],
        [1, sizes.get(1), 0, false],
      ])
      expect(result!.topics.map((t) => t.name).sort()).toEqual(['audit', 'orders'])
      if (v >= 4) {
        expect(result!.totalBytes).toBeGreaterThan(0)
        expect(result!.usableBytes).toBeGreaterThan(0)
        expect(result!.usableBytes).toBeLessThanOrEqual(result!.totalBytes)
      } else expect([result!.totalBytes, result!.usableBytes]).toEqual([-1, -1])
    }
    const some = await as('admin', (wire) =>
      wire.request(wireApis.describeLogDirs, 4, {
        topics: [
          { topic: 'orders', partitions: [1] },
          { topic: 'nosuch', partitions: [0] },
        ],
      }),
    )
    expect(some.results[0]?.topics).toEqual([
      { name: 'orders', partitions: [{ partitionIndex: 1, partitionSize: sizes.get(1), offsetLag: 0, isFutureKey: false }] },
    ])
    const refused = await as('alice', (wire) => wire.request(wireApis.describeLogDirs, 4, { topics: null }))
    expect(refused).toEqual({ throttleTimeMs: 0, errorCode: KafkaError.CLUSTER_AUTHORIZATION_FAILED, results: [] })
  })
})
