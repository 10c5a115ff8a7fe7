/**
 * A topic on disk: `<dataDir>/topics/<name>/topic.json` (id and config) and one directory per
 * partition. topic.json is written atomically before any partition exists, so a crash mid-create
 * leaves a topic that opens with empty partitions, never half a topic.
 */
import { randomUUID } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type { Clock } from '../clock.ts'
import { storageError } from '../errors.ts'
import { DIR_MODE } from './data-dir-modes.ts'
import { writeFileAtomic } from './file-io.ts'
import type { PartitionDescription, TopicDescription } from './log.ts'
import type { BatchPool } from './batch-pool.ts'
import { Partition, type RecoveryEvent } from './partition.ts'
import { parseTopicConfig, type TopicConfig } from './topic-config.ts'

interface TopicFile {
  readonly name: string
  readonly id: string
  readonly config: Readonly<Record<string, unknown>>
}

export interface TopicOpenOptions {
  readonly clock: Clock
  readonly onRecovery?: (event: RecoveryEvent) => void
  readonly batchPool?: BatchPool
}

export class Topic {
  readonly name: string
  readonly id: string
  readonly directory: string
  private configInput: Readonly<Record<string, unknown>>
  config: TopicConfig
  partitions: Partition[]

  private constructor(file: TopicFile, directory: string, config: TopicConfig, partitions: Partition[]) {
    this.name = file.name
    this.id = file.id
    this.directory = directory
    this.configInput = file.config
    this.config = config
    this.partitions = partitions
  }

  static async create(
    directory: string,
    name: string,
    configInput: Readonly<Record<string, unknown>>,
    options: TopicOpenOptions,
  ): Promise<Topic> {
    const config = parseTopicConfig(name, configInput)
    const file: TopicFile = { name, id: randomUUID(), config: configInput }
    try {
      await fs.promises.mkdir(directory, { recursive: true, mode: DIR_MODE })
    } catch (error) {
      throw storageError('mkdir', directory, error)
    }
    await writeFileAtomic(path.join(directory, 'topic.json'), JSON.stringify(file, null, 2), directory)
    return Topic.openPartitions(file, directory, config, options)
  }

  static async open(directory: string, options: TopicOpenOptions): Promise<Topic> {
    let file: TopicFile
    try {
      file = JSON.parse(await fs.promises.readFile(path.join(directory, 'topic.json'), 'utf8')) as TopicFile
    } catch (error) {
      throw storageError('read topic metadata', directory, error)
    }
    return Topic.openPartitions(file, directory, parseTopicConfig(file.name, file.config), options)
  }

  private static async openPartitions(file: TopicFile, directory: string, config: TopicConfig, options: TopicOpenOptions): Promise<Topic> {
    const partitions: Partition[] = []
    for (let p = 0; p < config.partitions; p++) partitions.push(await Topic.openPartition(file.name, p, directory, config, options))
    return new Topic(file, directory, config, partitions)
  }

  private static openPartition(
    name: string,
    partition: number,
    directory: string,
    config: TopicConfig,
    options: TopicOpenOptions,
  ): Promise<Partition> {
    return Partition.open({
      topic: name,
      partition,
      directory: path.join(directory, String(partition)),
      config,
      clock: options.clock,
      ...(options.onRecovery ? { onRecovery: options.onRecovery } : {}),
      ...(options.batchPool ? { batchPool: options.batchPool } : {}),
    })
  }

  /** Grows the topic to `count` partitions; topic.json records the new count before they open. */
  async addPartitions(count: number, options: TopicOpenOptions): Promise<void> {
    await this.saveConfig({ ...this.configInput, partitions: count })
    for (let p = this.partitions.length; p < count; p++) {
      this.partitions.push(await Topic.openPartition(this.name, p, this.directory, this.config, options))
    }
  }

  /** Replaces config keys (partitions excepted) and applies them to the open partitions. */
  async alterConfig(changes: Readonly<Record<string, unknown>>): Promise<void> {
    await this.saveConfig({ ...this.configInput, ...changes, partitions: this.config.partitions })
    for (const partition of this.partitions) partition.updateConfig(this.config)
  }

  private async saveConfig(input: Readonly<Record<string, unknown>>): Promise<void> {
    const config = parseTopicConfig(this.name, input)
    const file: TopicFile = { name: this.name, id: this.id, config: input }
    await writeFileAtomic(path.join(this.directory, 'topic.json'), JSON.stringify(file, null, 2), this.directory)
    this.configInput = input
    this.config = config
  }

  /** The config keys set on this topic, as opposed to left at their defaults. */
  get configOverrides(): string[] {
    return Object.keys(this.configInput).filter((key) => this.configInput[key] !== undefined)
  }

  describe(): TopicDescription {
    return { name: this.name, id: this.id, config: this.config, partitions: this.partitions.map(describePartition) }
  }

  async close(): Promise<void> {
    const results = await Promise.allSettled(this.partitions.map((partition) => partition.close()))
    const failed = results.find((result) => result.status === 'rejected')
    if (failed) throw failed.reason
  }
}

function describePartition(partition: Partition): PartitionDescription {
  return {
    partition: partition.partition,
    logStartOffset: partition.logStartOffset,
    highWatermark: partition.highWatermark,
    sizeBytes: partition.sizeBytes,
    segments: partition.segmentCount,
  }
}
