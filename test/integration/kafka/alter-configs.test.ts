/**
 * AlterConfigs through kafkajs's admin client and IncrementalAlterConfigs over a bare socket (no
 * Node client speaks it), on a SASL listener: changed configs take effect at once (compression of the
 * engine's batches, compaction's keyed-only rule, retention) and are kept across a restart; bad
 * requests get the codes and messages a Kafka 4.3 broker gives; AlterConfigs on a topic or on the
 * cluster needs that permission.
 */
import kafkajs from 'kafkajs'
import { beforeAll, describe, expect, it } from 'vitest'
import { ConfigOperation, type IncrementalAlterConfigsResource } from '../../../core/kafka/protocol/apis/incremental-alter-configs.ts'
import { KafkaError } from '../../../core/kafka/protocol/error-codes.ts'
import { KafkaListener } from '../../../core/kafka/server/listener.ts'
import { EmbeddedLog } from '../../../core/log/embedded-log.ts'
import { compressionOf, readBatchHeader } from '../../../core/log/record-batch.ts'
import { wireApis } from '../../support/kafka-wire-apis.ts'
import { KafkaWireClient } from '../../support/kafka-wire-client.ts'
import { saslListenerPerFile } from '../../support/sasl-plain-clients.ts'
import { makeTempDir } from '../../support/temp-dir.ts'

const { AclResourceTypes, AclOperationTypes, AclPermissionTypes, ResourcePatternTypes, ConfigResourceTypes } = kafkajs

const users = { admin: 'admin-pass', alice: 'alice-pass', bob: 'bob-pass' }
const subject = saslListenerPerFile(users)
const { withAdmin, withWire } = subject
const { SET, DELETE, APPEND, SUBTRACT } = ConfigOperation
const TOPIC = 2
const BROKER = 4

const incremental = (user: keyof typeof users, resources: IncrementalAlterConfigsResource[], validateOnly = false) =>
  withWire(user, async (wire) => (await wire.request(wireApis.incrementalAlterConfigs, 1, { resources, validateOnly })).responses)
const topicOps = (name: string, ...configs: Array<[string, number, string | null]>): IncrementalAlterConfigsResource => ({
  resourceType: TOPIC,
  resourceName: name,
  configs: configs.map(([configName, configOperation, value]) => ({ name: configName, configOperation, value })),
})
const ok = (resourceName: string, resourceType = TOPIC) => ({ errorCode: KafkaError.NONE, errorMessage: null, resourceType, resourceName })
const overrides = (topic: string) =>
  Object.fromEntries(
    subject.log
      .topicConfigOverrides(topic)
      .filter((k) => k !== 'partitions')
      .map((k) => [k, String(subject.log.topicConfig(topic)[k as 'retention.ms'])]),
  )

beforeAll(async () => {
  for (const name of ['orders', 'audit', 'events']) await subject.log.createTopic(name, { 'segment.ms': 600_000 })
  await withAdmin('admin', (admin) =>
    admin.createAcls({
      acl: [
        {
          resourceType: AclResourceTypes.TOPIC,
          resourceName: 'audit',
          resourcePatternType: ResourcePatternTypes.LITERAL,
          principal: 'User:bob',
          host: '*',
          operation: AclOperationTypes.ALTER_CONFIGS,
          permissionType: AclPermissionTypes.ALLOW,
        },
        {
          resourceType: AclResourceTypes.CLUSTER,
          resourceName: 'kafka-cluster',
          resourcePatternType: ResourcePatternTypes.LITERAL,
          principal: 'User:bob',
          host: '*',
          operation: AclOperationTypes.ALTER_CONFIGS,
          permissionType: AclPermissionTypes.ALLOW,
        },
      ],
    }),
  )
})

describe('AlterConfigs', () => {
  it("replaces a topic's overrides for kafkajs's alterConfigs, and the new compression.type applies at once", async () => {
    await withAdmin('admin', (admin) =>
      admin.alterConfigs({
        validateOnly: false,
        resources: [
          {
            type: ConfigResourceTypes.TOPIC,
            name: 'orders',
            configEntries: [
              { name: 'retention.ms', value: '3600000' },
              { name: 'compression.type', value: 'gzip' },
            ],
          },
        ],
      }),
    )
    // segment.ms was left out, so it went back to its default.
    expect(overrides('orders')).toEqual({ 'retention.ms': '3600000', 'compression.type': 'gzip' })
    await subject.log.append('orders', [{ key: null, value: Buffer.alloc(500, 1) }])
    const [batch] = (await subject.log.readBatches('orders', 0, 0)).batches
    expect(compressionOf(readBatchHeader(batch!, 0).attributes)).toBe('gzip')
  })

  it('checks without changing for validateOnly, and refuses bad configs as Kafka does', async () => {
    const alter = (configs: Array<{ name: string; value: string | null }>, validateOnly = false) =>
      withWire(
        'admin',
        async (wire) =>
          (
            await wire.request(wireApis.alterConfigs, 2, {
              resources: [{ resourceType: TOPIC, resourceName: 'orders', configs }],
              validateOnly,
            })
          ).responses[0],
      )
    expect(await alter([{ name: 'retention.ms', value: '5' }], true)).toEqual(ok('orders'))
    expect(overrides('orders')['retention.ms']).toBe('3600000')
    expect(await alter([{ name: 'foo.bar', value: '1' }])).toMatchObject({
      errorCode: KafkaError.INVALID_CONFIG,
      errorMessage: 'Unknown topic config name: foo.bar',
    })
    expect(await alter([{ name: 'retention.ms', value: 'x' }])).toMatchObject({
      errorCode: KafkaError.INVALID_CONFIG,
      errorMessage: expect.stringMatching(/^Invalid value x for configuration retention.ms: /),
    })
    expect(await alter([{ name: 'retention.ms', value: null }])).toMatchObject({
      errorCode: KafkaError.INVALID_REQUEST,
      errorMessage: 'Null value not supported for : retention.ms',
    })
    expect(
      await alter([
        { name: 'retention.ms', value: '5' },
        { name: 'retention.ms', value: '6' },
      ]),
    ).toMatchObject({ errorCode: KafkaError.INVALID_REQUEST, errorMessage: 'Error due to duplicate config keys' })
    expect(overrides('orders')).toEqual({ 'retention.ms': '3600000', 'compression.type': 'gzip' })
  })
})

describe('IncrementalAlterConfigs', () => {
  it("sets, deletes, appends to and subtracts from a topic's configs, and they take effect", async () => {
    expect(
      await incremental('admin', [
        topicOps('events', ['retention.ms', SET, '120000'], ['segment.ms', DELETE, null], ['cleanup.policy', APPEND, 'compact']),
      ]),
    ).toEqual([ok('events')])
    expect(overrides('events')).toEqual({ 'retention.ms': '120000', 'cleanup.policy': 'delete,compact' })
    // Compacted now: every record needs a key.
    await expect(subject.log.append('events', [{ key: null, value: Buffer.from('x') }])).rejects.toMatchObject({
      code: 'TRB_LOG_INVALID_BATCH',
    })
    expect(await incremental('admin', [topicOps('events', ['cleanup.policy', SUBTRACT, 'delete'], ['unknown.key', DELETE, null])])).toEqual(
      [ok('events')],
    )
    expect(overrides('events')).toEqual({ 'retention.ms': '120000', 'cleanup.policy': 'compact' })
    // validateOnly changes nothing.
    expect(await incremental('admin', [topicOps('events', ['cleanup.policy', SET, 'delete'])], true)).toEqual([ok('events')])
    expect(subject.log.topicConfig('events')['cleanup.policy']).toBe('compact')
  })

  it('lets retention use a shortened retention.ms', async () => {
    await subject.log.createTopic('old', { 'segment.bytes': 1024 })
    const hourAgo = Date.now() - 3_600_000
    for (let i = 0; i < 30; i++) await subject.log.append('old', [{ key: null, value: Buffer.alloc(100), timestamp: hourAgo + i }])
    expect((await subject.log.runMaintenance()).deletedSegments).toBe(0)
    expect(await incremental('admin', [topicOps('old', ['retention.ms', SET, '60000'])])).toEqual([ok('old')])
    expect((await subject.log.runMaintenance()).deletedSegments).toBeGreaterThan(0)
    expect(await subject.log.listOffset('old', 0, 'earliest')).toBeGreaterThan(0)
  })

  it("answers bad requests with a Kafka 4.3 broker's codes and messages", async () => {
    const answers = await incremental('admin', [
      topicOps('nosuch', ['retention.ms', SET, '1000']),
      topicOps('orders', ['foo.bar', SET, '1']),
      topicOps('audit', ['retention.ms', APPEND, '5']),
      topicOps('events', ['retention.ms', SUBTRACT, '5']),
      topicOps('bad name', ['retention.ms', SET, '5']),
      { resourceType: BROKER, resourceName: '0', configs: [{ name: 'num.partitions', configOperation: SET, value: '3' }] },
      { resourceType: BROKER, resourceName: '7', configs: [{ name: 'log.retention.ms', configOperation: SET, value: '5' }] },
      { resourceType: 9, resourceName: 'x', configs: [] },
    ])
    expect(answers).toEqual([
      {
        errorCode: KafkaError.UNKNOWN_TOPIC_OR_PARTITION,
        errorMessage: "The topic 'nosuch' does not exist.",
        resourceType: TOPIC,
        resourceName: 'nosuch',
      },
      {
        errorCode: KafkaError.INVALID_CONFIG,
        errorMessage: 'Unknown topic config name: foo.bar',
        resourceType: TOPIC,
        resourceName: 'orders',
      },
      {
        errorCode: KafkaError.INVALID_CONFIG,
        errorMessage: "Can't APPEND to key retention.ms because its type is not LIST.",
        resourceType: TOPIC,
        resourceName: 'audit',
      },
      {
        errorCode: KafkaError.INVALID_CONFIG,
        errorMessage: "Can't SUBTRACT to key retention.ms because its type is not LIST.",
        resourceType: TOPIC,
        resourceName: 'events',
      },
      {
        errorCode: KafkaError.INVALID_TOPIC_EXCEPTION,
        errorMessage: expect.stringContaining('bad name'),
        resourceType: TOPIC,
        resourceName: 'bad name',
      },
      {
        errorCode: KafkaError.INVALID_REQUEST,
        errorMessage: 'Cannot update these configs dynamically: [num.partitions]',
        resourceType: BROKER,
        resourceName: '0',
      },
      {
        errorCode: KafkaError.INVALID_REQUEST,
        errorMessage: 'Unexpected broker id, expected 0, but received 7',
        resourceType: BROKER,
        resourceName: '7',
      },
      { errorCode: KafkaError.INVALID_REQUEST, errorMessage: 'Unknown resource type 9', resourceType: 9, resourceName: 'x' },
    ])
    const twice = await incremental('admin', [topicOps('orders', ['retention.ms', SET, '5']), topicOps('orders', ['segment.ms', SET, '5'])])
    expect(twice.map((r) => [r.errorCode, r.errorMessage])).toEqual([
      [KafkaError.INVALID_REQUEST, 'Each resource must appear at most once.'],
      [KafkaError.INVALID_REQUEST, 'Each resource must appear at most once.'],
    ])
    expect(await incremental('admin', [topicOps('orders', ['compression.type', SET, 'brotli'])])).toMatchObject([
      {
        errorCode: KafkaError.INVALID_CONFIG,
        errorMessage: expect.stringMatching(/^Invalid value brotli for configuration compression.type: /),
      },
    ])
    expect(await incremental('admin', [topicOps('orders', ['retention.ms', SET, null])])).toMatchObject([
      { errorCode: KafkaError.INVALID_REQUEST, errorMessage: 'Null value not supported for : retention.ms' },
    ])
    expect(overrides('orders')).toEqual({ 'retention.ms': '3600000', 'compression.type': 'gzip' })
  })

  it('needs AlterConfigs on the topic, or on the cluster for the broker', async () => {
    // ACLs cover audit and the cluster (bob's), so alice may not; what no ACL covers stays open.
    expect(await incremental('alice', [topicOps('audit', ['retention.ms', SET, '5000'])])).toEqual([
      {
        errorCode: KafkaError.TOPIC_AUTHORIZATION_FAILED,
        errorMessage: 'Topic authorization failed.',
        resourceType: TOPIC,
        resourceName: 'audit',
      },
    ])
    expect(await incremental('bob', [topicOps('audit', ['retention.ms', SET, '5000'])])).toEqual([ok('audit')])
    expect(await incremental('alice', [{ resourceType: BROKER, resourceName: '0', configs: [] }])).toEqual([
      {
        errorCode: KafkaError.CLUSTER_AUTHORIZATION_FAILED,
        errorMessage: 'Cluster authorization failed.',
        resourceType: BROKER,
        resourceName: '0',
      },
    ])
    expect(await incremental('bob', [{ resourceType: BROKER, resourceName: '0', configs: [] }])).toEqual([ok('0', BROKER)])
    expect(await incremental('alice', [topicOps('orders', ['retention.ms', SET, '3600000'])])).toEqual([ok('orders')])
  })

  it('keeps what it changed across a restart', async () => {
    const dir = await makeTempDir()
    let log = await EmbeddedLog.open({ dataDir: dir.path, maintenanceIntervalMs: 0 })
    try {
      await log.createTopic('kept', { 'segment.ms': 600_000 })
      const listener = await KafkaListener.start({ log, port: 0 })
      const wire = await KafkaWireClient.connect(listener.port)
      const answer = await wire.request(wireApis.incrementalAlterConfigs, 0, {
        validateOnly: false,
        resources: [topicOps('kept', ['max.message.bytes', SET, '2048'], ['segment.ms', DELETE, null])],
      })
      wire.close()
      await listener.close()
      expect(answer.responses).toEqual([ok('kept')])
      await log.close()
      log = await EmbeddedLog.open({ dataDir: dir.path, maintenanceIntervalMs: 0 })
      expect(log.topicConfigOverrides('kept').filter((k) => k !== 'partitions')).toEqual(['max.message.bytes'])
      expect(log.topicConfig('kept')).toMatchObject({ 'max.message.bytes': 2048, 'segment.ms': 7 * 24 * 3_600_000 })
      await expect(log.append('kept', [{ key: null, value: Buffer.alloc(3000) }])).rejects.toMatchObject({
        code: 'TRB_LOG_RECORD_TOO_LARGE',
      })
    } finally {
      await log.close()
      await dir.remove()
    }
  })
})
