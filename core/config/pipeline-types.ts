/** What loading pipeline files produces, and what the runtime supplies to check it. */

/** One source or sink of a pipeline, as a Kafka Connect style connector named `<pipeline>.<id>`. */
export interface ConnectorDefinition {
  readonly name: string
  /** Flat string map: `connector.class`, `tasks.max`, `topic(s)`, `transforms.*`, the flattened `with:`. */
  readonly config: Record<string, string>
  readonly pipeline: string
  readonly file: string
  readonly line: number
}

/** The topic in the middle of a pipeline, with the log's own config keys (`retention.ms` …). */
export interface TopicDefinition {
  readonly name: string
  readonly config: Record<string, string | number>
  readonly file: string
  readonly line: number
}

export interface LoadedPipelines {
  readonly files: string[]
  readonly connectors: ConnectorDefinition[]
  readonly topics: TopicDefinition[]
}

/**
 * Supplied by the runtime: checks `connector.class`, the plugin's schema and the transform and
 * converter configs over a flat config, naming each problem by its flat key (`(config)` or `''` for
 * the config as a whole).
 */
export type ConnectorConfigValidator = (config: Readonly<Record<string, string>>) => ReadonlyArray<{ key: string; message: string }>

export interface LoadOptions {
  /** Where `${VAR}` is looked up; process.env when absent. */
  readonly env?: NodeJS.ProcessEnv
  /** `--env-allowlist`: a pattern the whole name of a variable must match; absent: any name. The worker's own credentials are never read. */
  readonly envAllowlist?: string | undefined
  readonly validate?: ConnectorConfigValidator
}
