/**
 * DescribeLogDirs: the log directory of the embedded log and the size of each partition's segments,
 * with the directory's total and usable bytes (v4). As Kafka: describing log directories needs Describe
 * on the cluster (super users here), and a principal without it gets no directories and, from v3,
 * CLUSTER_AUTHORIZATION_FAILED; a partition this broker does not hold is left out, not an error.
 */
import fs from 'node:fs'
import path from 'node:path'
import { ApiKey } from '../../protocol/api-keys.ts'
import {
  decodeDescribeLogDirsRequest,
  describeLogDirsVersions,
  encodeDescribeLogDirsResponse,
  type DescribeLogDirsResponse,
  type LogDirResult,
} from '../../protocol/apis/describe-log-dirs.ts'
import { KafkaError } from '../../protocol/error-codes.ts'
import { defineHandler } from '../api-handler.ts'
import { canCluster } from '../auth/can.ts'

export const describeLogDirsHandler = defineHandler({
  apiKey: ApiKey.DescribeLogDirs,
  versions: describeLogDirsVersions,
  decodeRequest: decodeDescribeLogDirsRequest,
  handle: async (request, context): Promise<DescribeLogDirsResponse> => {
    if (!canCluster(context, 'Describe')) return { throttleTimeMs: 0, errorCode: KafkaError.CLUSTER_AUTHORIZATION_FAILED, results: [] }
    const log = context.broker.log
    const wanted = request.topics === null ? null : new Map(request.topics.map((t) => [t.topic, new Set(t.partitions)]))
    const names = wanted === null ? await log.listTopics() : [...wanted.keys()]
    const topics: Array<LogDirResult['topics'][number]> = []
    for (const name of names) {
      const described = await log.describeTopic(name).catch(() => undefined) // deleted since the listing: left out, as Kafka does
      if (described === undefined) continue
      const partitions = described.partitions
        .filter((p) => wanted === null || wanted.get(name)?.has(p.partition) === true)
        .map((p) => ({ partitionIndex: p.partition, partitionSize: p.sizeBytes, offsetLag: 0, isFutureKey: false }))
      if (partitions.length > 0) topics.push({ name, partitions })
    }
    const logDir = path.resolve(log.dataDir, 'topics')
    const space = await fs.promises.statfs(log.dataDir).catch(() => undefined) // a file system that cannot tell: sizes unknown (-1)
    return {
      throttleTimeMs: 0,
      errorCode: KafkaError.NONE,
      results: [
        {
          errorCode: KafkaError.NONE,
          logDir,
          topics,
          totalBytes: space === undefined ? -1 : space.blocks * space.bsize,
          usableBytes: space === undefined ? -1 : space.bavail * space.bsize,
        },
      ],
    }
  },
  encodeResponse: encodeDescribeLogDirsResponse,
})
