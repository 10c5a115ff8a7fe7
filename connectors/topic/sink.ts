/**
 * `topic-sink`: consumes topics and writes each record, after the connector's transforms, to another
 * topic of the same log: topic A → process → topic B, as Kafka Streams' simplest topologies do. It
 * declares that its store is the log (`producesToLog`) and writes only in flush(), keeping its buffer
 * until a flush succeeds. On a worker with exactly-once enabled each flush's output and the consumed
 * offsets then commit in one transaction, so read_committed readers of the output see every input
 * record once, even across crashes. Otherwise the group offsets commit after the output is durable:
 * nothing is lost, and a crash may repeat a batch (at-least-once).
 */
import { z } from 'zod'
import { definePlugin, type SinkRecord, type SinkTask, type SinkTaskContext } from '../../core/runtime/plugin.ts'

const configSchema = z
  .object({
    topic: z.string().min(1).optional().describe("Output topic; omit to keep each record's (transformed) topic, e.g. after route-regex"),
    topics: z.string().optional().describe("The input topics (the runtime's own key), checked against the output"),
  })
  .refine(
    (config) =>
      config.topic === undefined ||
      !(config.topics ?? '')
        .split(',')
        .map((t) => t.trim())
        .includes(config.topic),
    {
      path: ['topic'],
      message: 'must differ from the input topics, or the connector would feed on its own output',
    },
  )

export type TopicSinkConfig = z.infer<typeof configSchema>

class TopicSinkTask implements SinkTask {
  private readonly context: SinkTaskContext<TopicSinkConfig>
  private buffered: SinkRecord[] = []

  constructor(context: SinkTaskContext<TopicSinkConfig>) {
    this.context = context
  }

  async start(): Promise<void> {}

  async put(records: readonly SinkRecord[]): Promise<void> {
    this.buffered.push(...records)
  }

  async flush(): Promise<void> {
    if (this.buffered.length === 0) return
    const output = this.context.config.topic
    await this.context.produce(
      this.buffered.map((record) => ({
        topic: output ?? record.topic,
        key: record.key,
        value: record.value,
        headers: record.headers,
        timestamp: record.timestamp,
      })),
    )
    this.buffered = []
  }

  async stop(): Promise<void> {
    this.buffered = []
  }
}

export const topicSink = definePlugin({
  kind: 'sink',
  name: 'topic-sink',
  version: '1.0.0',
  description: 'Writes records, after transforms, to another topic of the log',
  reference: `## Delivery
At least once by default: the group's offsets commit after the output is durable, and a crash may
write the batch in hand again. On a worker with exactly-once enabled
(\`TRIBUTARY_EXACTLY_ONCE_SOURCE_SUPPORT=enabled\`), each flush's output and the consumed offsets commit
in one transaction of the task's producer (\`<storage prefix>sink-<connector>-<task>\`): readers of the
output with \`isolation.level=read_committed\` see every input record once, in order per partition,
across crashes, restarts and partitions moving between tasks. \`exactly.once.support=required\` refuses
to run on a worker without it. See [../delivery-guarantees.md](../delivery-guarantees.md).`,
  config: configSchema,
  taskConfigs: (config, maxTasks) => Array.from({ length: maxTasks }, () => config),
  producesToLog: true,
  createTask: (context) => new TopicSinkTask(context),
})
