/**
 * Applies the pipeline files of the config directory to the worker: each source and sink becomes a
 * connector named `<pipeline>.<id>`, owned by its file. `plan` classifies the difference (added,
 * changed with the keys that change, removed, unchanged); `apply` carries it out, restarting only
 * the connectors whose config changed. Connectors made through the REST API are never removed by a
 * reload. In a worker group (`shared`) the workers' directories may differ, so a worker removes only
 * connectors of files it has loaded itself: one its directory no longer declares them in, or one it
 * applied before and that is gone now; another worker's files are left to that worker.
 * Secrets are never compared in what plan or reload answer: a secret key (or a URL's password) sent
 * for a running connector is listed under `uncompared` whether it equals the stored value or not, so
 * the answer cannot confirm a guessed password. Apply itself compares them and restarts a connector
 * whose secret changed.
 */
import { Router } from 'express'
import { z } from 'zod'
import { loadPipelines, type ConnectorDefinition, type LoadedPipelines, type TopicDefinition } from '../config/load-pipelines.ts'
import { isTributaryError } from '../errors.ts'
import { parseBody } from '../api/request-body.ts'
import { createLogger } from '../logger.ts'
import type { ConnectorConfig } from '../runtime/plugin.ts'
import { holdsSecret, isSecretKey, maskValue } from '../secrets.ts'
import type { Herder } from '../runtime/herder.ts'

export interface PipelinePlan {
  readonly added: string[]
  readonly changed: Array<{ name: string; keys: string[] }>
  readonly removed: string[]
  readonly unchanged: string[]
  readonly topics: string[]
  /** Per running connector, the secret keys sent and present in its stored config: never compared. */
  readonly uncompared: Array<{ name: string; keys: string[] }>
}

const planBody = z.object({
  connectors: z.array(z.object({ name: z.string(), config: z.record(z.string(), z.string()), file: z.string() })),
})

export class PipelineManager {
  private readonly herder: Herder
  readonly configDir: string
  private readonly shared: boolean
  private readonly envAllowlist: string | undefined
  /** Every file this manager has applied (in a group: the only files whose connectors it removes). */
  private readonly appliedFiles = new Set<string>()
  private readonly logger = createLogger('pipelines')

  constructor(herder: Herder, configDir: string, options: { shared?: boolean; envAllowlist?: string | undefined } = {}) {
    this.herder = herder
    this.configDir = configDir
    this.shared = options.shared ?? false
    this.envAllowlist = options.envAllowlist
  }

  load(): Promise<LoadedPipelines> {
    return loadPipelines(this.configDir, { validate: (config) => this.herder.validate(config).problems, envAllowlist: this.envAllowlist })
  }

  /** What applying these definitions would do, secrets not compared; nothing changes. */
  plan(
    connectors: ReadonlyArray<Pick<ConnectorDefinition, 'name' | 'config' | 'file'>>,
    topics: readonly TopicDefinition[] = [],
    files: readonly string[] = [],
  ): PipelinePlan {
    return this.classify(connectors, topics, files).plan
  }

  /** Loads the files (all or nothing) and applies them. */
  async apply(): Promise<PipelinePlan> {
    const loaded = await this.load()
    const { plan, differing } = this.classify(loaded.connectors, loaded.topics, loaded.files)
    for (const topic of loaded.topics) await this.ensureTopic(topic)
    for (const name of plan.removed) await this.herder.delete(name)
    for (const { name, config, file } of loaded.connectors) {
      if (!differing.has(name)) continue
      await this.herder.putConfig(name, config, { pipelineFile: file })
    }
    for (const file of loaded.files) this.appliedFiles.add(file)
    this.logger.info(
      {
        files: loaded.files.length,
        added: plan.added,
        applied: [...differing].filter((name) => !plan.added.includes(name)),
        removed: plan.removed,
      },
      'pipelines applied',
    )
    return plan
  }

  /** The plan as answered, and the connectors whose config really differs (secrets compared) or that are new. */
  private classify(
    connectors: ReadonlyArray<Pick<ConnectorDefinition, 'name' | 'config' | 'file'>>,
    topics: readonly TopicDefinition[],
    files: readonly string[],
  ): { plan: PipelinePlan; differing: Set<string> } {
    const ownFiles = new Set([...this.appliedFiles, ...files, ...connectors.map((c) => c.file)])
    const wanted = new Set(connectors.map((c) => c.name))
    const plan: PipelinePlan = { added: [], changed: [], removed: [], unchanged: [], topics: topics.map((t) => t.name), uncompared: [] }
    const differing = new Set<string>()
    for (const { name, config, file } of connectors) {
      if (!this.herder.has(name)) {
        plan.added.push(name)
        differing.add(name)
        continue
      }
      const current = this.herder.config(name)
      const moved = this.herder.pipelineFile(name) !== file
      const { keys, uncompared } = shownChanges(current, config)
      if (keys.length > 0 || moved) plan.changed.push({ name, keys })
      else plan.unchanged.push(name)
      if (uncompared.length > 0) plan.uncompared.push({ name, keys: uncompared })
      if (moved || changedKeys(current, config).length > 0) differing.add(name)
    }
    for (const name of this.herder.connectorNames()) {
      const file = this.herder.pipelineFile(name)
      if (wanted.has(name) || file === undefined || (this.shared && !ownFiles.has(file))) continue
      plan.removed.push(name)
    }
    return { plan, differing }
  }

  routes(): Router {
    const router = Router()
    router.post('/pipelines/plan', (req, res) => {
      const body = parseBody(planBody, req.body, 'pipeline plan request')
      res.json(this.plan(body.connectors))
    })
    router.post('/pipelines/reload', async (_req, res) => {
      res.json(await this.apply())
    })
    return router
  }

  private async ensureTopic(topic: TopicDefinition): Promise<void> {
    try {
      const described = await this.herder.log.describeTopic(topic.name)
      const partitions = Number(topic.config.partitions ?? described.partitions.length)
      if (partitions > described.partitions.length) await this.herder.log.createPartitions(topic.name, partitions)
    } catch (error) {
      if (!isTributaryError(error, 'TRB_TOPIC_NOT_FOUND')) throw error
      await this.herder.log.createTopic(topic.name, topic.config)
    }
  }
}

/**
 * The keys that differ as a caller may see them: a value holding a secret on either side is compared
 * masked (presence, and a URL's host or path, still show); when the masked values are equal the key
 * is uncompared, whatever the secrets are.
 */
function shownChanges(current: ConnectorConfig, wanted: ConnectorConfig): { keys: string[]; uncompared: string[] } {
  const keys: string[] = []
  const uncompared: string[] = []
  for (const key of [...new Set([...Object.keys(current), ...Object.keys(wanted)])].sort()) {
    const before = current[key]
    const after = wanted[key]
    if (before === undefined || after === undefined) {
      if (before !== after) keys.push(key)
    } else if (isSecretKey(key) || holdsSecret(key, before) || holdsSecret(key, after)) {
      if (maskValue(key, before) !== maskValue(key, after)) keys.push(key)
      else uncompared.push(key)
    } else if (before !== after) keys.push(key)
  }
  return { keys, uncompared }
}

function changedKeys(current: ConnectorConfig, wanted: ConnectorConfig): string[] {
  const keys = new Set([...Object.keys(current), ...Object.keys(wanted)])
  return [...keys].filter((key) => current[key] !== wanted[key]).sort()
}
